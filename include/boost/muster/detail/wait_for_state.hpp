//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_WAIT_FOR_STATE_HPP
#define BOOST_MUSTER_DETAIL_WAIT_FOR_STATE_HPP

#include <boost/muster/detail/child.hpp>
#include <boost/muster/detail/deadline.hpp>
#include <boost/muster/detail/decisions.hpp>
#include <boost/muster/detail/op_alloc.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/task_state.hpp>
#include <boost/muster/error.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/error.hpp>

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

    static result_type failed(std::exception_ptr e)
    {
        return result_type(std::move(e), std::decay_t<Args>()...);
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

// What the state bounds. wait_for: an operation given to it, with a fixed
// timeout. The timeout scopes (timeout.hpp) use scope_mode: a coroutine body
// made by the state, with a deadline that the body sees and may move.
struct wait_for_mode
{
    static constexpr bool is_scope = false;
};

// The state of one wait_for or timeout scope: the inner operation, a
// deadline, and the handler. The handler is invoked as soon as the inner
// operation completes (the deadline, if not yet expired, is removed); the
// state is freed once nothing refers to it.
template <class Child, class Handler, class Given, class Mode = wait_for_mode>
class wait_for_state
{
    using traits = child_traits<Child>;
    using sig = timeout_signature<typename traits::signature>;
    using result_type = typename sig::result_type;
    using core_type = op_core<Handler, Given>;

public:
    using executor_type = typename core_type::executor_type;
    using allocator_type = typename core_type::allocator_type;

    template <class H, class... M>
    static wait_for_state* create(H&& h, const Given& given, M&&... mode)
    {
        return new_op<wait_for_state>(h, std::forward<H>(h), given,
                                      std::forward<M>(mode)...);
    }

    executor_type get_executor() const noexcept { return core_.get_executor(); }
    allocator_type get_allocator() const noexcept { return core_.get_allocator(); }

    void start(Child&& child, std::chrono::steady_clock::duration timeout)
    {
        ++busy_;
        if (timeout <= std::chrono::steady_clock::duration::zero())
        {
            expired_ = true;
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
            {
                try
                {
                    deadline_.arm(this, io_executor_, get_executor(), timeout);
                }
                catch (...)
                {
                    // No deadline: the inner operation is stopped and waited
                    // for, the handler destroyed uninvoked, and the
                    // exception propagates.
                    abandoned_ = true;
                    inner_signal_.emit(asio::cancellation_type::terminal);
                    --busy_;
                    settle();
                    throw;
                }
                ++outstanding_;
            }
        }
        core_.forward_cancellation(this);
        --busy_;
        if (!settle())
            core_.initiated();
    }

    // A timeout scope: makes the body and starts it, then arms the deadline.
    // The body may run, and see and move its deadline, before launch()
    // returns; the deadline is armed after, so that an expiry already due
    // reaches a coroutine that has started (Asio 1.26 loses, or throws
    // from, a cancellation emitted before a coroutine's first step).
    void start_scope(std::chrono::steady_clock::time_point when) requires Mode::is_scope
    {
        ++busy_;
        mode_.connect(this, &wait_for_state::reschedule_scope, when);
        std::optional<Child> child;
        try
        {
            child.emplace(mode_.make_child());
        }
        catch (...)
        {
            // Nothing started: the failure is the body's result, delivered
            // to the handler (posted).
            result_.emplace(sig::failed(std::current_exception()));
        }
        if (child)
            launch(std::move(*child));
        if (!result_ && !deadline_.armed() && !expired_)
        {
            try
            {
                rearm(mode_.deadline()); // as the body may have moved it
            }
            catch (...)
            {
                // No deadline: the body is stopped and waited for, the
                // handler destroyed uninvoked, and the exception propagates.
                abandoned_ = true;
                inner_signal_.emit(asio::cancellation_type::terminal);
                --busy_;
                settle();
                throw;
            }
        }
        core_.forward_cancellation(this);
        --busy_;
        if (!settle())
            core_.initiated();
    }

    asio::cancellation_slot slot_for(inner_id) noexcept { return inner_signal_.slot(); }

    template <class... Args>
    void on_complete(inner_id, Args&&... args)
    {
        result_.emplace(std::forward<Args>(args)...);
        --outstanding_;
        if (deadline_.disarm()) // removed before it expired: no expiry will come
            --outstanding_;
        settle();
    }

    void on_deadline()
    {
        --outstanding_;
        if constexpr (Mode::is_scope)
        {
            if (std::exchange(moved_, false) && !result_ &&
                mode_.deadline() > deadline_service::clock::now())
            {
                // Rescheduled while this expiry was on its way: wait for the
                // new deadline instead (none, if it was removed).
                try
                {
                    rearm(mode_.deadline());
                    settle();
                    return;
                }
                catch (...)
                {
                    // No deadline could be armed: expire now rather than never.
                }
            }
        }
        if (!result_)
        {
            expired_ = true;
            if constexpr (Mode::is_scope)
                mode_.expire();
            ++busy_;
            inner_signal_.emit(asio::cancellation_type::terminal);
            --busy_;
        }
        settle();
    }

    void on_parent_cancellation(asio::cancellation_type_t type)
    {
        // What a coroutine body honours by default: a partial or total
        // cancellation it filters out must not turn a later expiry into a
        // cancellation.
        if ((type & asio::cancellation_type::terminal) != asio::cancellation_type::none)
            cancelled_from_outside_ = true;
        ++busy_;
        inner_signal_.emit(type);
        --busy_;
        settle();
    }

    void on_abandoned(inner_id) noexcept
    {
        if (launching_)
        {
            inner_dropped_ = true;
            --outstanding_;
            return;
        }
        abandon();
    }

    void on_deadline_abandoned() noexcept { abandon(); }

private:
    template <class U, class H2, class... A>
    friend U* new_op(const H2&, A&&...);

    template <class H, class... M>
    wait_for_state(H&& h, const Given& given, M&&... mode)
        : core_(std::forward<H>(h), given),
          io_executor_(run_executor(core_.handler(), given)),
          mode_(std::forward<M>(mode)...)
    {
    }

    // Arms the deadline at `when`, none for time_point::max().
    void rearm(std::chrono::steady_clock::time_point when)
    {
        if (when == std::chrono::steady_clock::time_point::max())
            return;
        deadline_.arm_at(this, io_executor_, get_executor(), when);
        ++outstanding_;
    }

    // timeout_scope::reschedule(), called from the body.
    static void reschedule_scope(void* self, std::chrono::steady_clock::time_point when)
    {
        auto* s = static_cast<wait_for_state*>(self);
        if (s->expired_)
            throw boost::system::system_error(error::scope_expired);
        s->mode_.set_deadline(when);
        if (s->deadline_.armed())
        {
            if (!s->deadline_.disarm())
            {
                // Its expiry is already posted: on_deadline() re-arms.
                s->moved_ = true;
                return;
            }
            --s->outstanding_;
        }
        try
        {
            s->rearm(when);
        }
        catch (...)
        {
            s->mode_.set_deadline(std::chrono::steady_clock::time_point::max());
            throw;
        }
    }

    static constexpr bool bind_inner =
        !(traits::is_coroutine && std::is_same_v<Given, no_executor>);

    // Starts the inner operation. If its initiation throws having dropped
    // the handler, the failure is delivered when it can be (an exception_ptr
    // signature), else the state is freed and the exception propagates to
    // the caller.
    void launch(Child&& child)
    {
        ++outstanding_;
        launching_ = true;
        try
        {
            traits::launch(
                std::move(child), io_executor_,
                member_handler<wait_for_state, inner_id, bind_inner>(this, {}));
        }
        catch (...)
        {
            launching_ = false;
            if (!inner_dropped_)
            {
                // The inner operation still runs: its completion frees the
                // state, with the handler uninvoked.
                abandoned_ = true;
                --busy_;
                throw;
            }
            if constexpr (std::is_same_v<typename sig::error_type, std::exception_ptr>)
            {
                result_.emplace(sig::failed(std::current_exception()));
                return;
            }
            else
            {
                core_.abandon();
                destroy();
                throw;
            }
        }
        launching_ = false;
    }

    // Something it started was destroyed uninvoked (the context shuts
    // down): the deadline, if still pending, goes too, and once nothing is
    // outstanding the state is freed with the handler, uninvoked.
    void abandon() noexcept
    {
        abandoned_ = true;
        --outstanding_;
        if (deadline_.disarm())
            --outstanding_;
        if (outstanding_ == 0 && busy_ == 0)
        {
            core_.abandon();
            destroy();
        }
    }

    // Delivers the result once the inner operation is done, and frees the
    // state once nothing refers to it. Returns whether the state is gone.
    bool settle()
    {
        if (busy_ != 0)
            return false;
        if (result_ && !delivered_ && !abandoned_)
        {
            delivered_ = true;
            auto r = outcome();
            bool gone = outstanding_ == 0;
            std::apply(
                [&](auto&&... args)
                {
                    core_.complete(
                        [&]
                        {
                            if (gone)
                                destroy();
                        },
                        std::move(args)...);
                },
                std::move(r));
            return gone;
        }
        if (outstanding_ == 0)
        {
            if (!delivered_)
                core_.abandon();
            destroy();
            return true;
        }
        return false;
    }

    // What the handler receives, as a tuple of its arguments.
    auto outcome()
    {
        bool aborted = sig::is_aborted(*result_);
        if constexpr (Mode::is_scope)
            return Mode::deliver(
                scope_outcome(Mode::fail, expired_, cancelled_from_outside_, aborted),
                std::move(*result_));
        else
            return timeout_outcome(expired_, aborted) == timeout_verdict::timed_out
                       ? sig::timed_out()
                       : std::move(*result_);
    }

    void destroy() noexcept { delete_op(this, allocator_type(get_allocator())); }

    core_type core_;
    // Where a coroutine child and the deadline run: the executor given to
    // wait_for, else the handler's.
    asio::any_io_executor io_executor_;
    asio::cancellation_signal inner_signal_;
    deadline<wait_for_state*> deadline_;
    std::optional<result_type> result_;
    int outstanding_ = 0;
    int busy_ = 0;
    bool expired_ = false;
    bool launching_ = false;
    bool inner_dropped_ = false;
    bool delivered_ = false;
    bool abandoned_ = false;
    bool cancelled_from_outside_ = false;
    // A timeout scope moved its deadline while the old one's expiry was
    // already posted.
    bool moved_ = false;
    [[no_unique_address]] Mode mode_;
};

} // namespace boost::muster::detail

#endif
