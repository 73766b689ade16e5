//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_OP_ALLOC_HPP
#define BOOST_MUSTER_DETAIL_OP_ALLOC_HPP

#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/recycling_allocator.hpp>

#include <memory>
#include <new>
#include <utility>

namespace boost::muster::detail
{

// Operation state is allocated with the handler's associated allocator, or
// Asio's recycling allocator (a per-thread cache) when it has none.
template <class T, class Handler>
using op_allocator_t = typename std::allocator_traits<asio::associated_allocator_t<
    Handler, asio::recycling_allocator<void>>>::template rebind_alloc<T>;

template <class T, class Handler>
op_allocator_t<T, Handler> op_allocator(const Handler& h) noexcept
{
    return op_allocator_t<T, Handler>(
        asio::get_associated_allocator(h, asio::recycling_allocator<void>()));
}

// Allocates a T with the allocator of `h` and constructs it from `args`
// (which may include `h` itself, moved from only once allocated).
template <class T, class Handler, class... Args>
T* new_op(const Handler& h, Args&&... args)
{
    auto alloc = op_allocator<T>(h);
    T* p = std::allocator_traits<decltype(alloc)>::allocate(alloc, 1);
    try
    {
        return ::new (static_cast<void*>(p)) T(std::forward<Args>(args)...);
    }
    catch (...)
    {
        std::allocator_traits<decltype(alloc)>::deallocate(alloc, p, 1);
        throw;
    }
}

// Destroys and frees a T allocated by new_op; `alloc` (of any value type) was
// taken from the handler before it was moved out of `p`.
template <class T, class Alloc>
void delete_op(T* p, const Alloc& alloc) noexcept
{
    typename std::allocator_traits<Alloc>::template rebind_alloc<T> a(alloc);
    p->~T();
    std::allocator_traits<decltype(a)>::deallocate(a, p, 1);
}

} // namespace boost::muster::detail

#endif
