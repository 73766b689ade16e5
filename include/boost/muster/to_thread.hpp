//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_TO_THREAD_HPP
#define BOOST_MUSTER_TO_THREAD_HPP

#include <boost/muster/detail/asio_compat.hpp>
#include <boost/muster/detail/op_alloc.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/pending_service.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/system/system_error.hpp>

#include <atomic>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace boost::muster
{
namespace detail
{

// As std::jthread decides: a function that accepts a std::stop_token first
// gets one.
template <class F, class... Args>
inline constexpr bool takes_stop_token_v =
    std::is_invocable_v<F&&, std::stop_token, Args&&...>;

template <class F, class... Args>
struct thread_result
{
    using type = std::invoke_result_t<F&&, Args&&...>;
};

template <class F, class... Args>
requires takes_stop_token_v<F, Args...>
struct thread_result<F, Args...>
{
    using type = std::invoke_result_t<F&&, std::stop_token, Args&&...>;
};

template <class F, class... Args>
using thread_result_t =
    typename thread_result<std::decay_t<F>, std::decay_t<Args>...>::type;

template <class F, class... Args>
concept thread_callable =
    (takes_stop_token_v<std::decay_t<F>, std::decay_t<Args>...> ||
     std::is_invocable_v<
         std::decay_t<F>&&,
         std::decay_t<Args>&&...>)&&(std::is_void_v<thread_result_t<F, Args...>> ||
                                     (std::is_move_constructible_v<
                                          thread_result_t<F, Args...>> &&
                                      std::is_default_constructible_v<
                                          thread_result_t<F, Args...>>));

template <class R>
struct thread_signature
{
    using type = void(std::exception_ptr, R);
};

template <>
struct thread_signature<void>
{
    using type = void(std::exception_ptr);
};

// One call of to_thread. The function runs on the pool; every decision --
// delivering its result, a cancellation that does not wait for it -- is
// taken on the handler's executor, from functions posted there, and the one
// that delivers is chosen by an atomic flag (the handler's executor may run
// on several threads). The state is shared by the pool's side and the
// handler's side (an atomic count) and is freed when both are done, so a
// cancelled call's function may run on after its handler was invoked; the
// handler's work stays counted until then.
//
// The state is known to the handler's execution context (pending_service):
// if the context shuts down first, the handler is destroyed there, uninvoked,
// and the pool's side posts nothing to the context afterwards.
template <class Handler, class PoolExecutor, class F, class... Args>
class thread_state
{
    static constexpr bool stoppable = takes_stop_token_v<F, Args...>;
    using value_type = thread_result_t<F, Args...>;
    using core_type = op_core<Handler, PoolExecutor>;

public:
    using executor_type = typename core_type::executor_type;
    using allocator_type = typename core_type::allocator_type;

    template <class H, class... A>
    static thread_state* create(H&& h, const PoolExecutor& pool, A&&... a)
    {
        return new_op<thread_state>(h, std::forward<H>(h), pool, std::forward<A>(a)...);
    }

    allocator_type get_allocator() const noexcept { return alloc_; }

    void start()
    {
        core_->forward_cancellation(this);
        // From here on, completions come from functions posted to the
        // handler's executor; the first may run as soon as the post below,
        // on another thread. This function holds a reference until it
        // returns.
        core_->initiated();
        refs_.store(1, std::memory_order_relaxed);
        try
        {
            asio::post(pool_, asio::bind_allocator(get_allocator(), runner(this)));
        }
        catch (...)
        {
            core_->abandon();
            destroy();
            throw;
        }
        starting_.store(false, std::memory_order_release);
        release();
    }

    void on_parent_cancellation(asio::cancellation_type_t type)
    {
        if constexpr (stoppable)
        {
            (void)type;
            stop_.request_stop(); // the function decides; its result is delivered
        }
        else if ((type & (asio::cancellation_type::terminal |
                          asio::cancellation_type::partial)) !=
                 asio::cancellation_type::none)
        {
            // The function cannot be stopped: the wait ends, and its result
            // will be discarded. Its side effects happen all the same, so a
            // `total` cancellation cannot be honoured and is ignored.
            back_to_handler(&thread_state::abort);
        }
    }

    // The handler's execution context shuts down (pending_service): nothing
    // is posted to it any more, and the handler is destroyed there.
    void take_waiters(std::vector<pending_service::orphan>& out)
    {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            orphaned_ = true;
        }
        // A state whose last reference is going, on a pool thread, has
        // delivered already (or it would still be waited for here): it is
        // left to unlink itself. The others are kept until the handler is
        // dropped below.
        int refs = refs_.load(std::memory_order_relaxed);
        do
        {
            if (refs == 0)
                return;
        } while (!refs_.compare_exchange_weak(refs, refs + 1, std::memory_order_acq_rel));
        try
        {
            out.push_back({this, &thread_state::drop_handler});
        }
        catch (...)
        {
            refs_.fetch_sub(1, std::memory_order_acq_rel); // the handler stays
        }
    }

private:
    template <class U, class H2, class... A>
    friend U* new_op(const H2&, A&&...);

    template <class H, class F2, class... A>
    thread_state(H&& h, const PoolExecutor& pool, F2&& f, A&&... a)
        : core_(std::in_place, std::forward<H>(h), pool), alloc_(core_->get_allocator()),
          pool_(pool), f_(std::forward<F2>(f)), args_(std::forward<A>(a)...),
          registration_(this, core_->get_executor())
    {
    }

    // Drops a reference when it goes, also when the function it guards
    // throws.
    struct reference
    {
        thread_state* s;
        ~reference() { s->release(); }
    };

    // The pool's side: runs the function once, unless the wait was already
    // ended by a cancellation. Destroyed uninvoked (the pool was stopped and
    // destroyed first), the call completes with operation_aborted.
    class runner
    {
    public:
        explicit runner(thread_state* s) noexcept : s_(s) { s_->refs_.fetch_add(1); }
        runner(runner&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
        runner& operator=(runner&&) = delete;
        ~runner()
        {
            // Destroyed by a post that failed: start() frees the state.
            if (!s_ || s_->starting_.load(std::memory_order_acquire))
                return;
            reference r{s_};
            try
            {
                s_->back_to_handler(&thread_state::abort);
            }
            catch (...)
            {
                // Nothing can reach the handler; it stays pending.
            }
        }

        void operator()()
        {
            reference r{std::exchange(s_, nullptr)};
            if (!r.s->delivered_.load(std::memory_order_acquire))
                r.s->run();
        }

    private:
        thread_state* s_;
    };

    // A member function of the state, posted to the handler's executor.
    class call
    {
    public:
        call(thread_state* s, void (thread_state::*fn)()) noexcept : s_(s), fn_(fn)
        {
            s_->refs_.fetch_add(1);
        }
        call(call&& o) noexcept : s_(std::exchange(o.s_, nullptr)), fn_(o.fn_) {}
        call& operator=(call&&) = delete;
        ~call()
        {
            if (s_)
                s_->release(); // the handler's context was shut down
        }

        void operator()()
        {
            reference r{std::exchange(s_, nullptr)};
            (r.s->*fn_)();
        }

    private:
        thread_state* s_;
        void (thread_state::*fn_)();
    };

    void run()
    {
        try
        {
            if constexpr (std::is_void_v<value_type>)
                invoke();
            else
                value_.emplace(invoke());
        }
        catch (...)
        {
            error_ = std::current_exception();
        }
        back_to_handler(&thread_state::finished);
    }

    decltype(auto) invoke()
    {
        return std::apply(
            [this](auto&&... a) -> decltype(auto)
            {
                if constexpr (stoppable)
                    return std::invoke(std::move(f_), stop_.get_token(), std::move(a)...);
                else
                    return std::invoke(std::move(f_), std::move(a)...);
            },
            std::move(args_));
    }

    // Posts `fn` to the handler's executor, unless its context has shut
    // down.
    void back_to_handler(void (thread_state::*fn)())
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (orphaned_)
            return;
        asio::post(core_->get_executor(),
                   asio::bind_allocator(get_allocator(), call(this, fn)));
    }

    // On the handler's executor: the function returned or threw.
    void finished()
    {
        if (delivered_.exchange(true, std::memory_order_acq_rel))
            return; // already cancelled: the result is discarded
        if constexpr (std::is_void_v<value_type>)
            core_->complete([] {}, std::move(error_));
        else if (error_)
            core_->complete([] {}, std::move(error_), value_type());
        else
            core_->complete([] {}, std::exception_ptr(), std::move(*value_));
    }

    // On the handler's executor: the wait was cancelled, or the function
    // will never run.
    void abort()
    {
        if (delivered_.exchange(true, std::memory_order_acq_rel))
            return;
        auto e = std::make_exception_ptr(
            boost::system::system_error(asio::error::operation_aborted));
        if constexpr (std::is_void_v<value_type>)
            core_->complete([] {}, std::move(e));
        else
            core_->complete([] {}, std::move(e), value_type());
    }

    // At shutdown of the handler's context, after every pending operation
    // was taken out: the handler goes, uninvoked, and with it its work.
    static void drop_handler(void* p) noexcept
    {
        auto* s = static_cast<thread_state*>(p);
        reference r{s};
        s->core_->abandon();
        s->core_.reset();
    }

    void release() noexcept
    {
        if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1)
            destroy();
    }

    void destroy() noexcept { delete_op(this, allocator_type(alloc_)); }

    std::optional<core_type> core_;
    allocator_type alloc_;
    PoolExecutor pool_;
    F f_;
    std::tuple<Args...> args_;
    [[no_unique_address]] std::conditional_t<stoppable, std::stop_source, std::tuple<>>
        stop_;
    std::optional<std::conditional_t<std::is_void_v<value_type>, char, value_type>>
        value_;
    std::exception_ptr error_;
    std::atomic<int> refs_{0};
    std::atomic<bool> starting_{true};
    std::atomic<bool> delivered_{false};
    std::mutex mutex_;
    bool orphaned_ = false;
    pending_registration<thread_state> registration_;
};

template <class PoolExecutor>
struct initiate_to_thread
{
    using executor_type = PoolExecutor;
    PoolExecutor pool;
    executor_type get_executor() const noexcept { return pool; }

    template <class Handler, class F, class... Args>
    void operator()(Handler&& handler, F&& f, Args&&... args) const
    {
        using state_type = thread_state<std::decay_t<Handler>, PoolExecutor,
                                        std::decay_t<F>, std::decay_t<Args>...>;
        state_type::create(std::forward<Handler>(handler), pool, std::forward<F>(f),
                           std::forward<Args>(args)...)
            ->start();
    }
};

template <class PoolExecutor, class F, class... Args>
auto make_to_thread(const PoolExecutor& pool, F&& f, Args&&... args)
{
    return asio::async_initiate<
        const asio::deferred_t&,
        typename thread_signature<thread_result_t<F, Args...>>::type>(
        initiate_to_thread<PoolExecutor>{pool}, asio::deferred, std::forward<F>(f),
        std::forward<Args>(args)...);
}

} // namespace detail

/** Runs a blocking function on a thread pool and completes on the caller's
    executor, like `asyncio.to_thread`.

    This function returns at once an asynchronous operation object; `co_await`
    it, or call it with a completion token. Starting it posts a call of
    `f(args...)` to `pool` -- or of `f(stop_token, args...)` if `f` accepts a
    `std::stop_token` first, as `std::jthread` decides. `f` and `args` are
    decay-copied into the operation, as `std::thread` does, and passed to `f`
    as rvalues.

    @param pool Where `f` runs: an `asio::thread_pool` (any execution
    context), or an executor.
    @param f The blocking function. Its result type must be `void`, or
    movable and default-constructible.
    @param args Its arguments.

    @par Completion
    With signature `void(std::exception_ptr, R)` (`void(std::exception_ptr)`
    for `R = void`): what `f` threw, or null, and what it returned. In a
    coroutine, `co_await to_thread(...)` returns the value or throws. If the
    pool is shut down before `f` ran, a `system_error` of
    `asio::error::operation_aborted`.

    @par Handler
    Never invoked from within the function that starts the operation; invoked
    on its associated executor -- the caller's, in a coroutine -- else on the
    pool's. Until `f` has returned, the operation counts as work on that
    executor, also after a cancellation completed the handler: `run()` does
    not return while a result may still be posted to it. State is allocated
    with the handler's associated allocator.

    @par Per-operation cancellation
    What can be stopped, and what cannot:
    - `f` takes a `std::stop_token`: `terminal`, `partial` and `total`
      request a stop on it; the operation still waits for `f`, and delivers
      what `f` then returns or throws. `f` decides how soon it stops, and
      what a stopped call returns.
    - Otherwise `f` cannot be stopped. `terminal` and `partial` end the
      wait: the handler is invoked (posted) with `operation_aborted`, and
      `f` runs on to its end, its result discarded. `total` is ignored, since
      `f`'s side effects cannot be undone.
    A function already running on the pool is never interrupted, and no
    thread of the pool outlives the pool's `join()`.

    @par Thread safety
    `f` runs on a pool thread, concurrently with the caller: what it touches
    must be safe to use from there. The handler runs on its own executor.
*/
template <detail::context_like Context, class F, class... Args>
requires detail::thread_callable<F, Args...>
auto to_thread(Context& pool, F&& f, Args&&... args)
{
    return detail::make_to_thread(pool.get_executor(), std::forward<F>(f),
                                  std::forward<Args>(args)...);
}

/// As above, with `f` run on the executor `pool`.
template <detail::executor_like Executor, class F, class... Args>
requires detail::thread_callable<F, Args...>
auto to_thread(const Executor& pool, F&& f, Args&&... args)
{
    return detail::make_to_thread(pool, std::forward<F>(f), std::forward<Args>(args)...);
}

} // namespace boost::muster

#endif
