//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_DEADLINE_SERVICE_HPP
#define BOOST_MUSTER_DETAIL_DEADLINE_SERVICE_HPP

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/detail/scheduler.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

namespace boost::muster::detail
{

// Deadlines of many operations (wait_for's timeouts) on one steady_timer per
// execution context. An Asio timer per operation costs a kernel timer update
// (timerfd_settime) whenever it becomes the earliest, which in the common
// case -- one operation at a time, finishing before its timeout -- is every
// call. Here adding a deadline later than the one armed, or removing one,
// touches no kernel timer: the timer stays armed at the earliest deadline
// seen, and when it fires early for a deadline since removed, it is re-armed
// for the next one.
//
// Entries are owned by the operations; the service keeps them in a binary
// heap (index in the entry) under a mutex, as executors of one context may
// run on several threads.
class deadline_service : public asio::execution_context::service
{
public:
    using clock = std::chrono::steady_clock;

    struct entry
    {
        clock::time_point deadline;
        std::size_t index = npos;
        // Called, outside the lock, once the deadline has passed.
        void (*expire)(entry*) = nullptr;
        // Called at shutdown for an entry still waiting.
        void (*abandon)(entry*) = nullptr;
    };

    static inline asio::execution_context::id id;

    // `d` in the clock's duration, rounded up, saturating where it does not
    // fit (std::chrono::hours::max() would overflow a conversion).
    template <class Rep, class Period>
    static clock::duration duration_of(std::chrono::duration<Rep, Period> d) noexcept
    {
        using source = std::chrono::duration<Rep, Period>;
        if (d >= std::chrono::duration_cast<source>(clock::duration::max()))
            return clock::duration::max();
        if constexpr (!std::is_unsigned_v<Rep>)
            if (d <= std::chrono::duration_cast<source>(clock::duration::min()))
                return clock::duration::min();
        return std::chrono::ceil<clock::duration>(d);
    }

    // The time `d` from now, saturating at the clock's limits as Asio's
    // timers do (so duration::max() means "never", not an overflow).
    static clock::time_point after(clock::duration d) noexcept
    {
        auto now = clock::now().time_since_epoch();
        if (d > clock::duration::zero() && d >= clock::duration::max() - now)
            return clock::time_point::max();
        if (d < clock::duration::zero() && now <= clock::duration::min() - d)
            return clock::time_point::min();
        return clock::time_point(now + d);
    }

    explicit deadline_service(asio::execution_context& ctx)
        : asio::execution_context::service(ctx),
          scheduler_(asio::has_service<asio::detail::scheduler>(ctx)
                         ? &asio::use_service<asio::detail::scheduler>(ctx)
                         : nullptr)
    {
    }

    // Adds `e`; `ex` runs the shared timer if it is not yet created.
    void add(entry* e, const asio::any_io_executor& ex)
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (shut_down_)
            return;
        push(e);
        if (!timer_)
        {
            // Uncounted only on the io_context's own executor: other
            // executors (strands, wrappers) add work of their own for a
            // pending wait, as Asio's handler_work does.
            uncounted_ =
                scheduler_ && ex.target_type() == typeid(asio::io_context::executor_type);
            timer_.emplace(ex);
        }
        if (e->deadline < armed_at_)
            arm(e->deadline);
    }

    // Removes `e` if it has not expired yet; returns whether it did.
    bool remove(entry* e) noexcept
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (e->index == npos)
            return false;
        erase(e->index);
        if (heap_.empty() && !uncounted_ && timer_)
        {
            // The timer counts as work here: do not let it hold run() open.
            armed_at_ = clock::time_point::max();
            timer_->cancel();
        }
        return true;
    }

    std::size_t size()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        return heap_.size();
    }

private:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    void shutdown() override
    {
        std::vector<entry*> left;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            shut_down_ = true;
            left.swap(heap_);
            for (entry* e : left)
                e->index = npos;
            // Destroyed now, while the timer's own service still exists (it
            // was created after this one, so it is destroyed before).
            timer_.reset();
        }
        for (entry* e : left)
            e->abandon(e);
    }

    // The shared timer must not keep io_context::run() from returning: it
    // may stay armed for a deadline whose operation finished long ago. Each
    // operation with a deadline keeps its own work counted until it
    // completes, so on the io_context's own executor the timer's pending wait
    // is taken off the context's count when it is started and put back when
    // its handler runs (before the context takes it off itself). Elsewhere
    // the timer is cancelled whenever no deadline is left (remove()), which
    // costs a kernel timer update per operation, as a plain steady_timer
    // does.
    void arm(clock::time_point t)
    {
        armed_at_ = t;
        timer_->expires_at(t); // aborts the wait for the previous deadline
        timer_->async_wait(
            [this, t](const boost::system::error_code& ec)
            {
                if (uncounted_)
                    scheduler_->work_started();
                if (!ec)
                    on_timer(t);
            });
        if (uncounted_)
            scheduler_->work_finished();
    }

    void on_timer(clock::time_point fired_for)
    {
        std::vector<entry*> expired;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (fired_for != armed_at_ || shut_down_)
                return; // re-armed meanwhile
            armed_at_ = clock::time_point::max();
            auto now = clock::now();
            while (!heap_.empty() && heap_.front()->deadline <= now)
            {
                expired.push_back(heap_.front());
                erase(0);
            }
            if (!heap_.empty())
                arm(heap_.front()->deadline);
        }
        for (entry* e : expired)
            e->expire(e);
    }

    void push(entry* e)
    {
        heap_.push_back(e); // may throw: `e` is not in the heap then
        e->index = heap_.size() - 1;
        up(e->index);
    }

    void erase(std::size_t i) noexcept
    {
        entry* e = heap_[i];
        std::size_t last = heap_.size() - 1;
        if (i != last)
        {
            place(i, heap_[last]);
            heap_.pop_back();
            if (!down(i))
                up(i);
        }
        else
            heap_.pop_back();
        e->index = npos;
    }

    void place(std::size_t i, entry* e) noexcept
    {
        heap_[i] = e;
        e->index = i;
    }

    void up(std::size_t i) noexcept
    {
        entry* e = heap_[i];
        while (i > 0)
        {
            std::size_t parent = (i - 1) / 2;
            if (!(e->deadline < heap_[parent]->deadline))
                break;
            place(i, heap_[parent]);
            i = parent;
        }
        place(i, e);
    }

    // Returns whether the entry moved.
    bool down(std::size_t i) noexcept
    {
        entry* e = heap_[i];
        std::size_t start = i;
        for (;;)
        {
            std::size_t child = 2 * i + 1;
            if (child >= heap_.size())
                break;
            if (child + 1 < heap_.size() &&
                heap_[child + 1]->deadline < heap_[child]->deadline)
                ++child;
            if (!(heap_[child]->deadline < e->deadline))
                break;
            place(i, heap_[child]);
            i = child;
        }
        place(i, e);
        return i != start;
    }

    // The work counter of io_context and thread_pool (Asio's scheduler).
    asio::detail::scheduler* scheduler_;
    // The timer's pending wait is kept off the work count (see arm()).
    bool uncounted_ = false;
    std::mutex mutex_;
    std::vector<entry*> heap_;
    std::optional<asio::steady_timer> timer_;
    clock::time_point armed_at_ = clock::time_point::max();
    bool shut_down_ = false;
};

} // namespace boost::muster::detail

#endif
