//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// What the fuzz targets share: reading the input as a stream of choices, and
// a check that stops the run with a message (libFuzzer then saves the input).

#ifndef MUSTER_FUZZ_CHECK_HPP
#define MUSTER_FUZZ_CHECK_HPP

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace muster_fuzz
{

// The input as a sequence of bytes; past its end every byte reads as 0.
class input
{
public:
    input(const std::uint8_t* data, std::size_t size) noexcept : data_(data), size_(size)
    {
    }

    bool done() const noexcept { return size_ == 0; }

    std::uint8_t byte() noexcept
    {
        if (size_ == 0)
            return 0;
        --size_;
        return *data_++;
    }

    // A choice among n (n > 0).
    std::size_t pick(std::size_t n) noexcept { return byte() % n; }

private:
    const std::uint8_t* data_;
    std::size_t size_;
};

[[noreturn]] inline void fail(const char* what, const char* file, int line)
{
    std::fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    std::abort();
}

} // namespace muster_fuzz

#define MUSTER_FUZZ_CHECK(cond)                                                          \
    ((cond) ? (void)0 : ::muster_fuzz::fail(#cond, __FILE__, __LINE__))

#endif
