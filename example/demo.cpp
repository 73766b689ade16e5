//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The demo: a search front end over TCP, in one process, on loopback.
//
//   load clients --TCP--> front end --work queue--> workers --TCP--> backends
//
// Three backend servers each hold a shard of an index and a replica of the
// documents. They answer after a random delay with a slow tail, and some
// answers are errors. The front end reads queries from its clients into a
// bounded work queue (a full queue stops the reading: backpressure), and a
// pool of workers answers each query in two steps:
//
//   1. search every shard at once with gather(return_exceptions, ...), so a
//      failed or slow shard costs its share of the answer, not the answer;
//   2. fetch the best hit from its replica, and if that replica is slow, hedge
//      with a second one: wait(..., first_completed), then cancel the loser.
//
// Every backend call is bounded by wait_for, and each backend admits only a
// few calls at a time through a semaphore. The workers, and the servers, run
// in task groups. At the end the front end stops gracefully: join the work
// queue, shut it down, join the workers' group.
//
// Run with --help for the options; the defaults finish in a few seconds.

#include <boost/muster.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace asio = boost::asio;
namespace muster = boost::muster;
using asio::ip::tcp;
using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;
using boost::system::system_error;

namespace
{

// ---------------------------------------------------------------- options

struct options
{
    int requests = 240;
    int clients = 4;
    int window = 3; // queries in flight per client
    int workers = 6;
    std::size_t queue = 4;
    std::size_t limit = 4; // calls in flight per backend
    milliseconds timeout{50};
    milliseconds hedge_after{15};
    unsigned seed = 1;
};

constexpr const char* usage = R"(usage: demo [options]

A search front end and three backends over TCP on loopback, in one process.
Clients send queries; the front end queues them for its workers, which search
every backend shard at once (gather), fetch the best hit with a hedged read
(wait first_completed), and bound every backend call with a timeout (wait_for).

  --requests N     queries to send in all (240)
  --clients N      client connections sending them (4)
  --window N       queries each client keeps in flight (3)
  --workers N      front-end workers taking queries from the work queue (6)
  --queue N        capacity of the work queue; a full queue stops reading (4)
  --limit N        calls each backend admits at once (4)
  --timeout MS     bound on each backend call, in milliseconds (50)
  --hedge-after MS start a second replica when the first has not answered (15)
  --seed N         seed of the backends' latencies and errors (1)
  --help           show this text
)";

// Reads the options; returns nothing after printing why it cannot.
std::optional<options> parse_options(int argc, char** argv)
{
    options o;
    for (int i = 1; i < argc; ++i)
    {
        std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h")
        {
            std::cout << usage;
            std::exit(0);
        }
        if (i + 1 == argc)
        {
            std::cerr << "demo: " << arg << " needs a value\n\n" << usage;
            return std::nullopt;
        }
        std::string_view text = argv[++i];
        long value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || end != text.data() + text.size() || value < 1 ||
            value > 1'000'000)
        {
            std::cerr << "demo: " << arg << " needs a number from 1 to 1000000, not '"
                      << text << "'\n";
            return std::nullopt;
        }
        const int n = static_cast<int>(value);
        if (arg == "--requests")
            o.requests = n;
        else if (arg == "--clients")
            o.clients = n;
        else if (arg == "--window")
            o.window = n;
        else if (arg == "--workers")
            o.workers = n;
        else if (arg == "--queue")
            o.queue = static_cast<std::size_t>(n);
        else if (arg == "--limit")
            o.limit = static_cast<std::size_t>(n);
        else if (arg == "--timeout")
            o.timeout = milliseconds(n);
        else if (arg == "--hedge-after")
            o.hedge_after = milliseconds(n);
        else if (arg == "--seed")
            o.seed = static_cast<unsigned>(n);
        else
        {
            std::cerr << "demo: unknown option " << arg << "\n\n" << usage;
            return std::nullopt;
        }
    }
    o.clients = std::min(o.clients, o.requests);
    return o;
}

// Removes the first line (n bytes, with its '\n') from `buf` and returns it
// without the '\n'.
std::string take_line(asio::streambuf& buf, std::size_t n)
{
    auto begin = asio::buffers_begin(buf.data());
    std::string line(begin, begin + static_cast<std::ptrdiff_t>(n - 1));
    buf.consume(n);
    return line;
}

// tag::serve[]
// Accepts connections until cancelled, running `session(socket)` as a task
// for each. On the way out it cancels the sessions still open and waits for
// them: no session outlives its server.
template <class Session>
asio::awaitable<void> serve_connections(tcp::acceptor& acceptor, Session session)
{
    // A cancellation ends the loop, not the coroutine: by default Asio would
    // throw at the next co_await, skipping the wait for the sessions.
    co_await asio::this_coro::throw_if_cancelled(false);
    auto ex = co_await asio::this_coro::executor;
    std::vector<muster::task<void>> open;
    for (;;)
    {
        auto [ec, sock] =
            co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
        // The cancellation may also come after an accept has completed.
        auto state = co_await asio::this_coro::cancellation_state;
        if (ec || state.cancelled() != asio::cancellation_type::none)
        {
            if (ec && ec != asio::error::operation_aborted)
                std::cerr << "demo: accept failed: " << ec.message() << "\n";
            break;
        }
        std::erase_if(open, [](const muster::task<void>& t) { return t.done(); });
        open.push_back(muster::create_task(ex, session(std::move(sock))));
    }
    // Clear the cancellation, so that the wait below is not cancelled too.
    co_await asio::this_coro::reset_cancellation_state();
    for (auto& t : open)
        t.cancel();
    co_await muster::gather(muster::return_exceptions, open);
}
// end::serve[]

// --------------------------------------------------------------- backends

// How one backend behaves: most answers take [min, max] ms, the tail
// [tail_min, tail_max] ms, and error_percent of them are errors.
struct profile
{
    const char* name;
    int min_ms, max_ms;
    int tail_percent, tail_min_ms, tail_max_ms;
    int error_percent;
};

constexpr profile profiles[] = {
    {"alpha", 1, 8, 5, 20, 40, 0},
    {"beta", 2, 15, 10, 30, 80, 4},
    {"gamma", 3, 25, 20, 40, 200, 8},
};

// What the front end saw of one backend.
struct call_counts
{
    int calls = 0, ok = 0, failed = 0, timed_out = 0, cancelled = 0;
    int waited_for_slot = 0; // calls that queued behind the concurrency limit
};

// A backend error reply ("ERR ...").
struct backend_error : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

// One backend: its server side, and the front end's client side of it.
class backend
{
public:
    backend(asio::any_io_executor ex, const profile& p, unsigned seed, std::size_t limit)
        : profile_(p), acceptor_(ex, {asio::ip::address_v4::loopback(), 0}), rng_(seed),
          limit_(ex, limit)
    {
    }

    const char* name() const { return profile_.name; }
    tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }
    call_counts& counts() { return counts_; }

    // The server: one connection per call, one line each way.
    asio::awaitable<void> serve()
    {
        return serve_connections(acceptor_,
                                 [this](tcp::socket s) { return session(std::move(s)); });
    }

    // tag::call[]
    // The client side: one call, "SEARCH <query>" or "GET <document>", to
    // which the backend answers "OK <text>" or "ERR <reason>". At most `limit`
    // calls are in flight at once; the others wait for a slot, in order.
    asio::awaitable<std::string> call(std::string request)
    {
        if (limit_.locked())
            ++counts_.waited_for_slot;
        auto slot = co_await limit_.scoped_acquire();

        tcp::socket sock(co_await asio::this_coro::executor);
        co_await sock.async_connect(endpoint(), asio::use_awaitable);
        request += '\n';
        co_await asio::async_write(sock, asio::buffer(request), asio::use_awaitable);
        asio::streambuf in;
        std::size_t n =
            co_await asio::async_read_until(sock, in, '\n', asio::use_awaitable);
        std::string reply = take_line(in, n);
        if (reply.starts_with("OK "))
            co_return reply.substr(3);
        throw backend_error(std::string(name()) + ": " + reply);
    }
    // end::call[]

private:
    asio::awaitable<void> session(tcp::socket sock)
    {
        asio::streambuf in;
        auto [ec, n] = co_await asio::async_read_until(
            sock, in, '\n', asio::as_tuple(asio::use_awaitable));
        if (ec)
            co_return;
        std::string request = take_line(in, n);

        asio::steady_timer delay(sock.get_executor(), latency());
        co_await delay.async_wait(asio::as_tuple(asio::use_awaitable));

        std::string reply;
        if (percent() < profile_.error_percent)
            reply = "ERR overloaded\n";
        else if (request.starts_with("SEARCH "))
            reply = "OK " + std::to_string(percent()) + "\n"; // the best hit's score
        else
            reply = "OK " + request.substr(4) + " from " + name() + "\n";
        // The caller may have given up and closed: then this write fails.
        co_await asio::async_write(sock, asio::buffer(reply),
                                   asio::as_tuple(asio::use_awaitable));
    }

    int percent() { return std::uniform_int_distribution<int>(0, 99)(rng_); }

    milliseconds latency()
    {
        const bool tail = percent() < profile_.tail_percent;
        std::uniform_int_distribution<int> ms(
            tail ? profile_.tail_min_ms : profile_.min_ms,
            tail ? profile_.tail_max_ms : profile_.max_ms);
        return milliseconds(ms(rng_));
    }

    const profile& profile_;
    tcp::acceptor acceptor_;
    std::mt19937 rng_;
    muster::semaphore limit_;
    call_counts counts_;
};

// -------------------------------------------------------------- front end

struct totals
{
    int queries = 0;          // taken by a worker
    int answered = 0;         // answered with a document
    int partial_searches = 0; // searches that lacked some shards, not all
    int empty_searches = 0;   // searches no shard answered
    int failed_queries = 0;   // no shard answered, or no replica did
    int hedges = 0;           // second replicas started
    int hedges_won = 0;       // ... that answered first
    int backpressure = 0;     // queries read while the work queue was full
};

// A client connection of the front end. Replies go out through a bounded
// queue, written by one coroutine, so that workers never write to the socket
// at the same time.
struct connection
{
    explicit connection(tcp::socket s) : sock(std::move(s)), out(sock.get_executor(), 16)
    {
    }
    tcp::socket sock;
    muster::queue<std::string> out;
};

// Shuts a connection's reply queue down when the reading scope ends.
struct shutdown_on_exit
{
    muster::queue<std::string>& replies;
    ~shutdown_on_exit()
    {
        try
        {
            replies.shutdown();
        }
        catch (const std::exception&)
        {
            // A waiting put could not be woken (no memory); it is destroyed.
        }
    }
};

// One query, as queued for the workers: "<id> <text>" and where to answer.
struct job
{
    std::shared_ptr<connection> conn;
    std::string id;
    std::string query;
};

class front_end
{
public:
    front_end(asio::any_io_executor ex, std::vector<std::unique_ptr<backend>>& backends,
              const options& opts)
        : backends_(backends), opts_(opts),
          acceptor_(ex, {asio::ip::address_v4::loopback(), 0}), work_(ex, opts.queue)
    {
    }

    tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }
    muster::queue<job>& work() { return work_; }
    const totals& stats() const { return totals_; }

    asio::awaitable<void> serve()
    {
        return serve_connections(
            acceptor_, [this](tcp::socket s)
            { return session(std::make_shared<connection>(std::move(s))); });
    }

    // tag::worker[]
    // A worker takes queries until the queue is shut down and empty.
    asio::awaitable<void> worker()
    {
        for (;;)
        {
            job j;
            try
            {
                j = co_await work_.get();
            }
            catch (const system_error& e)
            {
                if (e.code() == muster::error::shut_down)
                    co_return; // graceful stop: nothing more will come
                throw;
            }
            ++totals_.queries;
            std::string reply;
            std::exception_ptr failure;
            try
            {
                reply = co_await answer(j.query);
            }
            catch (...)
            {
                failure = std::current_exception(); // cancelled, typically
            }
            work_.task_done(); // once per query taken, however it went
            if (failure)
                std::rethrow_exception(failure);
            reply.insert(0, j.id + " ");
            try
            {
                co_await j.conn->out.put(std::move(reply));
            }
            catch (const system_error&)
            {
                // The client has gone: its connection shut its queue down.
            }
        }
    }
    // end::worker[]

private:
    // tag::session[]
    // Reads queries into the work queue. When the queue is full, the put
    // waits, this connection is not read meanwhile, and TCP's flow control
    // slows the client down: backpressure, with memory bounded by the queue.
    asio::awaitable<void> session(std::shared_ptr<connection> conn)
    {
        auto ex = co_await asio::this_coro::executor;
        auto writer = muster::create_task(ex, write_replies(conn));
        {
            // However the reading ends (the client closed its side, an
            // error, a cancellation), the writer sends what is queued, then
            // ends.
            shutdown_on_exit finish_writer{conn->out};
            asio::streambuf in;
            for (;;)
            {
                auto [ec, n] = co_await asio::async_read_until(
                    conn->sock, in, '\n', asio::as_tuple(asio::use_awaitable));
                if (ec)
                    break;
                std::string line = take_line(in, n);
                auto space = line.find(' ');
                if (work_.full())
                    ++totals_.backpressure;
                job j{conn, line.substr(0, space), line.substr(space + 1)};
                co_await work_.put(std::move(j));
            }
        }
        co_await writer;
    }
    // end::session[]

    static asio::awaitable<void> write_replies(std::shared_ptr<connection> conn)
    {
        for (;;)
        {
            std::string line;
            try
            {
                line = co_await conn->out.get();
            }
            catch (const system_error& e)
            {
                if (e.code() == muster::error::shut_down)
                    co_return;
                throw;
            }
            line += '\n';
            co_await asio::async_write(conn->sock, asio::buffer(line),
                                       asio::use_awaitable);
        }
    }

    // tag::bounded_call[]
    // One backend call, bounded by the timeout, and counted.
    asio::awaitable<std::string> ask(backend& b, std::string request)
    {
        call_counts& c = b.counts();
        ++c.calls;
        try
        {
            std::string reply =
                co_await muster::wait_for(b.call(std::move(request)), opts_.timeout);
            ++c.ok;
            co_return reply;
        }
        catch (const system_error& e)
        {
            if (e.code() == muster::error::timed_out)
                ++c.timed_out;
            else if (e.code() == asio::error::operation_aborted)
                ++c.cancelled; // a hedge's loser
            else
                ++c.failed;
            throw;
        }
        catch (const backend_error&)
        {
            ++c.failed;
            throw;
        }
    }
    // end::bounded_call[]

    // tag::answer[]
    // Searches every shard, then fetches the best hit.
    asio::awaitable<std::string> answer(const std::string& query)
    {
        std::vector<asio::awaitable<std::string>> searches;
        for (auto& b : backends_)
            searches.push_back(ask(*b, "SEARCH " + query));
        // Every shard's outcome, in order: a failed or timed-out shard leaves
        // a gap in the answer instead of failing it.
        std::vector<muster::result<std::string>> hits =
            co_await muster::gather(muster::return_exceptions, std::move(searches));

        std::optional<std::size_t> best;
        int best_score = -1;
        for (std::size_t i = 0; i < hits.size(); ++i)
        {
            int score = -1;
            if (hits[i].has_value())
            {
                const std::string& text = hits[i].value();
                std::from_chars(text.data(), text.data() + text.size(), score);
            }
            if (score > best_score)
            {
                best = i;
                best_score = score;
            }
        }
        if (!best)
        {
            ++totals_.failed_queries;
            ++totals_.empty_searches;
            co_return "FAIL no shard answered";
        }
        if (std::any_of(hits.begin(), hits.end(), [](auto& h) { return h.has_error(); }))
            ++totals_.partial_searches;
        try
        {
            std::string doc = co_await hedged_fetch("doc-" + query, *best);
            ++totals_.answered;
            co_return "OK " + doc;
        }
        catch (const std::exception& e)
        {
            ++totals_.failed_queries;
            co_return std::string("FAIL ") + e.what();
        }
    }
    // end::answer[]

    // tag::hedge[]
    // Fetches a document from replica `first`. If it has not answered after
    // hedge_after, asks the next replica too, takes the first success, and
    // cancels the other call.
    asio::awaitable<std::string> hedged_fetch(std::string doc, std::size_t first)
    {
        auto ex = co_await asio::this_coro::executor;
        std::vector<muster::task<std::string>> calls{
            muster::create_task(ex, ask(*backends_[first], "GET " + doc))};

        auto r = co_await muster::wait(calls, muster::return_when::first_completed,
                                       opts_.hedge_after);
        if (r.done.empty())
        {
            ++totals_.hedges;
            auto& second = *backends_[(first + 1) % backends_.size()];
            calls.push_back(muster::create_task(ex, ask(second, "GET " + doc)));
            r = co_await muster::wait(calls, muster::return_when::first_completed);
        }
        // A failure does not win while another call may still succeed.
        auto succeeded = [](const auto& t) { return !t.exception(); };
        auto winner = std::find_if(r.done.begin(), r.done.end(), succeeded);
        while (winner == r.done.end() && !r.pending.empty())
        {
            r = co_await muster::wait(r.pending, muster::return_when::first_completed);
            winner = std::find_if(r.done.begin(), r.done.end(), succeeded);
        }
        // The loser is cancelled and waited for: no call outlives the fetch.
        for (auto& t : r.pending)
            t.cancel();
        co_await muster::gather(muster::return_exceptions, r.pending);

        if (winner == r.done.end())
            co_return calls.back().result(); // every replica failed: throws
        if (calls.size() > 1 && *winner == calls[1])
            ++totals_.hedges_won;
        co_return winner->result();
    }
    // end::hedge[]

    std::vector<std::unique_ptr<backend>>& backends_;
    const options& opts_;
    tcp::acceptor acceptor_;
    muster::queue<job> work_;
    totals totals_;
};

// ---------------------------------------------------------------- clients

struct client_report
{
    std::vector<double> latency_ms;
    int ok = 0, failed = 0;
};

// Shared by the clients: prints a line each time another tenth is answered.
struct progress
{
    int total = 0;
    int done = 0;
    int shown = 0;
    const std::vector<std::unique_ptr<backend>>* backends = nullptr;
    const front_end* fe = nullptr;

    void one_more()
    {
        ++done;
        if (done * 10 / total == shown)
            return;
        shown = done * 10 / total;
        int ok = 0, failed = 0, timed_out = 0;
        for (auto& b : *backends)
        {
            ok += b->counts().ok;
            failed += b->counts().failed;
            timed_out += b->counts().timed_out;
        }
        std::printf(
            "  [%3d%%] %4d/%d answered | backend calls: %d ok, %d failed, %d timed "
            "out | hedges: %d, %d won\n",
            done * 100 / total, done, total, ok, failed, timed_out, fe->stats().hedges,
            fe->stats().hedges_won);
        std::fflush(stdout);
    }
};

// Sends `count` queries, at most `window` unanswered at a time, and reads the
// replies, which may come back in any order.
asio::awaitable<client_report> client(tcp::endpoint server, int first_id, int count,
                                      int window, progress& shared)
{
    auto ex = co_await asio::this_coro::executor;
    tcp::socket sock(ex);
    co_await sock.async_connect(server, asio::use_awaitable);

    muster::semaphore in_flight(ex, static_cast<std::size_t>(window));
    std::unordered_map<std::string, steady::time_point> sent;
    client_report report;

    auto send_all = [&]() -> asio::awaitable<void>
    {
        for (int i = 0; i < count; ++i)
        {
            co_await in_flight.acquire();
            std::string id = std::to_string(first_id + i);
            sent[id] = steady::now();
            std::string line = id + " query" + std::to_string((first_id + i) % 97) + "\n";
            co_await asio::async_write(sock, asio::buffer(line), asio::use_awaitable);
        }
    };
    auto read_all = [&]() -> asio::awaitable<void>
    {
        asio::streambuf in;
        for (int i = 0; i < count; ++i)
        {
            std::size_t n =
                co_await asio::async_read_until(sock, in, '\n', asio::use_awaitable);
            std::string line = take_line(in, n);
            std::string id = line.substr(0, line.find(' '));
            auto it = sent.find(id);
            if (it == sent.end())
                throw std::runtime_error("reply to a query never sent: " + line);
            std::chrono::duration<double, std::milli> took = steady::now() - it->second;
            sent.erase(it);
            report.latency_ms.push_back(took.count());
            (line.find(" OK ") != std::string::npos ? report.ok : report.failed)++;
            in_flight.release();
            shared.one_more();
        }
    };
    co_await muster::gather(send_all(), read_all());
    sock.shutdown(tcp::socket::shutdown_send);
    co_return report;
}

// ------------------------------------------------------------------ main

double percentile(std::vector<double>& v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    auto rank = static_cast<std::size_t>(p * static_cast<double>(v.size()) + 0.999999);
    return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

asio::awaitable<int> run(options opts)
{
    auto ex = co_await asio::this_coro::executor;

    std::vector<std::unique_ptr<backend>> backends;
    for (const profile& p : profiles)
    {
        backends.push_back(std::make_unique<backend>(
            ex, p, opts.seed * 7919u + static_cast<unsigned>(backends.size()),
            opts.limit));
        std::printf(
            "backend %-5s on %s:%u  %d-%d ms, %d%% slow (%d-%d ms), %d%% errors\n",
            p.name, backends.back()->endpoint().address().to_string().c_str(),
            backends.back()->endpoint().port(), p.min_ms, p.max_ms, p.tail_percent,
            p.tail_min_ms, p.tail_max_ms, p.error_percent);
    }
    front_end fe(ex, backends, opts);
    std::printf(
        "front end on %s:%u  %d workers, work queue of %zu, %zu calls per backend, "
        "%lld ms timeout, hedge after %lld ms\n",
        fe.endpoint().address().to_string().c_str(), fe.endpoint().port(), opts.workers,
        opts.queue, opts.limit, static_cast<long long>(opts.timeout.count()),
        static_cast<long long>(opts.hedge_after.count()));
    std::printf("%d clients send %d queries, %d in flight each\n", opts.clients,
                opts.requests, opts.window);

    progress shown{opts.requests, 0, 0, &backends, &fe};
    std::vector<client_report> reports;
    std::chrono::duration<double> elapsed{};
    // tag::run[]
    // The servers, and within them the workers, run in task groups: a
    // failure in one cancels the rest of its group, and neither block ends
    // before everything it started has ended.
    co_await muster::with_task_group(
        [&](muster::task_group& servers) -> asio::awaitable<void>
        {
            for (auto& b : backends)
                servers.spawn(b->serve());
            servers.spawn(fe.serve());
            co_await muster::with_task_group(
                [&](muster::task_group& workers) -> asio::awaitable<void>
                {
                    for (int i = 0; i < opts.workers; ++i)
                        workers.spawn(fe.worker());

                    std::vector<asio::awaitable<client_report>> clients;
                    for (int c = 0, first = 0; c < opts.clients; ++c)
                    {
                        int count = opts.requests / opts.clients +
                                    (c < opts.requests % opts.clients);
                        clients.push_back(
                            client(fe.endpoint(), first, count, opts.window, shown));
                        first += count;
                    }
                    const auto start = steady::now();
                    reports = co_await muster::gather(std::move(clients));
                    elapsed = steady::now() - start;

                    // Graceful stop: every query taken is finished; then the
                    // idle workers wake with shut_down and return, and this
                    // group's join ends.
                    co_await fe.work().join();
                    fe.work().shutdown();
                });
            // Stop accepting. The body is one of the group's children, so it
            // is cancelled too: this is its last statement.
            servers.cancel();
        });
    // end::run[]

    client_report all;
    for (auto& r : reports)
    {
        all.ok += r.ok;
        all.failed += r.failed;
        all.latency_ms.insert(all.latency_ms.end(), r.latency_ms.begin(),
                              r.latency_ms.end());
    }
    const totals& t = fe.stats();
    std::printf("\nsummary\n");
    std::printf(
        "  queries      %d sent, %d answered, %d failed, in %.2f s (%.0f per s)\n",
        opts.requests, all.ok, all.failed, elapsed.count(),
        opts.requests / elapsed.count());
    std::printf("  searches     %d missed some shards, %d missed every shard\n",
                t.partial_searches, t.empty_searches);
    std::printf("  hedges       %d second replicas asked, %d answered first\n", t.hedges,
                t.hedges_won);
    std::printf("  backpressure %d queries arrived with the work queue full\n",
                t.backpressure);
    std::printf("  latency      p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
                percentile(all.latency_ms, 0.50), percentile(all.latency_ms, 0.99),
                percentile(all.latency_ms, 1.0));
    std::printf("  backend      calls     ok  failed  timed out  cancelled  waited for "
                "a slot\n");
    bool consistent = true;
    for (auto& b : backends)
    {
        const call_counts& c = b->counts();
        std::printf("  %-9s %7d %6d %7d %10d %10d %10d\n", b->name(), c.calls, c.ok,
                    c.failed, c.timed_out, c.cancelled, c.waited_for_slot);
        consistent = consistent && c.calls == c.ok + c.failed + c.timed_out + c.cancelled;
    }

    // Every query is answered exactly once, and every call is accounted for.
    const bool ok = consistent && all.ok + all.failed == opts.requests &&
                    t.queries == opts.requests && all.ok == t.answered &&
                    fe.work().unfinished_tasks() == 0;
    std::printf("%s\n", ok ? "every query answered once; every backend call accounted for"
                           : "MISMATCH in the counts above");
    co_return ok ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    auto opts = parse_options(argc, argv);
    if (!opts)
        return 2;
    try
    {
        asio::io_context ctx;
        auto main_task = muster::create_task(ctx, run(*opts));
        ctx.run();
        return main_task.result();
    }
    catch (const std::exception& e)
    {
        std::cerr << "demo: " << e.what() << "\n";
        return 1;
    }
}
