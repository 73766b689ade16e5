//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_GATHER_STATE_HPP
#define BOOST_MUSTER_DETAIL_GATHER_STATE_HPP

#include <boost/muster/detail/child.hpp>
#include <boost/muster/detail/child_slot.hpp>
#include <boost/muster/detail/op_alloc.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/result.hpp>

#include <boost/asio/cancellation_signal.hpp>

#include <cstddef>
#include <exception>
#include <memory>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

namespace boost::muster::detail
{

// One child's bookkeeping: its slot and its outcome.
template <class V>
struct child_slot : child_slot_base
{
    std::variant<std::monostate, V, std::exception_ptr> outcome;

    V take_value() { return std::move(*std::get_if<1>(&outcome)); }

    result<V> take_result()
    {
        if (auto* e = std::get_if<2>(&outcome))
            return result<V>(boost::system::in_place_error, *e);
        return result<V>(boost::system::in_place_value, take_value());
    }
};

// Children known at compile time: one slot per child, of its own type.
template <class... Vs>
struct fixed_storage
{
    using values_type = std::tuple<Vs...>;
    using results_type = std::tuple<result<Vs>...>;

    std::tuple<child_slot<Vs>...> slots;

    template <class Alloc>
    fixed_storage(std::size_t, const Alloc&)
    {
    }

    template <std::size_t I>
    auto& slot() noexcept
    {
        return std::get<I>(slots);
    }

    template <class F>
    void for_each(F&& f)
    {
        std::apply([&](auto&... s) { (f(s), ...); }, slots);
    }

    values_type take_values()
    {
        return std::apply([](auto&... s) { return values_type(s.take_value()...); },
                          slots);
    }

    results_type take_results()
    {
        return std::apply([](auto&... s) { return results_type(s.take_result()...); },
                          slots);
    }
};

// Children from a range, all of one type: a contiguous array of slots.
template <class V, class Alloc>
struct range_storage
{
    using values_type = std::vector<V>;
    using results_type = std::vector<result<V>>;
    using slot_allocator =
        typename std::allocator_traits<Alloc>::template rebind_alloc<child_slot<V>>;

    std::vector<child_slot<V>, slot_allocator> slots;

    range_storage(std::size_t n, const Alloc& a) : slots(n, slot_allocator(a)) {}

    template <class F>
    void for_each(F&& f)
    {
        for (auto& s : slots)
            f(s);
    }

    values_type take_values()
    {
        values_type v;
        v.reserve(slots.size());
        for (auto& s : slots)
            v.push_back(s.take_value());
        return v;
    }

    results_type take_results()
    {
        results_type v;
        v.reserve(slots.size());
        for (auto& s : slots)
            v.push_back(s.take_result());
        return v;
    }
};

// The state of one running gather, allocated with the handler's associated
// allocator and freed before the handler is invoked. It is touched only from
// the handler's associated executor: every child's handler is bound to it.
template <class Storage, class Handler, class Given, bool ReturnExceptions>
class gather_state
{
    using core_type = op_core<Handler, Given>;

public:
    using executor_type = typename core_type::executor_type;
    using allocator_type = typename core_type::allocator_type;

    template <class H>
    static gather_state* create(H&& h, const Given& given, std::size_t n)
    {
        return new_op<gather_state>(h, std::forward<H>(h), given, n);
    }

    executor_type get_executor() const noexcept { return core_.get_executor(); }
    allocator_type get_allocator() const noexcept { return core_.get_allocator(); }

    Storage& storage() noexcept { return storage_; }
    const Handler& core_handler() const noexcept { return core_.handler(); }

    // Starts every child with launch_all() and connects the handler's
    // cancellation slot. Completes (posted) at once if there is no child.
    template <class LaunchAll>
    void start(LaunchAll&& launch_all)
    {
        ++busy_;
        launch_all();
        if (remaining_ != 0)
            core_.forward_cancellation(this);
        --busy_;
        if (!settle())
            core_.initiated();
    }

    // Starts one child: launch(handler) hands the child its handler. A child
    // whose initiation throws fails with that exception (in the default mode
    // the others are then cancelled, and the children not yet started never
    // start); the gather still completes once every started child is done.
    template <class V, class Launch>
    void launch(child_slot<V>& slot, Launch&& launch)
    {
        if (failure_ && !ReturnExceptions)
        {
            --remaining_; // never started
            return;
        }
        slot.running = true;
        launching_ = &slot;
        dropped_ = false;
        try
        {
            std::forward<Launch>(launch)();
        }
        catch (...)
        {
            launching_ = nullptr;
            if (dropped_) // its handler is gone with the failed initiation
            {
                fail(slot, std::current_exception());
                --remaining_;
            }
            return;
        }
        launching_ = nullptr;
        if (dropped_) // dropped its handler without completing it
        {
            abandoned_ = true;
            --remaining_;
        }
    }

    asio::cancellation_slot slot_for(child_slot_base* slot) const noexcept
    {
        return slot->signal.slot();
    }

    // A child completed with `args` (its completion signature's arguments).
    template <class V, class... Args>
    void on_complete(child_slot<V>* child, Args&&... args)
    {
        child_slot<V>& slot = *child;
        slot.running = false;
        ++busy_;
        split_outcome<V>([&](V&& v) { slot.outcome.template emplace<1>(std::move(v)); },
                         [&](std::exception_ptr e) { fail(slot, std::move(e)); },
                         std::forward<Args>(args)...);
        --busy_;
        child_done();
    }

    // A child's handler was destroyed without being invoked. During its own
    // initiation that is the initiation failing or dropping it (launch()
    // accounts for it); otherwise its execution context was shut down, and
    // once every child is gone the gather's handler is destroyed uninvoked
    // too, as Asio does with pending handlers. (A child may also complete
    // during its initiation, as asio::deferred.values does: that is an
    // ordinary completion, and the gather completes after start() returns.)
    void on_abandoned(child_slot_base* slot) noexcept
    {
        slot->running = false;
        if (slot == launching_)
        {
            dropped_ = true; // launch() accounts for it
            return;
        }
        abandoned_ = true;
        child_done();
    }

    void on_parent_cancellation(asio::cancellation_type_t type) { cancel_running(type); }

private:
    template <class U, class H2, class... A>
    friend U* new_op(const H2&, A&&...);

    template <class H>
    gather_state(H&& h, const Given& given, std::size_t n)
        : core_(std::forward<H>(h), given), storage_(n, core_.get_allocator()),
          remaining_(n)
    {
    }

    template <class V>
    void fail(child_slot<V>& slot, std::exception_ptr e)
    {
        slot.outcome.template emplace<2>(e);
        if (!ReturnExceptions && !failure_)
        {
            failure_ = std::move(e);
            cancel_running(asio::cancellation_type::terminal);
        }
    }

    void cancel_running(asio::cancellation_type_t type)
    {
        ++busy_;
        storage_.for_each(
            [type](child_slot_base& s)
            {
                if (s.running)
                    s.signal.emit(type);
            });
        --busy_;
        settle();
    }

    void child_done()
    {
        --remaining_;
        settle();
    }

    void destroy() noexcept { delete_op(this, allocator_type(get_allocator())); }

    // Completes once every child is done and nothing is in progress; returns
    // whether the state is gone.
    bool settle()
    {
        if (remaining_ != 0 || busy_ != 0)
            return false;
        if (abandoned_)
        {
            core_.abandon();
            destroy();
            return true;
        }
        auto free = [this] { destroy(); };
        if constexpr (ReturnExceptions)
            core_.complete(free, storage_.take_results());
        else if (failure_)
            core_.complete(free, std::exception_ptr(failure_),
                           typename Storage::values_type{});
        else
            core_.complete(free, std::exception_ptr(), storage_.take_values());
        return true;
    }

    core_type core_;
    Storage storage_;
    std::size_t remaining_;
    std::exception_ptr failure_;
    child_slot_base* launching_ = nullptr;
    bool dropped_ = false;
    int busy_ = 0;
    bool abandoned_ = false;
};

template <class State, class Slot, bool BindExecutor>
using child_handler = member_handler<State, Slot*, BindExecutor>;

} // namespace boost::muster::detail

#endif
