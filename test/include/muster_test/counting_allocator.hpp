//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef MUSTER_TEST_COUNTING_ALLOCATOR_HPP
#define MUSTER_TEST_COUNTING_ALLOCATOR_HPP

#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <memory>
#include <new>

namespace muster_test
{

namespace asio = boost::asio;

struct allocation_counts
{
    std::size_t allocations = 0;
    std::size_t deallocations = 0;
    // The allocation (1-based) that throws std::bad_alloc instead; 0: none.
    std::size_t fail_on = 0;
};

// An allocator that counts what it hands out, to check that an operation
// allocates through the handler's associated allocator and frees it all.
template <class T>
class counting_allocator
{
public:
    using value_type = T;

    explicit counting_allocator(allocation_counts& c) noexcept : counts_(&c) {}

    template <class U>
    counting_allocator(const counting_allocator<U>& o) noexcept : counts_(o.counts())
    {
    }

    T* allocate(std::size_t n)
    {
        if (counts_->fail_on != 0 && counts_->allocations + 1 == counts_->fail_on)
        {
            counts_->fail_on = 0;
            throw std::bad_alloc();
        }
        ++counts_->allocations;
        return std::allocator<T>().allocate(n);
    }

    void deallocate(T* p, std::size_t n) noexcept
    {
        ++counts_->deallocations;
        std::allocator<T>().deallocate(p, n);
    }

    allocation_counts* counts() const noexcept { return counts_; }

    template <class U>
    bool operator==(const counting_allocator<U>& o) const noexcept
    {
        return counts_ == o.counts();
    }

private:
    allocation_counts* counts_;
};

// A callback that runs on the io_context's own executor, which allocates what
// is posted to it with the handler's allocator: `counts.fail_on` then makes
// that post throw std::bad_alloc.
template <class... Args>
auto failing_handler(asio::io_context& ctx, allocation_counts& counts, int& calls)
{
    return asio::bind_allocator(
        counting_allocator<void>(counts),
        asio::bind_executor(ctx.get_executor(), [&calls](Args...) { ++calls; }));
}

} // namespace muster_test

#endif
