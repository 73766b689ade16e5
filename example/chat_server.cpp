//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// A chat server whose memory stays bounded when a client stops reading.
//
// Each session owns a bounded outbound queue, drained to its socket by one
// writer coroutine. A line said in the room is put into every other member's
// queue. A full queue makes the speaker wait (backpressure: the speaker's
// socket is not read meanwhile); a put that waits longer than the grace
// period means a client that is not reading, and that client is
// disconnected. Nothing grows without bound. (With many speakers, puts queue
// behind one another, so a real server would size the grace period, or the
// queue, to the room.)
//
// A scripted run follows, in the same process, over TCP on loopback: alice
// and bob each say a few hundred lines while carol joins and never reads.
// The program checks that alice and bob each received every line of the
// other, and that carol was disconnected.

#include <boost/muster.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace muster = boost::muster;
using asio::ip::tcp;
using namespace std::chrono_literals;

namespace
{

constexpr std::size_t outbound_lines = 8;       // per member
constexpr auto grace = std::chrono::seconds(1); // a full queue for longer: disconnect
constexpr int lines_each = 400;

std::string take_line(asio::streambuf& buf, std::size_t n)
{
    auto begin = asio::buffers_begin(buf.data());
    std::string line(begin, begin + static_cast<std::ptrdiff_t>(n - 1));
    buf.consume(n);
    return line;
}

// ------------------------------------------------------------------ server

struct member
{
    explicit member(tcp::socket s)
        : sock(std::move(s)), out(sock.get_executor(), outbound_lines)
    {
    }
    tcp::socket sock;
    muster::queue<std::string> out; // what is still to be written to sock
    std::string nick;
    bool dropped = false;
};

// Takes a member out of the room and shuts its queue down when the session's
// scope ends.
struct leave_on_exit
{
    std::vector<std::shared_ptr<member>>& members;
    std::shared_ptr<member> self;
    ~leave_on_exit()
    {
        std::erase(members, self);
        try
        {
            self->out.shutdown();
        }
        catch (const std::exception&)
        {
            // A waiting speaker could not be woken (no memory).
        }
    }
};

class chat_room
{
public:
    int disconnected() const { return disconnected_; }

    // One connection: the first line is the nickname, every later line is
    // said to the room.
    asio::awaitable<void> session(tcp::socket sock)
    {
        auto self = std::make_shared<member>(std::move(sock));
        boost::system::error_code ignored; // small buffers: a stalled reader shows soon
        self->sock.set_option(asio::socket_base::send_buffer_size(4096), ignored);
        auto writer =
            muster::create_task(co_await asio::this_coro::executor, write_loop(self));
        {
            // However the session ends (the client left, an error, a
            // cancellation), it leaves the room, and its writer sends what
            // is queued, then ends.
            leave_on_exit leaving{members_, self};
            asio::streambuf in;
            auto [ec, n] = co_await asio::async_read_until(
                self->sock, in, '\n', asio::as_tuple(asio::use_awaitable));
            if (ec)
                co_return;
            self->nick = take_line(in, n);
            members_.push_back(self);
            co_await self->out.put("* welcome, " + self->nick);
            co_await say(*self, "* " + self->nick + " joined");
            for (;;)
            {
                std::tie(ec, n) = co_await asio::async_read_until(
                    self->sock, in, '\n', asio::as_tuple(asio::use_awaitable));
                if (ec)
                    break; // the client left, or was disconnected
                std::string line = self->nick + ": " + take_line(in, n);
                co_await say(*self, std::move(line));
            }
            std::erase(members_, self);
            co_await say(*self, "* " + self->nick + " left");
        }
        co_await writer.async_wait(asio::as_tuple(asio::use_awaitable));
    }

private:
    // tag::say[]
    // Puts a line into every other member's queue. A full queue makes this
    // wait; one that stays full for the grace period is a client that does
    // not read, and it is disconnected. A timed-out put inserts nothing.
    asio::awaitable<void> say(const member& from, std::string line)
    {
        auto to = members_; // members may join or leave while this waits
        for (auto& m : to)
        {
            if (m.get() == &from || m->dropped)
                continue;
            try
            {
                co_await muster::wait_for(m->out.async_put(line, asio::deferred), grace);
            }
            catch (const boost::system::system_error& e)
            {
                // Another speaker's put may have timed out in the same turn.
                if (e.code() == muster::error::timed_out && !m->dropped)
                    disconnect(*m);
                // shut_down: the member left, or was dropped meanwhile.
            }
        }
    }

    void disconnect(member& m)
    {
        std::cout << "server: " << m.nick << "'s queue stayed full for "
                  << std::chrono::duration_cast<std::chrono::milliseconds>(grace).count()
                  << " ms: disconnecting " << m.nick << "\n";
        m.dropped = true;
        ++disconnected_;
        m.out.shutdown(true); // drop what is queued; waiting speakers see shut_down
        boost::system::error_code ignored;
        m.sock.close(ignored); // ends its reader and its writer
    }
    // end::say[]

    static asio::awaitable<void> write_loop(std::shared_ptr<member> m)
    {
        for (;;)
        {
            auto [ec, line] =
                co_await m->out.async_get(asio::as_tuple(asio::use_awaitable));
            if (ec)
                co_return; // shut down, and nothing left to send
            line += '\n';
            auto [wec, n] = co_await asio::async_write(
                m->sock, asio::buffer(line), asio::as_tuple(asio::use_awaitable));
            if (wec)
                co_return;
        }
    }

    std::vector<std::shared_ptr<member>> members_;
    int disconnected_ = 0;
};

// Accepts until cancelled; then cancels the sessions and waits for them.
asio::awaitable<void> serve(tcp::acceptor& acceptor, chat_room& room)
{
    co_await asio::this_coro::throw_if_cancelled(false); // the loop ends instead
    auto ex = co_await asio::this_coro::executor;
    std::vector<muster::task<void>> sessions;
    for (;;)
    {
        auto [ec, sock] =
            co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
        auto state = co_await asio::this_coro::cancellation_state;
        if (ec || state.cancelled() != asio::cancellation_type::none)
            break;
        std::erase_if(sessions, [](const muster::task<void>& t) { return t.done(); });
        sessions.push_back(muster::create_task(ex, room.session(std::move(sock))));
    }
    co_await asio::this_coro::reset_cancellation_state();
    for (auto& s : sessions)
        s.cancel();
    co_await muster::gather(muster::return_exceptions, sessions);
}

// ----------------------------------------------------------------- clients

class client
{
public:
    client(asio::any_io_executor ex, std::string nick) : sock_(ex), nick_(std::move(nick))
    {
    }

    // Connects and joins; returns once the server has welcomed this client.
    asio::awaitable<void> join(tcp::endpoint server, bool reads_slowly = false)
    {
        sock_.open(tcp::v4());
        if (reads_slowly) // small buffers, so that an unread client fills up soon
            sock_.set_option(asio::socket_base::receive_buffer_size(2048));
        co_await sock_.async_connect(server, asio::use_awaitable);
        std::string hello = nick_ + "\n";
        co_await asio::async_write(sock_, asio::buffer(hello), asio::use_awaitable);
        std::size_t n =
            co_await asio::async_read_until(sock_, in_, '\n', asio::use_awaitable);
        std::cout << nick_ << " reads \"" << take_line(in_, n) << "\"\n";
    }

    // Says `count` lines while reading until `count` lines from `peer` came.
    asio::awaitable<bool> talk(const std::string& peer, int count)
    {
        auto send = [&]() -> asio::awaitable<void>
        {
            for (int i = 1; i <= count; ++i)
            {
                std::string line = "line " + std::to_string(i) + " of " + nick_ + ", " +
                                   std::string(100, '.') + "\n";
                co_await asio::async_write(sock_, asio::buffer(line),
                                           asio::use_awaitable);
            }
        };
        int heard = 0;
        auto receive = [&]() -> asio::awaitable<void>
        {
            while (heard < count)
            {
                std::size_t n = co_await asio::async_read_until(sock_, in_, '\n',
                                                                asio::use_awaitable);
                if (take_line(in_, n).starts_with(peer + ": line "))
                    ++heard;
            }
        };
        co_await muster::gather(send(), receive());
        std::cout << nick_ << " said " << count << " lines and heard all " << heard
                  << " of " << peer << "'s\n";
        sock_.shutdown(tcp::socket::shutdown_send);
        co_return heard == count;
    }

    // Reads what was left for this client until the server closes the
    // connection; returns the number of lines.
    asio::awaitable<int> read_to_end()
    {
        int lines = 0;
        for (;;)
        {
            auto [ec, n] = co_await asio::async_read_until(
                sock_, in_, '\n', asio::as_tuple(asio::use_awaitable));
            if (ec)
                break;
            in_.consume(n);
            ++lines;
        }
        std::cout << nick_ << " finds the connection closed by the server after " << lines
                  << " lines\n";
        co_return lines;
    }

private:
    tcp::socket sock_;
    std::string nick_;
    asio::streambuf in_;
};

// tag::script[]
asio::awaitable<int> script(tcp::acceptor& acceptor)
{
    auto ex = co_await asio::this_coro::executor;
    chat_room room;
    std::cout << "chat server: " << outbound_lines << " queued lines per member, "
              << std::chrono::duration_cast<std::chrono::milliseconds>(grace).count()
              << " ms grace for a full queue\n";
    bool ok = false;
    // The server runs in a task group with the script: if the script fails,
    // the server is cancelled and waited for all the same.
    co_await muster::with_task_group(
        [&](muster::task_group& g) -> asio::awaitable<void>
        {
            g.spawn(serve(acceptor, room));
            client alice(ex, "alice"), bob(ex, "bob"), carol(ex, "carol");
            co_await alice.join(acceptor.local_endpoint());
            co_await bob.join(acceptor.local_endpoint());
            co_await carol.join(acceptor.local_endpoint(), true); // then never reads
            std::cout << "carol stops reading; alice and bob say " << lines_each
                      << " lines each\n";

            auto [alice_ok, bob_ok] = co_await muster::gather(
                alice.talk("bob", lines_each), bob.talk("alice", lines_each));
            int carol_lines = co_await carol.read_to_end();
            ok = alice_ok && bob_ok && room.disconnected() == 1 &&
                 carol_lines < 2 * lines_each;
            g.cancel(); // stops the server; this body ends here too
        });
    std::cout << (ok ? "every line reached every reader; the client that did not read "
                       "was disconnected"
                     : "UNEXPECTED: see above")
              << "\n";
    co_return ok ? 0 : 1;
}
// end::script[]

} // namespace

int main()
{
    try
    {
        asio::io_context ctx;
        tcp::acceptor acceptor(ctx, {asio::ip::address_v4::loopback(), 0});
        auto main_task = muster::create_task(ctx, script(acceptor));
        ctx.run();
        return main_task.result();
    }
    catch (const std::exception& e)
    {
        std::cerr << "chat_server: " << e.what() << "\n";
        return 1;
    }
}
