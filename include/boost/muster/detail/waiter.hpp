//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_WAITER_HPP
#define BOOST_MUSTER_DETAIL_WAITER_HPP

#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/recycling_allocator.hpp>
#include <boost/muster/detail/op_alloc.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/pending_service.hpp>

#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace boost::muster::detail
{

enum class waiter_event
{
    complete, // the awaited thing happened: deliver the owner's result
    abort,    // cancelled through the handler's slot: deliver operation_aborted
    destroy,  // the owner can never complete: destroy the handler uninvoked
    // Posted owners only: several waiters complete at once (see finish_all).
    join_complete, // complete, as one of a batch: only mark the node
    join_abort,    // abort, as one of a batch: only mark the node
    post_batch,    // post the batch that starts with this node
    post_alone,    // the batch could not be posted: post this marked node alone
    dispatch,      // run from the batch: dispatch the marked node's completion
};

struct no_payload
{
};

// A node's payload, taken out of it before the node is freed: a plain value
// and a flag rather than a moved std::optional, whose conditional
// construction g++ 12 at -O2 reports as maybe-uninitialized.
template <class X>
struct taken_item
{
    bool has;
    X value;
};

template <class X>
taken_item<X> take_payload(std::optional<X>& p)
{
    if (p)
        return {true, X(std::move(*p))};
    return {false, X()};
}

inline no_payload take_payload(no_payload&) noexcept
{
    return {};
}

// A plain record (a lock's request, a barrier party's index) is copied.
template <class P>
requires std::is_trivially_copyable_v<P> P take_payload(P& p)
noexcept
{
    return p;
}

// A pending asynchronous wait on an Owner, linked into one of the owner's
// lists. The concrete node holds the handler and is allocated with the
// handler's associated allocator; it may carry a Payload (a queue item).
// `fn` unlinks nothing. There are two kinds of owners:
//
// * Synchronous owners (the default): `fn` clears the handler's cancellation
//   slot and, unless destroying, calls
//     owner->deliver(handler, executor, aborted[, payload])        (Kind void)
//     owner->deliver(Kind{}, handler, executor, aborted, payload)  (otherwise)
//   which posts the handler; then it frees the node (also if the post
//   throws). The owner must be used on one thread.
//
// * Posted owners (`Owner::posted_waiters` is true; the queues): `fn` only
//   posts a finisher to the handler's executor; if that post fails, the node
//   is left intact for the owner to undo what it committed. The finisher
//   clears the slot, frees the node and invokes
//     Owner::deliver(Kind{}, handler, aborted, payload)            (static)
//   there. A cancellation is emitted on that same executor, so it never races
//   with the slot being cleared, and its handler checks under
//   `owner->waiters_mutex()` that the node is still linked: a node taken by a
//   completion on another thread is no longer the cancellation's to abort.
//   If `Owner::waiters_hold_owner`, each node holds `owner->add_ref()` until
//   its finisher has run (`Owner::drop_ref`), so a cancellation always finds
//   the owner alive (the owner is shared between threads). Otherwise a node's
//   `owner` is set to null as soon as it is unlinked, and its cancellation
//   handler then does nothing (the owner may since have been destroyed).
template <class Owner, class Payload = no_payload>
struct waiter
{
    waiter* prev = nullptr;
    waiter* next = nullptr;
    void (*fn)(waiter*, Owner*, waiter_event) = nullptr;
    Owner* owner = nullptr; // posted owners only
    // The execution context of the handler's executor, if known: waiters of
    // one context may complete through one post (posted owners only).
    const void* context = nullptr;
    [[no_unique_address]] Payload payload{};
};

template <class Owner>
concept posted_owner = Owner::posted_waiters;

template <class Owner, class Payload = no_payload, class Kind = void>
class waiter_list
{
public:
    waiter_list() = default;
    waiter_list(const waiter_list&) = delete;
    waiter_list& operator=(const waiter_list&) = delete;

    bool empty() const noexcept { return head_ == nullptr; }

    // Walks the list: for reports, not for hot paths.
    std::size_t count() const noexcept
    {
        std::size_t n = 0;
        for (const node* w = head_; w; w = w->next)
            ++n;
        return n;
    }

    bool contains(const waiter<Owner, Payload>* w) const noexcept
    {
        return w->prev != nullptr || head_ == w;
    }

    // Allocates a node for `handler`, links it last and connects the
    // handler's cancellation slot, if any, to abort this wait alone.
    using node = waiter<Owner, Payload>;

    // The cancellation handler is `Cancellation` if given (constructed from
    // the list, the owner and the node), else one that aborts this wait.
    template <class Cancellation = void, class Handler, class DefaultExecutor>
    node* start(Owner& owner, Handler&& handler, const DefaultExecutor& ex);

    void erase(node* w) noexcept
    {
        (w->prev ? w->prev->next : head_) = w->next;
        (w->next ? w->next->prev : tail_) = w->prev;
        w->prev = w->next = nullptr;
    }

    node* front() const noexcept { return head_; }

    // Links `w` first again: a completion that could not be posted is undone.
    void push_front(node* w) noexcept
    {
        w->prev = nullptr;
        w->next = head_;
        (head_ ? head_->prev : tail_) = w;
        head_ = w;
    }

    void push_back(node* w) noexcept
    {
        w->prev = tail_;
        w->next = nullptr;
        (tail_ ? tail_->next : head_) = w;
        tail_ = w;
    }

    node* pop_front() noexcept
    {
        node* w = head_;
        if (w)
            erase(w);
        return w;
    }

    ~waiter_list() { destroy_all(); }

    // Completes every waiter, even when one completion throws (its handler
    // could not be posted); the first such exception is rethrown at the end.
    void complete_all(Owner& owner) { finish_all(owner, waiter_event::complete); }

    void abort_all(Owner& owner) { finish_all(owner, waiter_event::abort); }

    // Unlinks every waiter into `out`, to be destroyed later (at shutdown;
    // see pending_service).
    void take_all(std::vector<pending_service::orphan>& out)
    {
        while (node* w = pop_front())
            out.push_back({w, &waiter_list::destroy_node});
    }

    void destroy_all() noexcept
    {
        while (node* w = pop_front())
            w->fn(w, nullptr, waiter_event::destroy);
    }

private:
    static void destroy_node(void* p) noexcept
    {
        node* w = static_cast<node*>(p);
        w->fn(w, nullptr, waiter_event::destroy);
    }

    void finish_all(Owner& owner, waiter_event ev)
    {
        if constexpr (posted_owner<Owner>)
            if (head_ && head_ != tail_)
                return finish_batch(owner, ev);
        std::exception_ptr first;
        while (node* w = pop_front())
        {
            try
            {
                w->fn(w, &owner, ev);
            }
            catch (...)
            {
                if (!first)
                    first = std::current_exception();
                // A posted owner's node is left intact by a failed post:
                // its handler is destroyed, uninvoked.
                if constexpr (posted_owner<Owner>)
                    w->fn(w, nullptr, waiter_event::destroy);
            }
        }
        if (first)
            std::rethrow_exception(first);
    }

    // Several waiters of a posted owner complete. The ones whose executors
    // belong to the first one's execution context share one posted function,
    // which dispatches each completion to its own executor: inline, with no
    // allocation, for every waiter on the executor it runs on. One post per
    // wake-up rather than one per waiter, since Asio's per-thread recycling
    // cache holds only a couple of blocks and many completions posted at
    // once would each allocate. The others, and all of them if that post
    // fails, are posted one by one.
    void finish_batch(Owner& owner, waiter_event ev)
    {
        waiter_event mark = ev == waiter_event::abort ? waiter_event::join_abort
                                                      : waiter_event::join_complete;
        const void* context = head_->context;
        node* batch = nullptr;
        node** batch_end = &batch;
        node* alone = nullptr;
        node** alone_end = &alone;
        std::size_t batched = 0;
        while (node* w = pop_front())
        {
            w->fn(w, &owner, mark);
            bool joins = context != nullptr && w->context == context;
            *(joins ? batch_end : alone_end) = w;
            (joins ? batch_end : alone_end) = &w->next;
            batched += joins;
        }
        if (batched == 1)
        {
            batch->next = alone;
            alone = batch;
            batch = nullptr;
        }
        if (batch)
        {
            try
            {
                batch->fn(batch, &owner, waiter_event::post_batch);
            }
            catch (...)
            {
                *batch_end = alone;
                alone = batch;
            }
        }
        std::exception_ptr first;
        while (node* w = alone)
        {
            alone = w->next;
            w->next = nullptr;
            try
            {
                w->fn(w, &owner, waiter_event::post_alone);
            }
            catch (...)
            {
                if (!first)
                    first = std::current_exception();
                w->fn(w, nullptr, waiter_event::destroy);
            }
        }
        if (first)
            std::rethrow_exception(first);
    }

    node* head_ = nullptr;
    node* tail_ = nullptr;
};

template <class Owner, class Payload, class Kind, class Handler, class DefaultExecutor>
class waiter_op final : public waiter<Owner, Payload>
{
    using executor_type = asio::associated_executor_t<Handler, DefaultExecutor>;
    using work_type = asio::executor_work_guard<executor_type>;

public:
    // An lvalue handler is copied (async_result specialisations such as
    // use_promise's pass one and keep using it), an rvalue one moved.
    template <class H>
    static waiter_op* create(H&& h, const DefaultExecutor& ex)
    {
        return new_op<waiter_op>(h, std::forward<H>(h), ex);
    }

    Handler& handler() noexcept { return handler_; }

private:
    template <class U, class H, class... A>
    friend U* new_op(const H&, A&&...);

    template <class H>
    waiter_op(H&& h, const DefaultExecutor& ex)
        : handler_(std::forward<H>(h)), work_(asio::get_associated_executor(handler_, ex))
    {
        this->fn = &waiter_op::on_event;
    }

    static void on_event(waiter<Owner, Payload>* base, Owner* owner, waiter_event ev)
    {
        auto* self = static_cast<waiter_op*>(base);
        asio::get_associated_cancellation_slot(self->handler_).clear();
        // The node, and the work it counts, stay until the completion is
        // posted (which counts work of its own), also if the post throws.
        auto alloc = op_allocator<waiter_op>(self->handler_);
        if (ev == waiter_event::destroy)
        {
            delete_op(self, alloc);
            return;
        }
        bool aborted = ev == waiter_event::abort;
        auto ex = self->work_.get_executor();
        try
        {
            if constexpr (!std::is_void_v<Kind>)
                owner->deliver(Kind{}, std::move(self->handler_), ex, aborted,
                               std::move(self->payload));
            else if constexpr (std::is_same_v<Payload, no_payload>)
                owner->deliver(std::move(self->handler_), ex, aborted);
            else
                owner->deliver(std::move(self->handler_), ex, aborted,
                               std::move(self->payload));
        }
        catch (...)
        {
            delete_op(self, alloc);
            throw;
        }
        delete_op(self, alloc);
    }

    Handler handler_;
    work_type work_;
};

// The node of a posted owner's wait (see `waiter`).
template <class Owner, class Payload, class Kind, class Handler, class DefaultExecutor>
class posted_waiter_op final : public waiter<Owner, Payload>
{
    using waiter_type = waiter<Owner, Payload>;
    using executor_type = asio::associated_executor_t<Handler, DefaultExecutor>;
    using work_type = asio::executor_work_guard<executor_type>;

public:
    template <class H>
    static posted_waiter_op* create(H&& h, const DefaultExecutor& ex)
    {
        return new_op<posted_waiter_op>(h, std::forward<H>(h), ex);
    }

    Handler& handler() noexcept { return handler_; }

private:
    template <class U, class H, class... A>
    friend U* new_op(const H&, A&&...);

    template <class H>
    posted_waiter_op(H&& h, const DefaultExecutor& ex)
        : handler_(std::forward<H>(h)), work_(asio::get_associated_executor(handler_, ex))
    {
        this->fn = &posted_waiter_op::on_event;
        if constexpr (asio::can_query<executor_type, asio::execution::context_t>::value)
            this->context = static_cast<const asio::execution_context*>(
                &asio::query(work_.get_executor(), asio::execution::context));
    }

    // Posted to the handler's executor; owns the node until it runs.
    class finisher
    {
    public:
        using allocator_type = asio::associated_allocator_t<Handler>;

        explicit finisher(posted_waiter_op* op) noexcept : op_(op) {}
        finisher(finisher&& other) noexcept : op_(std::exchange(other.op_, nullptr)) {}
        finisher& operator=(finisher&&) = delete;
        // Destroyed without running: the execution context was shut down,
        // or the post failed (then the node is left to the poster).
        ~finisher()
        {
            if (op_ && !posting_scope::failing(op_))
                op_->finish(false);
        }

        allocator_type get_allocator() const noexcept
        {
            return asio::get_associated_allocator(op_->handler_);
        }

        void operator()() { std::exchange(op_, nullptr)->finish(true); }

    private:
        posted_waiter_op* op_;
    };

    // Runs a batch of marked nodes, chained through `next` (see
    // waiter_list::finish_batch); destroyed without running, it destroys
    // them.
    class batch
    {
    public:
        using allocator_type = asio::associated_allocator_t<Handler>;

        explicit batch(posted_waiter_op* head) noexcept : head_(head) {}
        batch(batch&& other) noexcept : head_(std::exchange(other.head_, nullptr)) {}
        batch& operator=(batch&&) = delete;
        ~batch()
        {
            if (head_ && posting_scope::failing(head_))
                return; // the post failed: the poster still owns the nodes
            for (waiter_type* w = std::exchange(head_, nullptr); w;)
            {
                waiter_type* next = std::exchange(w->next, nullptr);
                w->fn(w, nullptr, waiter_event::destroy);
                w = next;
            }
        }

        allocator_type get_allocator() const noexcept
        {
            return asio::get_associated_allocator(
                static_cast<posted_waiter_op*>(head_)->handler_);
        }

        // Every node is completed; the first exception (a handler's, or a
        // failed allocation) is rethrown at the end, out of the executor's
        // run(), as Asio does with a handler's exception.
        void operator()()
        {
            std::exception_ptr first;
            for (waiter_type* w = std::exchange(head_, nullptr); w;)
            {
                waiter_type* next = std::exchange(w->next, nullptr);
                try
                {
                    w->fn(w, nullptr, waiter_event::dispatch);
                }
                catch (...)
                {
                    if (!first)
                        first = std::current_exception();
                }
                w = next;
            }
            if (first)
                std::rethrow_exception(first);
        }

    private:
        waiter_type* head_;
    };

    static void on_event(waiter<Owner, Payload>* base, Owner*, waiter_event ev)
    {
        auto* self = static_cast<posted_waiter_op*>(base);
        switch (ev)
        {
        case waiter_event::destroy:
            self->finish(false);
            return;
        case waiter_event::join_complete:
        case waiter_event::join_abort:
            self->mark(ev == waiter_event::join_abort);
            return;
        case waiter_event::post_batch:
        {
            posting_scope scope(self);
            asio::post(self->work_.get_executor(), batch(self));
            return;
        }
        case waiter_event::post_alone:
            self->post_finisher();
            return;
        case waiter_event::dispatch:
            // If this throws, the finisher it made was destroyed uninvoked
            // and freed the node (a failed allocation), or the handler ran
            // and threw: either way the node is gone.
            asio::dispatch(self->work_.get_executor(), finisher(self));
            return;
        case waiter_event::complete:
        case waiter_event::abort:
            break;
        }
        [[maybe_unused]] Owner* owner = self->mark(ev == waiter_event::abort);
        try
        {
            self->post_finisher();
        }
        catch (...)
        {
            if constexpr (!Owner::waiters_hold_owner)
                self->owner = owner; // (a shared owner was never forgotten)
            throw;
        }
    }

    // Records how the wait ends. Unlinked for good: a later cancellation has
    // nothing to do. An owner whose waiters do not keep it alive may be gone
    // by then, so the node forgets it. Returns the owner it had.
    Owner* mark(bool aborted) noexcept
    {
        aborted_ = aborted;
        Owner* owner = this->owner;
        if constexpr (!Owner::waiters_hold_owner)
            this->owner = nullptr;
        return owner;
    }

    // If the post cannot allocate, the node is left as it was, for the owner
    // to undo what it committed.
    void post_finisher()
    {
        posting_scope scope(this);
        asio::post(work_.get_executor(), finisher(this));
    }

    void finish(bool invoke)
    {
        asio::get_associated_cancellation_slot(handler_).clear();
        // No work guard is needed past the node: this runs as a function
        // posted to the handler's executor, which counts it as work.
        Handler h(std::move(handler_));
        auto payload = take_payload(this->payload);
        Owner* owner = this->owner;
        bool aborted = aborted_;
        delete_op(this, op_allocator<posted_waiter_op>(h));
        if (owner)
            Owner::drop_ref(owner);
        if (invoke)
            Owner::deliver(Kind{}, std::move(h), aborted, std::move(payload));
    }

    Handler handler_;
    work_type work_;
    bool aborted_ = false;
};

template <class List, class Owner>
struct waiter_cancellation
{
    using node = typename List::node;

    waiter_cancellation(List* l, Owner* o, node* n) noexcept : list(l), owner(o), w(n) {}

    List* list;
    Owner* owner;
    node* w;

    void operator()(asio::cancellation_type_t type)
    {
        using ct = asio::cancellation_type;
        if ((type & (ct::terminal | ct::partial | ct::total)) == ct::none)
            return;
        // Copy out first: completing the wait clears the slot, which destroys
        // this handler object.
        auto* node = w;
        if constexpr (posted_owner<Owner>)
        {
            Owner* o = node->owner;
            if (!o) // the owner is gone; the node's finisher is on its way
                return;
            {
                std::lock_guard<typename Owner::mutex_type> lock(o->waiters_mutex());
                if (!list->contains(node)) // already completed
                    return;
                list->erase(node);
            }
            try
            {
                node->fn(node, o, waiter_event::abort);
            }
            catch (...)
            {
                // Its completion cannot be posted: destroyed, uninvoked.
                node->fn(node, nullptr, waiter_event::destroy);
                throw;
            }
        }
        else
        {
            auto* o = owner;
            list->erase(node);
            node->fn(node, o, waiter_event::abort);
        }
    }
};

// The cancellation handler of a wait whose owner decides what a
// cancellation does (a condition wait re-acquires its lock; a barrier party
// leaves the count): it calls owner->cancel(node), which checks under the
// owner's lock where the node is, if anywhere.
template <class List, class Owner>
struct owner_cancellation
{
    using node = typename List::node;

    owner_cancellation(List*, Owner*, node* n) noexcept : w(n) {}

    node* w;

    void operator()(asio::cancellation_type_t type)
    {
        using ct = asio::cancellation_type;
        if ((type & (ct::terminal | ct::partial | ct::total)) == ct::none)
            return;
        auto* n = w; // the owner may clear the slot, destroying this object
        if (Owner* o = n->owner)
            o->cancel(n);
    }
};

template <class Owner, class Payload, class Kind>
template <class Cancellation, class Handler, class DefaultExecutor>
auto waiter_list<Owner, Payload, Kind>::start(Owner& owner, Handler&& handler,
                                              const DefaultExecutor& ex) -> node*
{
    using op = std::conditional_t<
        posted_owner<Owner>,
        posted_waiter_op<Owner, Payload, Kind, std::decay_t<Handler>, DefaultExecutor>,
        waiter_op<Owner, Payload, Kind, std::decay_t<Handler>, DefaultExecutor>>;
    op* w = op::create(std::forward<Handler>(handler), ex);
    if constexpr (posted_owner<Owner>)
    {
        w->owner = &owner;
        owner.add_ref();
    }
    push_back(w);
    auto slot = asio::get_associated_cancellation_slot(w->handler());
    using cancellation =
        std::conditional_t<std::is_void_v<Cancellation>,
                           waiter_cancellation<waiter_list, Owner>, Cancellation>;
    if (slot.is_connected())
        slot.template emplace<cancellation>(this, &owner, w);
    return w;
}

} // namespace boost::muster::detail

#endif
