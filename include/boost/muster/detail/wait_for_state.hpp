//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_WAIT_FOR_STATE_HPP
#define BOOST_MUSTER_DETAIL_WAIT_FOR_STATE_HPP

#include <boost/muster/detail/child.hpp>
#include <boost/muster/detail/deadline_service.hpp>
#include <boost/muster/detail/handler.hpp>
#include <boost/muster/detail/op_alloc.hpp>
#include <boost/muster/detail/task_state.hpp>
#include <boost/muster/error.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/recycling_allocator.hpp>

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace boost::muster::detail
{

// What wait_for needs of a completion signature: it must lead with an error
// (error_code or exception_ptr), which carries timed_out on expiry.
template <class Sig>
struct timeout_signature
{
    static constexpr bool valid = false;
};

template <class R, class E, class... Args>
requires is_error_arg_v<E>
struct timeout_signature<R(E, Args...)>
{
    static constexpr bool valid = true;
    using error_type = std::decay_t<E>;
    using result_type = std::tuple<error_type, std::decay_t<Args>...>;

    static bool is_aborted(const result_type& r) noexcept
    {
        if constexpr (std::is_same_v<error_type, boost::system::error_code>)
            return std::get<0>(r) == asio::error::operation_aborted;
        else
            return is_cancellation(std::get<0>(r));
    }

    static result_type timed_out()
    {
        boost::system::error_code ec = error::timed_out;
        if constexpr (std::is_same_v<error_type, boost::system::error_code>)
            return result_type(ec, std::decay_t<Args>()...);
        else
            return result_type(std::make_exception_ptr(boost::system::system_error(ec)),
                               std::decay_t<Args>()...);
    }
};

struct inner_id
{
};

// The state of one wait_for: the inner operation, a deadline on the context's
// deadline_service, and the handler. The handler is invoked as soon as the
// inner operation completes (the deadline, if not yet expired, is removed);
// the state is freed once nothing refers to it.
template <class Child, class Handler, class DefaultExecutor>
class wait_for_state
{
    using traits = child_traits<Child>;
    using sig = timeout_signature<typename traits::signature>;
    using result_type = typename sig::result_type;

public:
    using executor_type = asio::associated_executor_t<Handler, DefaultExecutor>;

    template <class H>
    static wait_for_state* create(H&& h, const DefaultExecutor& ex)
    {
        return new_op<wait_for_state>(h, std::forward<H>(h), ex);
    }

    executor_type get_executor() const noexcept { return executor_; }

    void start(Child&& child, std::chrono::steady_clock::duration timeout)
    {
        ++busy_;
        if (timeout <= std::chrono::steady_clock::duration::zero())
        {
            timed_out_ = true;
            if constexpr (traits::is_coroutine)
            {
                // Nothing started: time out at once.
                result_.emplace(sig::timed_out());
            }
            else
            {
                // Started and cancelled at once: an operation that completes
                // immediately (a queue get with an item) still delivers.
                launch(std::move(child));
                inner_signal_.emit(asio::cancellation_type::terminal);
            }
        }
        else
        {
            launch(std::move(child));
            if (!result_)
                arm(timeout);
        }
        auto slot = asio::get_associated_cancellation_slot(*handler_);
        if (slot.is_connected())
            slot.template emplace<parent_cancellation>(this);
        --busy_;
        settle(true);
    }

    asio::cancellation_slot slot_for(inner_id) noexcept { return inner_signal_.slot(); }
    asio::cancellation_slot slot_for(timer_id) noexcept { return {}; }

    template <class... Args>
    void on_complete(inner_id, Args&&... args)
    {
        result_.emplace(std::forward<Args>(args)...);
        --outstanding_;
        if (armed_ && service_->remove(&entry_))
        {
            // Removed before it expired: no expiry will come.
            armed_ = false;
            --outstanding_;
        }
        settle(false);
    }

    void on_complete(timer_id, const boost::system::error_code& ec)
    {
        armed_ = false;
        --outstanding_;
        if (!ec && !result_)
        {
            timed_out_ = true;
            ++busy_;
            inner_signal_.emit(asio::cancellation_type::terminal);
            --busy_;
        }
        settle(false);
    }

    void on_abandoned() noexcept
    {
        abandoned_ = true;
        --outstanding_;
        if (outstanding_ == 0 && busy_ == 0)
            destroy();
    }

private:
    using allocator_type = op_allocator_t<wait_for_state, Handler>;
    using work_type = asio::executor_work_guard<executor_type>;

    struct parent_cancellation
    {
        explicit parent_cancellation(wait_for_state* s) noexcept : state(s) {}
        wait_for_state* state;
        void operator()(asio::cancellation_type_t type)
        {
            ++state->busy_;
            state->inner_signal_.emit(type);
            --state->busy_;
            state->settle(false);
        }
    };

    static asio::any_io_executor given_or(const DefaultExecutor& given,
                                          const executor_type& fallback)
    {
        if constexpr (std::is_same_v<DefaultExecutor, no_executor>)
            return fallback;
        else
            return given;
    }

    template <class U, class H2, class... A>
    friend U* new_op(const H2&, A&&...);

    template <class H>
    wait_for_state(H&& h, const DefaultExecutor& ex)
        : handler_(std::forward<H>(h)), executor_(handler_executor(*handler_, ex)),
          io_executor_(given_or(ex, executor_)),
          alloc_(op_allocator<wait_for_state>(*handler_)), work_(executor_)
    {
    }

    struct timer_entry : deadline_service::entry
    {
        wait_for_state* self;
    };

    // Expiry: continue on the state's executor, as a timer completion would.
    static void expire(deadline_service::entry* e)
    {
        auto* self = static_cast<timer_entry*>(e)->self;
        asio::post(self->io_executor_,
                   asio::append(member_handler<wait_for_state, timer_id, true>(self, {}),
                                boost::system::error_code()));
    }

    static void abandon(deadline_service::entry* e) noexcept
    {
        auto* self = static_cast<timer_entry*>(e)->self;
        self->armed_ = false;
        self->on_abandoned();
    }

    void arm(std::chrono::steady_clock::duration timeout)
    {
        auto& ctx = asio::query(io_executor_, asio::execution::context);
        service_ = &asio::use_service<deadline_service>(ctx);
        entry_.deadline = deadline_service::clock::now() + timeout;
        entry_.expire = &wait_for_state::expire;
        entry_.abandon = &wait_for_state::abandon;
        entry_.self = this;
        armed_ = true;
        ++outstanding_;
        service_->add(&entry_, io_executor_);
    }

    static constexpr bool bind_inner =
        !(traits::is_coroutine && std::is_same_v<DefaultExecutor, no_executor>);

    void launch(Child&& child)
    {
        ++outstanding_;
        traits::launch(std::move(child), io_executor_,
                       member_handler<wait_for_state, inner_id, bind_inner>(this, {}));
    }

    // Delivers the result once the inner operation is done, and frees the
    // state once nothing refers to it.
    void settle(bool in_initiation)
    {
        if (busy_ != 0)
            return;
        if (result_ && !delivered_ && !abandoned_)
            deliver(in_initiation);
        if (outstanding_ == 0)
            destroy();
    }

    void deliver(bool post)
    {
        delivered_ = true;
        asio::get_associated_cancellation_slot(*handler_).clear();
        result_type r = timed_out_ && sig::is_aborted(*result_) ? sig::timed_out()
                                                                : std::move(*result_);
        Handler h(std::move(*handler_));
        work_type work(std::move(*work_));
        work_.reset();
        handler_.reset();
        std::apply(
            [&](auto&&... args)
            {
                auto bound = asio::append(std::move(h), std::move(args)...);
                if (post)
                    asio::post(work.get_executor(), std::move(bound));
                else
                    asio::dispatch(work.get_executor(), std::move(bound));
            },
            std::move(r));
    }

    void destroy() noexcept
    {
        if (armed_)
            service_->remove(&entry_);
        delete_op(this, allocator_type(alloc_));
    }

    std::optional<Handler> handler_;
    executor_type executor_;
    // Where a coroutine child and the deadline run: the executor given to
    // wait_for, else the handler's.
    asio::any_io_executor io_executor_;
    allocator_type alloc_;
    std::optional<work_type> work_;
    asio::cancellation_signal inner_signal_;
    deadline_service* service_ = nullptr;
    timer_entry entry_;
    bool armed_ = false;
    std::optional<result_type> result_;
    int outstanding_ = 0;
    int busy_ = 0;
    bool timed_out_ = false;
    bool delivered_ = false;
    bool abandoned_ = false;
};

} // namespace boost::muster::detail

#endif
