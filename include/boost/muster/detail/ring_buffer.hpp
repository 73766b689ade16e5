//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_RING_BUFFER_HPP
#define BOOST_MUSTER_DETAIL_RING_BUFFER_HPP

#include <cstddef>
#include <memory>
#include <new>
#include <utility>

namespace boost::muster::detail
{

// A FIFO of T in one growable circular array: unlike std::deque, which
// allocates and frees a block every few hundred items passing through, it
// allocates only when it grows, so steady traffic allocates nothing.
template <class T>
class ring_buffer
{
public:
    ring_buffer() = default;
    ring_buffer(const ring_buffer&) = delete;
    ring_buffer& operator=(const ring_buffer&) = delete;

    ~ring_buffer()
    {
        clear();
        ::operator delete(data_, std::align_val_t(alignof(T)));
    }

    std::size_t size() const noexcept { return size_; }

    void push_back(T&& v)
    {
        if (size_ == capacity_)
            grow();
        ::new (static_cast<void*>(data_ + index(size_))) T(std::move(v));
        ++size_;
    }

    // Puts `v` first again (a pop undone).
    void push_front(T&& v)
    {
        if (size_ == capacity_)
            grow();
        std::size_t head = (head_ + capacity_ - 1) & (capacity_ - 1);
        ::new (static_cast<void*>(data_ + head)) T(std::move(v));
        head_ = head;
        ++size_;
    }

    // Makes room for one more item, so that the next push cannot fail for
    // lack of memory.
    void reserve_one()
    {
        if (size_ == capacity_)
            grow();
    }

    T& front() noexcept { return data_[head_]; }
    T& back() noexcept { return data_[index(size_ - 1)]; }

    void pop_front() noexcept
    {
        data_[head_].~T();
        head_ = index(1);
        --size_;
    }

    void pop_back() noexcept
    {
        data_[index(size_ - 1)].~T();
        --size_;
    }

    void clear() noexcept
    {
        while (size_ != 0)
            pop_front();
        head_ = 0;
    }

private:
    // capacity_ is 0 or a power of two.
    std::size_t index(std::size_t i) const noexcept
    {
        return (head_ + i) & (capacity_ - 1);
    }

    void grow()
    {
        std::size_t cap = capacity_ ? capacity_ * 2 : 16;
        T* data = static_cast<T*>(
            ::operator new(cap * sizeof(T), std::align_val_t(alignof(T))));
        for (std::size_t i = 0; i != size_; ++i)
        {
            T& from = data_[index(i)];
            ::new (static_cast<void*>(data + i)) T(std::move(from));
            from.~T();
        }
        ::operator delete(data_, std::align_val_t(alignof(T)));
        data_ = data;
        capacity_ = cap;
        head_ = 0;
    }

    T* data_ = nullptr;
    std::size_t capacity_ = 0;
    std::size_t head_ = 0;
    std::size_t size_ = 0;
};

} // namespace boost::muster::detail

#endif
