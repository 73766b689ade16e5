//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_HANDLER_HPP
#define BOOST_MUSTER_DETAIL_HANDLER_HPP

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/execution/executor.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/is_executor.hpp>

#include <type_traits>

#include <utility>

namespace boost::muster::detail
{

template <class T>
concept executor_like =
    asio::execution::is_executor<T>::value || asio::is_executor<T>::value;

template <class T>
concept context_like = std::is_convertible_v<T&, asio::execution_context&>;

// Marks "no executor given" in the executor position of an operation's
// overloads: the handler's associated executor is used.
struct no_executor
{
};

// Base of an initiation object: it carries the executor given to the
// operation, and exposes it (as Asio initiations do) so that tokens such as
// use_promise find it; with no executor given it exposes none.
template <class Executor>
struct initiation_base
{
    using executor_type = Executor;
    Executor ex;
    executor_type get_executor() const noexcept { return ex; }
};

template <>
struct initiation_base<no_executor>
{
    no_executor ex;
};

// True if a handler has an associated executor, or one is given.
template <class Handler, class Executor>
inline constexpr bool has_executor_v =
    !std::is_same_v<asio::associated_executor_t<Handler, Executor>, no_executor>;

// The executor a handler runs on: its associated one, or `ex` if it has none.
template <class Handler, class Executor>
auto handler_executor(const Handler& h, const Executor& ex) noexcept
{
    if constexpr (std::is_same_v<Executor, no_executor>)
        return asio::get_associated_executor(h);
    else
        return asio::get_associated_executor(h, ex);
}

// Identifies the timer among the operations a combinator started.
struct timer_id
{
};

// The handler a combinator gives to one of the operations it starts (a child
// of gather, the inner operation or the timer of wait_for, ...). Invoking it
// calls state->on_complete(id, args...); its cancellation slot is
// state->slot_for(id). With BindExecutor, its associated executor is the
// state's, so the completion runs where the state lives; without, the started
// operation's own default applies (used for coroutines spawned on that very
// executor, sparing co_spawn a copy of it).
//
// Only the newest moved-to copy counts: destroying it uninvoked (its execution
// context was shut down) calls state->on_abandoned(), so the state can free
// itself once nothing refers to it any more.
template <class State, class Id>
class member_handler_base
{
public:
    using cancellation_slot_type = asio::cancellation_slot;

    member_handler_base(State* state, Id id) noexcept : state_(state), id_(id) {}

    member_handler_base(member_handler_base&& o) noexcept
        : state_(std::exchange(o.state_, nullptr)), id_(o.id_)
    {
    }

    member_handler_base& operator=(member_handler_base&&) = delete;

    ~member_handler_base()
    {
        if (state_)
            state_->on_abandoned();
    }

    cancellation_slot_type get_cancellation_slot() const noexcept
    {
        return state_->slot_for(id_);
    }

    template <class... Args>
    void operator()(Args&&... args)
    {
        std::exchange(state_, nullptr)->on_complete(id_, std::forward<Args>(args)...);
    }

protected:
    State* state_;
    Id id_;
};

template <class State, class Id, bool BindExecutor>
class member_handler : public member_handler_base<State, Id>
{
public:
    using member_handler_base<State, Id>::member_handler_base;
};

template <class State, class Id>
class member_handler<State, Id, true> : public member_handler_base<State, Id>
{
public:
    using executor_type = typename State::executor_type;
    using member_handler_base<State, Id>::member_handler_base;

    executor_type get_executor() const noexcept { return this->state_->get_executor(); }
};

} // namespace boost::muster::detail

#endif
