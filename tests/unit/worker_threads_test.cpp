// runtime::RunOnThreads: every worker runs, and a worker's exception
// reaches the caller once all have finished, with `stop` set for the others.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "runtime/worker_threads.h"

namespace recoup::runtime {
namespace {

TEST_CASE("RunOnThreads: every worker runs once", "[runtime][threads]") {
  for (unsigned threads : {0u, 1u, 2u, 5u}) {
    std::atomic<unsigned> ran{0};
    std::atomic<unsigned> indexes{0};
    RunOnThreads(threads, [&](unsigned t) {
      ran += 1;
      indexes += 1u << t;
    });
    const unsigned expected = threads <= 1 ? 1 : threads;
    CHECK(ran == expected);
    CHECK(indexes == (1u << expected) - 1);
  }
}

TEST_CASE("RunOnThreads: a worker's exception reaches the caller after the others finish", "[runtime][threads]") {
  for (unsigned threads : {1u, 2u, 5u}) {
    INFO(threads << " threads");
    std::atomic<bool> stop{false};
    std::atomic<unsigned> finished{0};
    auto work = [&](unsigned t) {
      if (t == threads - 1) throw std::runtime_error("worker failed");
      // The others run until told to stop: the caller hears of the
      // failure only once they have returned.
      while (!stop.load()) std::this_thread::yield();
      finished += 1;
    };
    CHECK_THROWS_WITH(RunOnThreads(threads, work, &stop), "worker failed");
    CHECK(finished == threads - 1);
  }
}

}  // namespace
}  // namespace recoup::runtime
