//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The demo: an echo server and three clients on loopback, in one process,
// each a muster::task. The coordinator waits for every client task in turn,
// then cancels the server's accept loop and shows that the task was cancelled.

#include <boost/muster.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace muster = boost::muster;
using asio::ip::tcp;

namespace
{

// Echoes what the peer sends until it closes the connection.
asio::awaitable<void> echo_session(tcp::socket sock)
{
    char buf[512];
    for (;;)
    {
        auto [ec, n] = co_await sock.async_read_some(asio::buffer(buf),
                                                     asio::as_tuple(asio::use_awaitable));
        if (ec)
            co_return; // eof: the client is done
        co_await asio::async_write(sock, asio::buffer(buf, n), asio::use_awaitable);
    }
}

// Accepts connections for ever, one task per session. Only cancellation ends it.
asio::awaitable<void> server(tcp::acceptor& acceptor)
{
    auto ex = co_await asio::this_coro::executor;
    for (;;)
    {
        tcp::socket sock = co_await acceptor.async_accept(asio::use_awaitable);
        // The session's handle is dropped at once: the task runs on by itself.
        muster::create_task(ex, echo_session(std::move(sock)));
    }
}

// Sends `count` lines and checks that each comes back; returns a summary.
asio::awaitable<std::string> client(tcp::endpoint server_ep, std::string name, int count)
{
    tcp::socket sock(co_await asio::this_coro::executor);
    co_await sock.async_connect(server_ep, asio::use_awaitable);
    asio::streambuf in;
    std::size_t bytes = 0;
    for (int i = 1; i <= count; ++i)
    {
        std::string line = name + " says hello #" + std::to_string(i) + "\n";
        co_await asio::async_write(sock, asio::buffer(line), asio::use_awaitable);
        std::size_t n =
            co_await asio::async_read_until(sock, in, '\n', asio::use_awaitable);
        std::string echoed(asio::buffers_begin(in.data()),
                           asio::buffers_begin(in.data()) + n);
        in.consume(n);
        if (echoed != line)
            throw std::runtime_error(name + ": echo mismatch: " + echoed);
        bytes += n;
    }
    co_return name + ": " + std::to_string(count) + " lines echoed back intact (" +
        std::to_string(bytes) + " bytes)";
}

// tag::coordinator[]
asio::awaitable<int> coordinator(tcp::acceptor& acceptor)
{
    auto ex = co_await asio::this_coro::executor;
    auto server_task = muster::create_task(ex, server(acceptor));
    std::cout << "echo server running on loopback as a task\n";

    std::vector<muster::task<std::string>> clients;
    for (const char* name : {"alice", "bob", "carol"})
        clients.push_back(
            muster::create_task(ex, client(acceptor.local_endpoint(), name, 3)));
    std::cout << "started " << clients.size() << " client tasks\n";

    try
    {
        (void)clients.front().result();
    }
    catch (const boost::system::system_error& e)
    {
        std::cout << "result() before the task ends: " << e.code().message() << "\n";
    }

    int failures = 0;
    for (auto& t : clients)
    {
        try
        {
            std::cout << co_await t.async_wait() << "\n";
        }
        catch (const std::exception& e)
        {
            std::cout << "client failed: " << e.what() << "\n";
            ++failures;
        }
    }

    server_task.cancel();
    auto [e] = co_await server_task.async_wait(asio::as_tuple(asio::use_awaitable));
    std::cout << "server task cancelled: " << std::boolalpha << server_task.cancelled()
              << "\n";
    co_return failures == 0 && server_task.cancelled() ? 0 : 1;
}
// end::coordinator[]

} // namespace

int main()
{
    try
    {
        asio::io_context ctx;
        tcp::acceptor acceptor(ctx, {asio::ip::address_v4::loopback(), 0});
        auto main_task = muster::create_task(ctx, coordinator(acceptor));
        ctx.run();
        return main_task.result();
    }
    catch (const std::exception& e)
    {
        std::cerr << "echo_tasks: " << e.what() << "\n";
        return 1;
    }
}
