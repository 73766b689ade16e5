//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Fuzz target: the input is a sequence of queue operations (puts, gets and
// joins that may wait, the immediate forms, task_done, shutdown, each kind
// of cancellation of any operation started so far, and io_context steps,
// stop and restart), run against one of the six queues and checked, after
// every step, against a reference model of asyncio.Queue served strictly in
// arrival order. It ends in one of four ways: shut down and drained; the
// queue destroyed with operations pending; the io_context destroyed with
// operations pending and the queue owned by their handlers (a coroutine
// frame owning a queue it waits on); or shut down without dropping items and
// emptied. Checked: every outcome (error and item) is the model's, every
// handler runs at most once and never inside the call that started its
// operation, every operation still alive at the end completes exactly once,
// and no handler, queue or item outlives its owner.

#include "fuzz_check.hpp"

#include <boost/muster/error.hpp>
#include <boost/muster/queue.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/system/system_error.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <utility>

namespace
{

namespace asio = boost::asio;
namespace muster = boost::muster;
using boost::system::error_code;
using muster_fuzz::input;

enum class order
{
    fifo,
    lifo,
    priority
};

struct outcome
{
    error_code ec;
    int value = 0;
};

// One asynchronous operation, as the model decided it and as it completed.
struct op_state
{
    bool has_slot = false;
    bool resolved = false;
    outcome expected;
    int calls = 0;
    asio::cancellation_signal signal;
};

// The queue's documented rules (asyncio.Queue's), with every waiting get, put and join
// served in the order it arrived and its outcome decided when it is served.
class model
{
public:
    model(order o, std::size_t maxsize, std::deque<op_state>& ops)
        : order_(o), maxsize_(maxsize), ops_(ops)
    {
    }

    std::size_t size() const
    {
        return order_ == order::priority ? sorted_.size() : seq_.size();
    }
    bool full() const { return maxsize_ != 0 && size() >= maxsize_; }
    std::size_t unfinished() const { return unfinished_; }
    bool shut_down() const { return shut_down_; }

    enum class put_result
    {
        refused,
        would_wait,
        done
    };

    put_result put(int v)
    {
        if (shut_down_)
            return put_result::refused;
        if (!putters_.empty() || (full() && getters_.empty()))
            return put_result::would_wait;
        if (!getters_.empty())
        {
            std::size_t g = getters_.front();
            getters_.pop_front();
            resolve(g, {{}, v});
        }
        else
            push(v);
        ++unfinished_;
        return put_result::done;
    }

    void async_put(std::size_t id, int v)
    {
        switch (put(v))
        {
        case put_result::refused:
            return resolve(id, {muster::error::shut_down, 0});
        case put_result::would_wait:
            putters_.emplace_back(id, v);
            return;
        case put_result::done:
            return resolve(id, {});
        }
    }

    // The item, or why there is none (queue_empty, shut_down).
    std::optional<int> get(error_code& why)
    {
        if (size() == 0)
        {
            why = shut_down_ ? error_code(muster::error::shut_down)
                             : error_code(muster::error::queue_empty);
            return std::nullopt;
        }
        int v = pop();
        if (!putters_.empty())
        {
            auto [p, pv] = putters_.front();
            putters_.pop_front();
            push(pv);
            ++unfinished_;
            resolve(p, {});
        }
        return v;
    }

    void async_get(std::size_t id)
    {
        error_code why;
        if (auto v = get(why))
            resolve(id, {{}, *v});
        else if (why == muster::error::shut_down)
            resolve(id, {why, 0});
        else
            getters_.push_back(id);
    }

    void async_join(std::size_t id)
    {
        if (unfinished_ == 0)
            resolve(id, {});
        else
            joiners_.push_back(id);
    }

    bool task_done()
    {
        if (unfinished_ == 0)
            return false;
        if (--unfinished_ == 0)
            release_joiners();
        return true;
    }

    void shutdown(bool immediate)
    {
        shut_down_ = true;
        if (immediate)
        {
            std::size_t n = size();
            unfinished_ -= n < unfinished_ ? n : unfinished_;
            seq_.clear();
            sorted_.clear();
            if (unfinished_ == 0)
                release_joiners();
        }
        for (std::size_t g : getters_)
            resolve(g, {muster::error::shut_down, 0});
        getters_.clear();
        for (auto [p, v] : putters_)
            resolve(p, {muster::error::shut_down, 0});
        putters_.clear();
    }

    // A cancellation of a waiting operation; any other is too late.
    void cancel(std::size_t id)
    {
        auto drop = [&](auto& list, auto key)
        {
            for (auto it = list.begin(); it != list.end(); ++it)
                if (key(*it) == id)
                {
                    list.erase(it);
                    resolve(id, {asio::error::operation_aborted, 0});
                    return;
                }
        };
        auto same = [](std::size_t x) { return x; };
        drop(getters_, same);
        drop(joiners_, same);
        drop(putters_, [](const std::pair<std::size_t, int>& p) { return p.first; });
    }

    // The queue is destroyed: everything waiting is aborted.
    void abort_all()
    {
        for (std::size_t g : getters_)
            resolve(g, {asio::error::operation_aborted, 0});
        for (auto [p, v] : putters_)
            resolve(p, {asio::error::operation_aborted, 0});
        for (std::size_t j : joiners_)
            resolve(j, {asio::error::operation_aborted, 0});
        getters_.clear();
        putters_.clear();
        joiners_.clear();
    }

private:
    void resolve(std::size_t id, outcome o)
    {
        MUSTER_FUZZ_CHECK(!ops_[id].resolved);
        ops_[id].resolved = true;
        ops_[id].expected = o;
    }

    void release_joiners()
    {
        for (std::size_t j : joiners_)
            resolve(j, {});
        joiners_.clear();
    }

    void push(int v)
    {
        if (order_ == order::priority)
            sorted_.insert(v);
        else
            seq_.push_back(v);
    }

    int pop()
    {
        int v;
        if (order_ == order::priority)
        {
            v = *sorted_.begin();
            sorted_.erase(sorted_.begin());
        }
        else if (order_ == order::fifo)
        {
            v = seq_.front();
            seq_.pop_front();
        }
        else
        {
            v = seq_.back();
            seq_.pop_back();
        }
        return v;
    }

    order order_;
    std::size_t maxsize_;
    std::deque<op_state>& ops_;
    std::deque<int> seq_;
    std::multiset<int> sorted_;
    std::deque<std::size_t> getters_, joiners_;
    std::deque<std::pair<std::size_t, int>> putters_;
    std::size_t unfinished_ = 0;
    bool shut_down_ = false;
};

// What the handlers see of the run.
struct harness_flags
{
    bool initiating = false; // inside a call that starts an operation
    bool destroying = false; // inside the io_context's destructor
    long live_handlers = 0;
};

// Counts its copies, so that a handler kept past its owner shows.
struct live_count
{
    explicit live_count(harness_flags* f) noexcept : flags(f) { ++flags->live_handlers; }
    live_count(const live_count& o) noexcept : flags(o.flags) { ++flags->live_handlers; }
    live_count& operator=(const live_count&) = delete;
    ~live_count() { --flags->live_handlers; }
    harness_flags* flags;
};

struct handler
{
    op_state* op;
    live_count life;
    std::shared_ptr<void> keep; // the queue, when the handlers own it

    void operator()(error_code ec, int value = 0)
    {
        MUSTER_FUZZ_CHECK(!life.flags->initiating);
        MUSTER_FUZZ_CHECK(!life.flags->destroying);
        MUSTER_FUZZ_CHECK(op->resolved);
        MUSTER_FUZZ_CHECK(op->calls == 0);
        ++op->calls;
        MUSTER_FUZZ_CHECK(op->expected.ec == ec);
        MUSTER_FUZZ_CHECK(op->expected.value == value);
    }
};

enum ending
{
    drain,
    destroy_queue,
    destroy_context,
    shut_down_and_empty
};

template <class Queue>
void run(input& in, order o)
{
    std::size_t maxsize = in.pick(5);
    auto end = static_cast<ending>(in.pick(4));

    harness_flags flags;
    std::deque<op_state> ops;
    model m(o, maxsize, ops);
    auto io = std::make_unique<asio::io_context>();
    auto q = std::make_shared<Queue>(*io, maxsize);
    std::weak_ptr<Queue> watch = q;
    int next_value = 0;

    auto new_handler = [&](bool with_slot)
    {
        op_state& op = ops.emplace_back();
        op.has_slot = with_slot;
        std::shared_ptr<void> keep;
        if (end == destroy_context)
            keep = q;
        return handler{&op, live_count(&flags), std::move(keep)};
    };
    // Starts an operation, with a cancellation slot or without one.
    auto start = [&](auto initiate)
    {
        bool with_slot = in.pick(4) != 0;
        handler h = new_handler(with_slot);
        op_state* op = h.op;
        flags.initiating = true;
        if (with_slot)
            initiate(asio::bind_cancellation_slot(op->signal.slot(), std::move(h)));
        else
            initiate(std::move(h));
        flags.initiating = false;
    };
    // Unique values; their order varies with the input, for the priority queue.
    auto value = [&] { return (in.byte() << 16) | next_value++; };
    auto check_state = [&]
    {
        MUSTER_FUZZ_CHECK(q->size() == m.size());
        MUSTER_FUZZ_CHECK(q->full() == m.full());
        MUSTER_FUZZ_CHECK(q->unfinished_tasks() == m.unfinished());
        MUSTER_FUZZ_CHECK(q->is_shut_down() == m.shut_down());
    };
    auto expect_error = [](auto f, error_code expected)
    {
        try
        {
            f();
        }
        catch (const boost::system::system_error& e)
        {
            MUSTER_FUZZ_CHECK(e.code() == expected);
            return;
        }
        MUSTER_FUZZ_CHECK(!"an exception");
    };

    for (int steps = 0; !in.done() && steps < 4096; ++steps)
    {
        switch (in.pick(16))
        {
        case 0:
        case 1:
        {
            int v = value();
            std::size_t id = ops.size();
            start([&](auto h) { q->async_put(v, std::move(h)); });
            m.async_put(id, v);
            break;
        }
        case 2:
        case 3:
        {
            std::size_t id = ops.size();
            start([&](auto h) { q->async_get(std::move(h)); });
            m.async_get(id);
            break;
        }
        case 4:
        {
            std::size_t id = ops.size();
            start([&](auto h) { q->async_join(std::move(h)); });
            m.async_join(id);
            break;
        }
        case 5:
        {
            int v = value();
            error_code ec = q->try_put(v);
            auto r = m.put(v);
            MUSTER_FUZZ_CHECK((r == model::put_result::done) == !ec);
            MUSTER_FUZZ_CHECK((r == model::put_result::refused) ==
                              (ec == muster::error::shut_down));
            MUSTER_FUZZ_CHECK((r == model::put_result::would_wait) ==
                              (ec == muster::error::queue_full));
            break;
        }
        case 6:
        {
            auto item = q->try_get();
            error_code why;
            auto expected = m.get(why);
            MUSTER_FUZZ_CHECK(item.has_value() == expected.has_value());
            if (expected)
                MUSTER_FUZZ_CHECK(*item == *expected);
            else
                MUSTER_FUZZ_CHECK(item.error() == why);
            break;
        }
        case 7:
        {
            int v = value();
            auto r = m.put(v);
            if (r == model::put_result::done)
                q->put_nowait(v);
            else
                expect_error([&] { q->put_nowait(v); }, r == model::put_result::refused
                                                            ? muster::error::shut_down
                                                            : muster::error::queue_full);
            break;
        }
        case 8:
        {
            error_code why;
            if (auto expected = m.get(why))
                MUSTER_FUZZ_CHECK(q->get_nowait() == *expected);
            else
                expect_error([&] { q->get_nowait(); }, why);
            break;
        }
        case 9:
            if (m.task_done())
                q->task_done();
            else
                expect_error([&] { q->task_done(); }, muster::error::unmatched_task_done);
            break;
        case 10:
            if (in.pick(4) == 0) // rarer: everything after it is simpler
            {
                bool immediate = in.pick(2) != 0;
                q->shutdown(immediate);
                m.shutdown(immediate);
            }
            break;
        case 11:
        case 12:
        {
            if (ops.empty())
                break;
            std::size_t id = in.pick(ops.size() < 256 ? ops.size() : 256);
            id = ops.size() - 1 - id; // mostly the recent ones
            static constexpr asio::cancellation_type types[] = {
                asio::cancellation_type::terminal, asio::cancellation_type::partial,
                asio::cancellation_type::total, asio::cancellation_type::none};
            auto type = types[in.pick(4)];
            ops[id].signal.emit(type);
            if (ops[id].has_slot && type != asio::cancellation_type::none)
                m.cancel(id);
            break;
        }
        case 13:
        case 14:
            io->poll_one();
            break;
        case 15:
            switch (in.pick(3))
            {
            case 0:
                io->poll();
                break;
            case 1:
                io->stop();
                break;
            default:
                io->restart();
                break;
            }
            break;
        }
        check_state();
    }

    io->restart();
    switch (end)
    {
    case drain:
    case shut_down_and_empty:
    {
        bool immediate = end == drain;
        q->shutdown(immediate);
        m.shutdown(immediate);
        error_code why;
        while (auto expected = m.get(why))
            MUSTER_FUZZ_CHECK(q->get_nowait() == *expected);
        while (m.task_done())
            q->task_done();
        check_state();
        io->poll(); // no timers: a lost waiter fails below instead of hanging
        break;
    }
    case destroy_queue:
        m.abort_all();
        q.reset();
        io->poll(); // no timers: a lost waiter fails below instead of hanging
        break;
    case destroy_context:
        io->poll(); // what was already done completes; the rest waits
        for (const op_state& op : ops)
            MUSTER_FUZZ_CHECK(op.calls == (op.resolved ? 1 : 0));
        q.reset(); // now owned by the waiting handlers, if any
        flags.destroying = true;
        io.reset();
        flags.destroying = false;
        MUSTER_FUZZ_CHECK(watch.expired());
        MUSTER_FUZZ_CHECK(flags.live_handlers == 0);
        return;
    }
    for (const op_state& op : ops)
    {
        MUSTER_FUZZ_CHECK(op.resolved);
        MUSTER_FUZZ_CHECK(op.calls == 1);
    }
    MUSTER_FUZZ_CHECK(flags.live_handlers == 0);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    input in(data, size);
    switch (in.pick(6))
    {
    case 0:
        run<muster::queue<int>>(in, order::fifo);
        break;
    case 1:
        run<muster::lifo_queue<int>>(in, order::lifo);
        break;
    case 2:
        run<muster::priority_queue<int>>(in, order::priority);
        break;
    case 3:
        run<muster::concurrent_queue<int>>(in, order::fifo);
        break;
    case 4:
        run<muster::concurrent_lifo_queue<int>>(in, order::lifo);
        break;
    default:
        run<muster::concurrent_priority_queue<int>>(in, order::priority);
        break;
    }
    return 0;
}
