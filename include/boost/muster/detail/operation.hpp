//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_OPERATION_HPP
#define BOOST_MUSTER_DETAIL_OPERATION_HPP

#include <boost/muster/detail/op_alloc.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/executor.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/is_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/recycling_allocator.hpp>

#include <type_traits>
#include <utility>

// The operation core: what every asynchronous operation of Muster needs, once.
//
// * Executors: one rule for where a handler completes, one for where an
//   operation runs what it starts, one diagnostic when there is no executor.
// * op_core: a member of every operation's state. It owns the handler, keeps
//   work counted on the handler's executor, gives the handler's allocator to
//   every allocation the operation makes, forwards the handler's cancellation
//   slot to the state, and completes by one rule: posted from inside the
//   initiating function, dispatched from the completion of something the
//   operation started (which already runs on the handler's executor).
// * member_handler: the handler an operation gives to what it starts; it
//   carries the state's executor, allocator and a per-child cancellation slot.
// * post_completion: the immediate path (an operation that can complete at
//   once still posts its handler).

namespace boost::muster::detail
{

template <class>
inline constexpr bool always_false = false;

template <class T>
concept executor_like =
    asio::execution::is_executor<T>::value || asio::is_executor<T>::value;

template <class T>
concept context_like = std::is_convertible_v<T&, asio::execution_context&>;

// Marks "no executor given" in the executor position of an operation's
// overloads.
struct no_executor
{
};

// ---- executors --------------------------------------------------------------

// Where an operation's handler runs: its associated executor, else the one
// given to the operation (no_executor if neither).
template <class Handler, class Given>
using completion_executor_t = asio::associated_executor_t<Handler, Given>;

template <class Handler, class Given>
inline constexpr bool has_executor_v =
    !std::is_same_v<completion_executor_t<Handler, Given>, no_executor>;

template <class Handler, class Given>
completion_executor_t<Handler, Given> completion_executor(const Handler& h,
                                                          const Given& given) noexcept
{
    if constexpr (std::is_same_v<Given, no_executor>)
        return asio::get_associated_executor(h);
    else
        return asio::get_associated_executor(h, given);
}

// Where an operation runs what it starts (coroutine children, deadlines): the
// executor given to it, else its handler's.
template <class Handler, class Given>
auto run_executor(const Handler& h, const Given& given) noexcept
{
    if constexpr (std::is_same_v<Given, no_executor>)
        return completion_executor(h, given);
    else
        return given;
}

// The one diagnostic for an operation that has nowhere to run. Returns
// whether it has somewhere, so that `if constexpr` skips the body after the
// static_assert fired (one error, not a page).
template <class Handler, class Given>
constexpr bool check_executor()
{
    static_assert(
        has_executor_v<Handler, Given>,
        "muster: the completion handler has no associated executor, so the operation "
        "has nowhere to run and to complete. Pass an executor or execution context "
        "as the first argument (for example muster::gather(ex, ...)), bind one to "
        "the handler (asio::bind_executor(ex, handler)), or co_await the operation "
        "inside an asio::awaitable.");
    return has_executor_v<Handler, Given>;
}

// The base of an initiation object: it carries the executor given to the
// operation and exposes it, as Asio's initiations do, so that tokens such as
// use_promise find it. With no executor given it exposes none.
template <class Executor>
struct initiation_base
{
    using executor_type = Executor;
    Executor ex;
    executor_type get_executor() const noexcept { return ex; }
    const Executor& given() const noexcept { return ex; }
};

template <>
struct initiation_base<no_executor>
{
    initiation_base() = default;
    initiation_base(no_executor) noexcept {}
    static no_executor given() noexcept { return {}; }
};

// ---- completion -----------------------------------------------------------

// Posts `h(args...)` to the handler's executor (`fallback` if it has none):
// how an operation that can complete at once still never invokes its
// handler from inside the initiating function. The arguments are moved into
// the handler, so each is copied once.
template <class Handler, class Fallback, class... Args>
void post_completion(Handler&& h, const Fallback& fallback, Args&&... args)
{
    auto ex = asio::get_associated_executor(h, fallback);
    asio::post(ex, asio::append(std::forward<Handler>(h), std::forward<Args>(args)...));
}

// Marks, on this thread, the object whose completion is being posted. Asio's
// post may take a handler and then fail to allocate, destroying it: a
// function object destroyed uninvoked while it is marked was destroyed by
// such a failed post, not by its execution context's shutdown, and leaves
// what it refers to for the poster to restore.
class posting_scope
{
public:
    explicit posting_scope(const void* who) noexcept : prev_(current_) { current_ = who; }
    posting_scope(const posting_scope&) = delete;
    posting_scope& operator=(const posting_scope&) = delete;
    ~posting_scope() { current_ = prev_; }

    static bool failing(const void* who) noexcept { return who && current_ == who; }

private:
    static inline thread_local const void* current_ = nullptr;
    const void* prev_;
};

// Calls state->on_parent_cancellation(type) for a cancellation emitted on the
// slot of the operation's handler.
template <class State>
struct parent_cancellation
{
    explicit parent_cancellation(State* s) noexcept : state(s) {}
    State* state;
    void operator()(asio::cancellation_type_t type)
    {
        state->on_parent_cancellation(type);
    }
};

template <class Handler, class Given>
class op_core
{
public:
    using handler_type = Handler;
    using executor_type = completion_executor_t<Handler, Given>;
    using allocator_type =
        asio::associated_allocator_t<Handler, asio::recycling_allocator<void>>;

    template <class H>
    op_core(H&& h, const Given& given)
        : handler_(std::forward<H>(h)), work_(completion_executor(handler_, given)),
          alloc_(
              asio::get_associated_allocator(handler_, asio::recycling_allocator<void>()))
    {
    }

    op_core(const op_core&) = delete;
    op_core& operator=(const op_core&) = delete;

    executor_type get_executor() const noexcept { return work_.get_executor(); }

    // Taken once, so it stays valid after the handler was moved out.
    allocator_type get_allocator() const noexcept { return alloc_; }

    const Handler& handler() const noexcept { return handler_; }

    // Connects the handler's cancellation slot, if it has one, to
    // state->on_parent_cancellation(type).
    template <class State>
    void forward_cancellation(State* state)
    {
        auto slot = asio::get_associated_cancellation_slot(handler_);
        if (slot.is_connected())
            slot.template emplace<parent_cancellation<State>>(state);
    }

    // The initiating function has returned: completions from now on come from
    // what the operation started, on the handler's executor.
    void initiated() noexcept { initiating_ = false; }

    // Completes the operation: disconnects the cancellation slot, takes the
    // handler and `args` out, calls `free()` (which destroys the state that
    // holds this core), and invokes the handler -- posted while the
    // initiating function runs, dispatched afterwards. No work guard is
    // moved (g++ 12 at -O2 reports a moved one as maybe-uninitialized).
    template <class Free, class... Args>
    void complete(Free&& free, Args&&... args)
    {
        asio::get_associated_cancellation_slot(handler_).clear();
        executor_type ex = work_.get_executor();
        auto bound = asio::append(std::move(handler_), std::forward<Args>(args)...);
        if (initiating_)
        {
            // Posted while the state, and the work it counts, still exist:
            // before the initiating function returns nothing else may keep
            // the context from running out of work.
            struct free_state
            {
                Free& free;
                ~free_state() { free(); }
            } state{free};
            asio::post(ex, std::move(bound));
        }
        else
        {
            // Called from a completion running on the handler's executor,
            // which counts as work itself: the state is freed first, so the
            // handler may reuse its memory.
            std::forward<Free>(free)();
            asio::dispatch(ex, std::move(bound));
        }
    }

    // Disconnects the handler's slot; the handler is then destroyed with the
    // state, uninvoked (its execution context was shut down).
    void abandon() noexcept { asio::get_associated_cancellation_slot(handler_).clear(); }

private:
    Handler handler_;
    asio::executor_work_guard<executor_type> work_;
    [[no_unique_address]] allocator_type alloc_;
    bool initiating_ = true;
};

// ---- the handlers an operation gives to what it starts ---------------------

// Invoking it calls state->on_complete(id, args...). Its cancellation slot is
// state->slot_for(id), its allocator the state's (the operation's handler's).
// With BindExecutor, its associated executor is the state's, so the
// completion runs where the state lives; without, the started operation's own
// default applies (used for coroutines spawned on that very executor, sparing
// co_spawn a copy of it).
//
// Only the newest moved-to copy counts: destroying it uninvoked calls
// state->on_abandoned(id) -- its execution context was shut down, or the
// initiation it was given to threw or dropped it.
template <class State, class Id>
class member_handler_base
{
public:
    using cancellation_slot_type = asio::cancellation_slot;
    using allocator_type = typename State::allocator_type;

    member_handler_base(State* state, Id id) noexcept : state_(state), id_(id) {}

    member_handler_base(member_handler_base&& o) noexcept
        : state_(std::exchange(o.state_, nullptr)), id_(o.id_)
    {
    }

    member_handler_base& operator=(member_handler_base&&) = delete;

    ~member_handler_base()
    {
        if (state_)
            state_->on_abandoned(id_);
    }

    cancellation_slot_type get_cancellation_slot() const noexcept
    {
        return state_->slot_for(id_);
    }

    allocator_type get_allocator() const noexcept { return state_->get_allocator(); }

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
