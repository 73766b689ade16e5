//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_GATHER_STATE_HPP
#define BOOST_MUSTER_DETAIL_GATHER_STATE_HPP

#include <boost/muster/detail/child.hpp>
#include <boost/muster/detail/handler.hpp>
#include <boost/muster/detail/op_alloc.hpp>
#include <boost/muster/result.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/recycling_allocator.hpp>

#include <cstddef>
#include <exception>
#include <memory>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

namespace boost::muster::detail
{

// One child's bookkeeping: its own cancellation signal (bound to the handler
// gather gives it), whether it is still running, and its outcome.
struct child_slot_base
{
    asio::cancellation_signal signal;
    bool running = false;
};

template <class V>
struct child_slot : child_slot_base
{
    std::variant<std::monostate, V, std::exception_ptr> outcome;

    V take_value() { return std::move(*std::get_if<1>(&outcome)); }

    result<V> take_result()
    {
        if (auto* e = std::get_if<2>(&outcome))
            return result<V>(boost::system::in_place_error, *e);
        return result<V>(boost::system::in_place_value, take_value());
    }
};

// Children known at compile time: one slot per child, of its own type.
template <class... Vs>
struct fixed_storage
{
    using values_type = std::tuple<Vs...>;
    using results_type = std::tuple<result<Vs>...>;

    std::tuple<child_slot<Vs>...> slots;

    template <class Alloc>
    fixed_storage(std::size_t, const Alloc&)
    {
    }

    template <std::size_t I>
    auto& slot() noexcept
    {
        return std::get<I>(slots);
    }

    template <class F>
    void for_each(F&& f)
    {
        std::apply([&](auto&... s) { (f(s), ...); }, slots);
    }

    values_type take_values()
    {
        return std::apply([](auto&... s) { return values_type(s.take_value()...); },
                          slots);
    }

    results_type take_results()
    {
        return std::apply([](auto&... s) { return results_type(s.take_result()...); },
                          slots);
    }
};

// Children from a range, all of one type: a contiguous array of slots.
template <class V, class Alloc>
struct range_storage
{
    using values_type = std::vector<V>;
    using results_type = std::vector<result<V>>;
    using slot_allocator =
        typename std::allocator_traits<Alloc>::template rebind_alloc<child_slot<V>>;

    std::vector<child_slot<V>, slot_allocator> slots;

    range_storage(std::size_t n, const Alloc& a) : slots(n, slot_allocator(a)) {}

    template <class F>
    void for_each(F&& f)
    {
        for (auto& s : slots)
            f(s);
    }

    values_type take_values()
    {
        values_type v;
        v.reserve(slots.size());
        for (auto& s : slots)
            v.push_back(s.take_value());
        return v;
    }

    results_type take_results()
    {
        results_type v;
        v.reserve(slots.size());
        for (auto& s : slots)
            v.push_back(s.take_result());
        return v;
    }
};

// The state of one running gather, allocated with the handler's associated
// allocator and freed before the handler is invoked. It is touched only from
// the handler's associated executor: every child's handler is bound to it.
template <class Storage, class Handler, class DefaultExecutor, bool ReturnExceptions>
class gather_state
{
public:
    using executor_type = asio::associated_executor_t<Handler, DefaultExecutor>;
    using handler_allocator =
        asio::associated_allocator_t<Handler, asio::recycling_allocator<void>>;

    template <class H>
    static gather_state* create(H&& h, const DefaultExecutor& ex, std::size_t n)
    {
        return new_op<gather_state>(h, std::forward<H>(h), ex, n);
    }

    executor_type get_executor() const noexcept { return work_.get_executor(); }

    Storage& storage() noexcept { return storage_; }

    // Starts every child with launch(state) and connects the handler's
    // cancellation slot. Completes (posted) at once if there is no child.
    template <class LaunchAll>
    void start(LaunchAll&& launch_all)
    {
        ++busy_;
        launch_all();
        auto slot = asio::get_associated_cancellation_slot(handler_);
        if (remaining_ != 0 && slot.is_connected())
            slot.template emplace<parent_cancellation>(this);
        --busy_;
        if (remaining_ == 0)
            finish(true);
    }

    template <class Slot>
    void starting(Slot& slot) noexcept
    {
        slot.running = true;
    }

    asio::cancellation_slot slot_for(child_slot_base* slot) const noexcept
    {
        return slot->signal.slot();
    }

    // A child completed with `args` (its completion signature's arguments).
    template <class V, class... Args>
    void on_complete(child_slot<V>* child, Args&&... args)
    {
        child_slot<V>& slot = *child;
        slot.running = false;
        ++busy_;
        split_outcome<V>([&](V&& v) { slot.outcome.template emplace<1>(std::move(v)); },
                         [&](std::exception_ptr e)
                         {
                             slot.outcome.template emplace<2>(e);
                             if (!ReturnExceptions && !failure_)
                             {
                                 failure_ = std::move(e);
                                 cancel_running(asio::cancellation_type::terminal);
                             }
                         },
                         std::forward<Args>(args)...);
        --busy_;
        child_done();
    }

    // A child's handler was destroyed without being invoked: its execution
    // context was shut down. Once every child is gone, the gather's handler is
    // destroyed uninvoked too, as Asio does with pending handlers.
    void on_abandoned() noexcept
    {
        abandoned_ = true;
        child_done();
    }

    void cancel_running(asio::cancellation_type_t type)
    {
        ++busy_;
        storage_.for_each(
            [type](child_slot_base& s)
            {
                if (s.running)
                    s.signal.emit(type);
            });
        --busy_;
        if (remaining_ == 0 && busy_ == 0)
            finish(false);
    }

private:
    using allocator_type = op_allocator_t<gather_state, Handler>;
    using work_type = asio::executor_work_guard<executor_type>;

    struct parent_cancellation
    {
        explicit parent_cancellation(gather_state* s) noexcept : state(s) {}
        gather_state* state;
        void operator()(asio::cancellation_type_t type) { state->cancel_running(type); }
    };

    template <class U, class H2, class... A>
    friend U* new_op(const H2&, A&&...);

    template <class H>
    gather_state(H&& h, const DefaultExecutor& ex, std::size_t n)
        : handler_(std::forward<H>(h)), work_(handler_executor(handler_, ex)),
          storage_(n, asio::get_associated_allocator(handler_,
                                                     asio::recycling_allocator<void>())),
          remaining_(n)
    {
    }

    void child_done()
    {
        --remaining_;
        if (remaining_ == 0 && busy_ == 0)
            finish(false);
    }

    allocator_type get_allocator() const noexcept
    {
        return op_allocator<gather_state>(handler_);
    }

    void destroy(allocator_type alloc) noexcept { delete_op(this, alloc); }

    void finish(bool post)
    {
        asio::get_associated_cancellation_slot(handler_).clear();
        allocator_type alloc = get_allocator();
        if (abandoned_)
        {
            destroy(alloc);
            return;
        }
        Handler h(std::move(handler_));
        work_type work(std::move(work_));
        if constexpr (ReturnExceptions)
        {
            auto results = storage_.take_results();
            destroy(alloc);
            deliver(post, work.get_executor(), std::move(h), std::move(results));
        }
        else if (failure_)
        {
            std::exception_ptr e = std::move(failure_);
            destroy(alloc);
            deliver(post, work.get_executor(), std::move(h), std::move(e),
                    typename Storage::values_type{});
        }
        else
        {
            auto values = storage_.take_values();
            destroy(alloc);
            deliver(post, work.get_executor(), std::move(h), std::exception_ptr(),
                    std::move(values));
        }
    }

    template <class... Args>
    static void deliver(bool post, const executor_type& ex, Handler&& h, Args&&... args)
    {
        if (post)
            asio::post(ex, asio::append(std::move(h), std::forward<Args>(args)...));
        else
            asio::dispatch(ex, asio::append(std::move(h), std::forward<Args>(args)...));
    }

    Handler handler_;
    work_type work_;
    Storage storage_;
    std::size_t remaining_;
    std::exception_ptr failure_;
    int busy_ = 0;
    bool abandoned_ = false;
};

template <class State, class Slot, bool BindExecutor>
using child_handler = member_handler<State, Slot*, BindExecutor>;

} // namespace boost::muster::detail

#endif
