//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef MUSTER_TEST_TRACKING_EXECUTOR_HPP
#define MUSTER_TEST_TRACKING_EXECUTOR_HPP

#include <boost/asio/io_context.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/require.hpp>

#include <utility>

namespace muster_test
{

namespace asio = boost::asio;

// The id of the tracking executor whose function is running on this thread,
// or 0 outside of any.
inline thread_local int current_executor_id = 0;

// Wraps an executor and gives it an id, visible in current_executor_id while
// a function submitted through it runs. Lets a test see on which executor a
// handler was invoked, even when several share one io_context.
template <class Inner>
class basic_tracking_executor
{
public:
    basic_tracking_executor(Inner inner, int id) noexcept
        : inner_(std::move(inner)), id_(id)
    {
    }

    int id() const noexcept { return id_; }
    const Inner& inner() const noexcept { return inner_; }

    template <class F>
    void execute(F&& f) const
    {
        inner_.execute(
            [f = std::forward<F>(f), id = id_]() mutable
            {
                int saved = std::exchange(current_executor_id, id);
                struct restore
                {
                    int saved;
                    ~restore() { current_executor_id = saved; }
                } r{saved};
                f();
            });
    }

    template <class Property>
    requires asio::can_query<const Inner&, Property>::value decltype(auto)
    query(const Property& p) const
    {
        return asio::query(inner_, p);
    }

    template <class Property>
    requires asio::can_require<const Inner&, Property>::value auto
    require(const Property& p) const
    {
        using R = std::decay_t<decltype(asio::require(inner_, p))>;
        return basic_tracking_executor<R>(asio::require(inner_, p), id_);
    }

    template <class Property>
    requires asio::can_prefer<const Inner&, Property>::value auto
    prefer(const Property& p) const
    {
        using R = std::decay_t<decltype(asio::prefer(inner_, p))>;
        return basic_tracking_executor<R>(asio::prefer(inner_, p), id_);
    }

    friend bool operator==(const basic_tracking_executor& a,
                           const basic_tracking_executor& b) noexcept
    {
        return a.inner_ == b.inner_ && a.id_ == b.id_;
    }

private:
    Inner inner_;
    int id_;
};

using tracking_executor = basic_tracking_executor<asio::io_context::executor_type>;

} // namespace muster_test

#endif
