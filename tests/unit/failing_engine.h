// Policy engines that fail on purpose, for the tests of what a worker
// thread's exception does (replay and Monte Carlo) and of subjects that
// cannot be run.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <thread>
#include <utility>

#include "compiler/engine.h"

namespace recoup::testing {

// The interpreter engine, failing on its `fail_at`-th run (counted across
// threads) with what `raise` throws.
class FailingEngine : public compiler::PolicyEngine {
 public:
  FailingEngine(const compiler::PolicyIr& policy, std::uint64_t fail_at, std::function<void()> raise)
      : inner_(compiler::MakeInterpreterEngine(policy)), fail_at_(fail_at), raise_(std::move(raise)) {}
  void Run(const compiler::abi::SubjectView& subject, const compiler::EngineOptions& options,
           compiler::EngineWorkspace& workspace, compiler::abi::Trace& trace) const override {
    if (runs_.fetch_add(1) + 1 == fail_at_) raise_();
    inner_->Run(subject, options, workspace, trace);
  }
  std::string_view name() const override { return "failing"; }
  std::uint64_t runs() const { return runs_.load(); }

 private:
  std::unique_ptr<compiler::PolicyEngine> inner_;
  std::uint64_t fail_at_;
  std::function<void()> raise_;
  mutable std::atomic<std::uint64_t> runs_{0};
};

// The interpreter engine, whose runs of the subjects `erring` picks end
// with an error (as if an amount had overflowed): those subjects cannot be
// run, the others are. Such a run takes a millisecond, so that on several
// threads the other workers move on to later subjects meanwhile.
class ErringEngine : public compiler::PolicyEngine {
 public:
  ErringEngine(const compiler::PolicyIr& policy, std::function<bool(const compiler::abi::SubjectView&)> erring)
      : inner_(compiler::MakeInterpreterEngine(policy)), erring_(std::move(erring)) {}
  void Run(const compiler::abi::SubjectView& subject, const compiler::EngineOptions& options,
           compiler::EngineWorkspace& workspace, compiler::abi::Trace& trace) const override {
    inner_->Run(subject, options, workspace, trace);
    if (!erring_(subject)) return;
    trace.error.code = compiler::abi::ErrorCode::MoneyOverflow;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::string_view name() const override { return "erring"; }

 private:
  std::unique_ptr<compiler::PolicyEngine> inner_;
  std::function<bool(const compiler::abi::SubjectView&)> erring_;
};

}  // namespace recoup::testing
