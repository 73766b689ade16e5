//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_IMPL_AS_COMPLETED_HPP
#define BOOST_MUSTER_IMPL_AS_COMPLETED_HPP

#include <boost/muster/as_completed.hpp>

#include <boost/muster/detail/child_slot.hpp>
#include <boost/muster/detail/deadline.hpp>
#include <boost/muster/detail/decisions.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/pending_service.hpp>
#include <boost/muster/detail/task_range.hpp>
#include <boost/muster/detail/waiter.hpp>
#include <boost/muster/error.hpp>

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <ranges>
#include <type_traits>
#include <utility>
#include <vector>

namespace boost::muster::detail
{

// Shared by the as_completed object, the waits it started on the tasks and
// its deadline. The decisions are completion_order's.
template <class Task>
struct as_completed_state : std::enable_shared_from_this<as_completed_state<Task>>
{
    using executor_type = typename Task::executor_type;
    using waiter_type = waiter<as_completed_state>;
    using answer = completion_order::answer_type;

    as_completed_state(std::vector<Task> ts, std::optional<executor_type> ex)
        : tasks(std::move(ts)), slots(tasks.size()), order(tasks.size()),
          executor(ex              ? std::move(ex)
                   : tasks.empty() ? std::nullopt
                                   : std::optional(tasks.front().get_executor()))
    {
    }

    ~as_completed_state() { pending_service::remove(&registration); }

    // Known to the executor's context, so that its shutdown destroys pending
    // async_next calls (which may own the as_completed object itself).
    struct registration_type : pending_service::entry
    {
        as_completed_state* self = nullptr;
    };
    registration_type registration;

    void register_with_context()
    {
        if (!executor)
            return;
        registration.self = this;
        registration.take_waiters =
            [](pending_service::entry* e, std::vector<pending_service::orphan>& out)
        { static_cast<registration_type*>(e)->self->waiters.take_all(out); };
        pending_service::add(&registration, *executor);
    }

    std::vector<Task> tasks;
    std::vector<child_slot_base> slots;
    completion_order order;
    // Where handlers without an executor of their own complete, and where the
    // deadline runs: the executor given, else the first task's.
    std::optional<executor_type> executor;
    deadline<std::shared_ptr<as_completed_state>> timer;
    waiter_list<as_completed_state> waiters;

    void on_task(std::size_t i)
    {
        slots[i].running = false;
        order.finished(i);
        serve();
    }

    // Tasks done before the deadline are still yielded first; every other
    // yield reports timed_out. Nothing is cancelled but our waits.
    void on_deadline()
    {
        if (order.closed())
            return;
        order.expire();
        stop_waiting();
        serve();
    }

    void on_deadline_abandoned() noexcept {}

    void close()
    {
        order.close();
        stop_waiting();
        timer.disarm();
        waiters.abort_all(*this);
    }

    // Completes pending async_next calls while there is something to tell.
    void serve()
    {
        while (!waiters.empty() && order.ready())
        {
            waiter_type* w = waiters.pop_front();
            w->fn(w, this, waiter_event::complete);
        }
    }

    void stop_waiting()
    {
        for (auto& s : slots)
            if (s.running)
                s.signal.emit(asio::cancellation_type::terminal);
    }

    template <class Handler, class Executor>
    void deliver(Handler h, const Executor& ex, bool aborted)
    {
        if (aborted)
            return deliver_answer(std::move(h), ex,
                                  answer{completion_order::kind::aborted});
        // Consumed once posted: if the post fails, the next call gets it.
        answer a = order.peek();
        deliver_answer(std::move(h), ex, a);
        order.consume(a);
    }

    template <class Handler, class Executor>
    void deliver_answer(Handler h, const Executor& ex, answer a)
    {
        boost::system::error_code ec;
        Task t;
        switch (a.what)
        {
        case completion_order::kind::task:
            t = tasks[a.index];
            break;
        case completion_order::kind::timed_out:
            ec = error::timed_out;
            break;
        case completion_order::kind::eof:
            ec = asio::error::eof;
            break;
        default:
            ec = asio::error::operation_aborted;
            break;
        }
        post_completion(std::move(h), ex, ec, std::move(t));
    }
};

template <class Task>
struct as_completed_wait_handler
{
    std::shared_ptr<as_completed_state<Task>> state;
    std::size_t index;

    using cancellation_slot_type = asio::cancellation_slot;
    cancellation_slot_type get_cancellation_slot() const noexcept
    {
        return state->slots[index].signal.slot();
    }

    template <class... Args>
    void operator()(Args&&...)
    {
        state->on_task(index);
    }
};

template <class Task>
struct initiate_as_completed_next
{
    as_completed_state<Task>* state;

    using executor_type = typename Task::executor_type;
    executor_type get_executor() const noexcept
    {
        return state && state->executor ? *state->executor : executor_type();
    }

    template <class Handler>
    void operator()(Handler&& handler) const
    {
        using handler_type = std::decay_t<Handler>;
        constexpr bool has_own = has_executor_v<handler_type, no_executor>;
        if (!has_own && !(state && state->executor))
            throw boost::system::system_error(state ? error::no_executor
                                                    : error::moved_from);
        if (!state)
        {
            // Moved from: there is an executor to complete on.
            post_completion(std::forward<Handler>(handler), get_executor(),
                            boost::system::error_code(error::moved_from), Task());
            return;
        }
        auto& s = *state;
        if (s.order.ready())
        {
            auto a = s.order.peek();
            s.deliver_answer(std::forward<Handler>(handler), get_executor(), a);
            s.order.consume(a);
            return;
        }
        s.waiters.start(s, std::forward<Handler>(handler), get_executor());
    }
};

template <class Task>
as_completed_t<Task>
make_as_completed(std::vector<Task> tasks, std::optional<typename Task::executor_type> ex,
                  std::optional<std::chrono::steady_clock::duration> timeout)
{
    auto state =
        std::make_shared<as_completed_state<Task>>(std::move(tasks), std::move(ex));
    state->register_with_context();
    for (std::size_t i = 0; i != state->tasks.size(); ++i)
    {
        state->slots[i].running = true;
        state->tasks[i].async_wait(as_completed_wait_handler<Task>{state, i});
    }
    if (timeout && !state->tasks.empty())
        state->timer.arm(state, *state->executor, *state->executor, *timeout);
    return as_completed_t<Task>(std::move(state));
}

template <class Range>
auto task_vector(Range&& tasks)
{
    return std::vector<task_of_t<Range>>(std::ranges::begin(tasks),
                                         std::ranges::end(tasks));
}

} // namespace boost::muster::detail

#endif
