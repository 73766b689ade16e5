//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// to_thread (asyncio.to_thread). The functions run on a real thread pool;
// where a test must know how far a function got, it waits on a future or
// a condition the test sets, never on time.

#include <boost/muster/to_thread.hpp>

#include <muster_test/counting_allocator.hpp>
#include <muster_test/util.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>

namespace asio = boost::asio;
namespace muster = boost::muster;
using muster_test::is_aborted;
using muster_test::what;

namespace
{

// A function blocked until the test releases it.
struct blocker
{
    std::promise<void> started;
    std::promise<void> go;
    std::shared_future<void> go_future = go.get_future().share();
    std::atomic<bool> finished{false};

    int operator()(int v)
    {
        started.set_value();
        go_future.wait();
        finished = true;
        return v;
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(to_thread_suite)

BOOST_AUTO_TEST_CASE(runs_on_the_pool_and_completes_on_the_callers_executor)
{
    asio::io_context io;
    asio::thread_pool pool(1);
    std::thread::id ran_on, completed_on;
    int result = 0;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void>
        {
            result = co_await muster::to_thread(
                pool,
                [&](int a, std::string b)
                {
                    ran_on = std::this_thread::get_id();
                    return a + static_cast<int>(b.size());
                },
                40, std::string("ab"));
            completed_on = std::this_thread::get_id();
        },
        [](std::exception_ptr e)
        {
            if (e)
                std::rethrow_exception(e);
        });
    io.run(); // returns once the result came back: the call counts as work
    pool.join();
    BOOST_TEST(result == 42);
    BOOST_TEST((ran_on != std::this_thread::get_id()));
    BOOST_TEST((completed_on == std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(an_exception_reaches_the_caller)
{
    asio::io_context io;
    asio::thread_pool pool(1);
    std::exception_ptr error;
    muster::to_thread(pool, []() -> int { throw std::runtime_error("blocking failed"); })(
        asio::bind_executor(io, [&](std::exception_ptr e, int) { error = e; }));
    io.run();
    BOOST_TEST(what(error) == "blocking failed");
}

BOOST_AUTO_TEST_CASE(never_inline_even_when_the_function_has_already_returned)
{
    // The function has run and its result is posted back, yet the handler
    // runs only when its own executor runs it.
    asio::io_context io;
    asio::thread_pool pool(1);
    int value = 0;
    muster::to_thread(pool, [] { return 2; })(
        asio::bind_executor(io, [&](std::exception_ptr, int v) { value = v; }));
    pool.join();
    BOOST_TEST(value == 0);
    io.run();
    BOOST_TEST(value == 2);
}

BOOST_AUTO_TEST_CASE(without_an_executor_the_handler_runs_on_the_pool)
{
    asio::thread_pool pool(1);
    std::promise<std::thread::id> where;
    auto f = where.get_future();
    muster::to_thread(pool, [] {})([&](std::exception_ptr)
                                   { where.set_value(std::this_thread::get_id()); });
    auto id = f.get();
    pool.join();
    BOOST_TEST((id != std::this_thread::get_id()));
    asio::thread_pool pool2(1);
    std::future<int> r =
        muster::to_thread(pool2.get_executor(), [] { return 5; })(asio::use_future);
    BOOST_TEST(r.get() == 5);
}

BOOST_AUTO_TEST_CASE(an_unstoppable_function_is_abandoned_by_a_cancelled_wait)
{
    // terminal and partial end the wait at once; the function runs on, and
    // run() does not return before it has.
    for (auto type :
         {asio::cancellation_type::terminal, asio::cancellation_type::partial})
    {
        asio::io_context io;
        asio::thread_pool pool(1);
        blocker b;
        asio::cancellation_signal sig;
        int calls = 0;
        std::exception_ptr error;
        muster::to_thread(pool, std::ref(b), 7)(asio::bind_cancellation_slot(
            sig.slot(), asio::bind_executor(io,
                                            [&](std::exception_ptr e, int)
                                            {
                                                ++calls;
                                                error = e;
                                            })));
        b.started.get_future().wait();
        sig.emit(type);
        io.run_one(); // the aborted completion
        BOOST_TEST(calls == 1);
        BOOST_TEST(is_aborted(error), what(error));
        BOOST_TEST(!b.finished);
        b.go.set_value();
        io.run();
        BOOST_TEST(b.finished, "run() waited for the function");
        BOOST_TEST(calls == 1, "the discarded result is not delivered");
        pool.join();
    }
}

BOOST_AUTO_TEST_CASE(a_total_cancellation_of_an_unstoppable_function_is_ignored)
{
    asio::io_context io;
    asio::thread_pool pool(1);
    blocker b;
    asio::cancellation_signal sig;
    int value = 0;
    muster::to_thread(pool, std::ref(b), 8)(asio::bind_cancellation_slot(
        sig.slot(),
        asio::bind_executor(io, [&](std::exception_ptr, int v) { value = v; })));
    b.started.get_future().wait();
    sig.emit(asio::cancellation_type::total);
    b.go.set_value();
    io.run();
    BOOST_TEST(value == 8);
}

BOOST_AUTO_TEST_CASE(a_stop_token_is_stopped_and_the_function_waited_for)
{
    for (auto type : {asio::cancellation_type::terminal, asio::cancellation_type::partial,
                      asio::cancellation_type::total})
    {
        asio::io_context io;
        asio::thread_pool pool(1);
        std::promise<void> started;
        std::atomic<bool> returned{false};
        asio::cancellation_signal sig;
        std::exception_ptr error;
        int value = 0;
        // Waits for a stop, with no timeout, and reports how it ended.
        auto stoppable = [&](std::stop_token st, int v)
        {
            std::mutex m;
            std::condition_variable_any cv;
            std::unique_lock<std::mutex> lock(m);
            started.set_value();
            cv.wait(lock, st, [] { return false; });
            returned = true;
            return st.stop_requested() ? -v : v;
        };
        muster::to_thread(pool, stoppable, 3)(asio::bind_cancellation_slot(
            sig.slot(), asio::bind_executor(io,
                                            [&](std::exception_ptr e, int v)
                                            {
                                                error = e;
                                                value = v;
                                            })));
        started.get_future().wait();
        sig.emit(type);
        io.run();
        BOOST_TEST(returned);
        BOOST_TEST(!error);
        BOOST_TEST(value == -3, "the function saw the stop and its result arrived");
        pool.join();
    }
}

BOOST_AUTO_TEST_CASE(a_pool_shut_down_before_the_function_ran)
{
    // The pool's one thread is busy; the second call is still queued when
    // the pool stops and is destroyed: that call ends with operation_aborted.
    asio::io_context io;
    std::exception_ptr second;
    bool second_called = false;
    bool second_ran = false;
    {
        asio::thread_pool pool(1);
        blocker b;
        muster::to_thread(pool, std::ref(b),
                          1)(asio::bind_executor(io, [](std::exception_ptr, int) {}));
        b.started.get_future().wait();
        muster::to_thread(pool, [&] { second_ran = true; })(
            asio::bind_executor(io,
                                [&](std::exception_ptr e)
                                {
                                    second_called = true;
                                    second = e;
                                }));
        pool.stop();
        b.go.set_value();
        pool.join();
        BOOST_TEST(b.finished, "no function outlives the pool's join");
    }
    io.run();
    BOOST_TEST(!second_ran);
    BOOST_TEST(second_called);
    BOOST_TEST(is_aborted(second), what(second));
}

BOOST_AUTO_TEST_CASE(the_handlers_allocator_is_used)
{
    asio::io_context io;
    asio::thread_pool pool(1);
    muster_test::allocation_counts counts;
    int value = 0;
    muster::to_thread(pool, [] { return 4; })(asio::bind_allocator(
        muster_test::counting_allocator<void>(counts),
        asio::bind_executor(io, [&](std::exception_ptr, int v) { value = v; })));
    io.run();
    pool.join();
    BOOST_TEST(value == 4);
    BOOST_TEST(counts.allocations >= 1u);
    BOOST_TEST(counts.allocations == counts.deallocations);
}

BOOST_AUTO_TEST_CASE(move_only_arguments_and_results)
{
    asio::io_context io;
    asio::thread_pool pool(2);
    std::unique_ptr<int> out;
    muster::to_thread(
        pool, [](std::unique_ptr<int> p) { return p; },
        std::make_unique<int>(6))(asio::bind_executor(
        io, [&](std::exception_ptr, std::unique_ptr<int> p) { out = std::move(p); }));
    io.run();
    pool.join();
    BOOST_TEST_REQUIRE(out != nullptr);
    BOOST_TEST(*out == 6);
}

BOOST_AUTO_TEST_CASE(a_call_cancelled_before_it_ran_never_runs)
{
    // As a cancelled asyncio future whose work has not started: the function
    // is skipped.
    asio::io_context io;
    asio::thread_pool pool(1);
    blocker b;
    muster::to_thread(pool, std::ref(b),
                      1)(asio::bind_executor(io, [](std::exception_ptr, int) {}));
    b.started.get_future().wait();
    std::atomic<bool> ran{false};
    asio::cancellation_signal sig;
    std::exception_ptr error;
    muster::to_thread(pool, [&] { ran = true; })(asio::bind_cancellation_slot(
        sig.slot(), asio::bind_executor(io, [&](std::exception_ptr e) { error = e; })));
    sig.emit(asio::cancellation_type::terminal);
    io.run_one();
    BOOST_TEST(is_aborted(error), what(error));
    b.go.set_value();
    io.run();
    pool.join();
    BOOST_TEST(!ran);
}

BOOST_AUTO_TEST_CASE(a_cancellation_racing_the_result_completes_once)
{
    // The function returns on one pool thread while the cancellation is
    // emitted on the handler's strand: whichever comes first completes the
    // handler, exactly once, and the other is dropped.
    for (int round = 0; round != 100; ++round)
    {
        asio::thread_pool pool(4);
        std::atomic<int> calls{0};
        asio::cancellation_signal sig;
        auto strand = asio::make_strand(pool);
        asio::post(
            strand,
            [&]
            {
                muster::to_thread(pool, [] { return 1; })(asio::bind_cancellation_slot(
                    sig.slot(), asio::bind_executor(strand, [&](std::exception_ptr, int)
                                                    { ++calls; })));
                asio::post(strand, [&] { sig.emit(asio::cancellation_type::terminal); });
            });
        pool.join();
        BOOST_TEST(calls == 1);
    }
}

BOOST_AUTO_TEST_CASE(the_callers_context_destroyed_while_the_function_runs)
{
    // The context goes first: the handler, and the coroutine waiting in it,
    // are destroyed with the context, and the function's end posts nothing
    // to it.
    asio::thread_pool pool(1);
    blocker b;
    bool invoked = false;
    bool frame_destroyed = false;
    {
        asio::io_context io;
        muster::to_thread(pool, std::ref(b), 1)(
            asio::bind_executor(io, [&](std::exception_ptr, int) { invoked = true; }));
        asio::co_spawn(
            io,
            [&]() -> asio::awaitable<void>
            {
                muster_test::frame_guard guard{frame_destroyed};
                co_await muster::to_thread(pool, [&] { b.go_future.wait(); });
                invoked = true;
            },
            asio::detached);
        io.poll();
        b.started.get_future().wait();
    }
    BOOST_TEST(frame_destroyed, "the coroutine went with its context");
    b.go.set_value();
    pool.join();
    BOOST_TEST(!invoked);
}

BOOST_AUTO_TEST_SUITE_END()
