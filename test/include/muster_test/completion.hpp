//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef MUSTER_TEST_COMPLETION_HPP
#define MUSTER_TEST_COMPLETION_HPP

#include <muster_test/tracking_executor.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/test/unit_test.hpp>

#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>

namespace muster_test
{

// Checks the Asio contract for one asynchronous operation: the handler made by
// handler() fails the test if it is invoked from inside initiate(), on another
// executor than its own, twice, or (unless expect_no_call) never before the
// completion object is destroyed. Its arguments are kept for inspection.
template <class... Args>
class completion
{
    struct record
    {
        int calls = 0;
        bool initiating = false;
        int executor_id = 0;
        std::optional<std::tuple<std::decay_t<Args>...>> args;
    };

public:
    class handler_type
    {
    public:
        using executor_type = asio::any_io_executor;

        explicit handler_type(std::shared_ptr<record> r, tracking_executor ex)
            : rec_(std::move(r)), ex_(std::move(ex))
        {
        }

        executor_type get_executor() const noexcept { return ex_; }

        void operator()(Args... args)
        {
            BOOST_TEST(!rec_->initiating,
                       "handler invoked inline, from inside the initiating function");
            BOOST_TEST(rec_->calls == 0, "handler invoked more than once");
            BOOST_TEST(current_executor_id == ex_.id(), "handler invoked on executor "
                                                            << current_executor_id
                                                            << ", expected " << ex_.id());
            ++rec_->calls;
            rec_->args.emplace(std::move(args)...);
        }

    private:
        std::shared_ptr<record> rec_;
        tracking_executor ex_;
    };

    explicit completion(tracking_executor ex) : ex_(std::move(ex)) {}

    completion(const completion&) = delete;
    completion& operator=(const completion&) = delete;

    ~completion()
    {
        if (expect_call_)
            BOOST_TEST(rec_->calls == 1, "handler never invoked");
    }

    handler_type handler() const { return handler_type(rec_, ex_); }

    // Calls f(handler()) and flags any invocation of the handler meanwhile.
    template <class F>
    void initiate(F&& f)
    {
        rec_->initiating = true;
        std::forward<F>(f)(handler());
        rec_->initiating = false;
    }

    void expect_no_call() noexcept { expect_call_ = false; }

    bool called() const noexcept { return rec_->calls > 0; }

    // The arguments of the (single) invocation.
    const std::tuple<std::decay_t<Args>...>& args() const
    {
        BOOST_TEST_REQUIRE(called());
        return *rec_->args;
    }

    template <std::size_t I>
    const auto& arg() const
    {
        return std::get<I>(args());
    }

private:
    std::shared_ptr<record> rec_ = std::make_shared<record>();
    tracking_executor ex_;
    bool expect_call_ = true;
};

} // namespace muster_test

#endif
