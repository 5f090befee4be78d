// The replay's thread pool: subjects in chunks, claimed in small blocks by
// worker threads, results in per-subject slots, aggregated in order.
#include "simulation/replay.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace recoup::simulation {
namespace {

// Subjects a worker claims at a time: big enough that the shared counter
// is rarely touched, small enough to balance uneven subjects.
constexpr std::size_t kBlock = 64;
// Subject errors kept in full; the rest are counted.
constexpr std::size_t kMaxSubjectErrors = 20;
// How often the calling thread reports progress while workers run.
constexpr std::chrono::milliseconds kProgressPoll{100};

unsigned ThreadCount(unsigned asked, std::size_t subjects) {
  unsigned threads = asked != 0 ? asked : std::max(1u, std::thread::hardware_concurrency());
  if (subjects < threads) threads = static_cast<unsigned>(std::max<std::size_t>(1, subjects));
  return threads;
}

}  // namespace

ReplayResult Replay(const runtime::Ledger& ledger, const compiler::PolicyIr& policy, const ReplayOptions& options) {
  ReplayResult result;
  PlanResult planned = PlanSubjects(ledger, policy, options.as_of);
  if (!planned.plan) {
    result.error = planned.error;
    return result;
  }
  const SubjectPlan& plan = *planned.plan;
  MetricsBuilder builder(ledger, plan, options.horizon_days, options.premature_days);
  std::size_t subjects = plan.subject_count();
  unsigned threads = ThreadCount(options.threads, subjects);
  result.threads_used = threads;
  std::size_t chunk = std::max<std::size_t>(options.chunk_subjects, kBlock);
  std::vector<SubjectOutcome> slots(std::min(chunk, subjects));
  std::unique_ptr<compiler::PolicyEngine> own_engine;
  const compiler::PolicyEngine* engine = options.engine;
  if (engine == nullptr) {
    own_engine = compiler::MakeInterpreterEngine(policy);
    engine = own_engine.get();
  }
  if (options.keep_outcomes) result.outcomes.reserve(subjects);
  std::atomic<std::uint64_t> finished{0};
  auto report = [&] {
    if (options.progress) options.progress(finished.load(std::memory_order_relaxed), subjects);
  };

  for (std::size_t chunk_begin = 0; chunk_begin < subjects; chunk_begin += chunk) {
    std::size_t chunk_end = std::min(subjects, chunk_begin + chunk);
    std::atomic<std::size_t> next{chunk_begin};
    // `inline_report`: the single-threaded run reports between blocks itself.
    auto work = [&](bool inline_report) {
      ReplayWorkspace workspace;
      for (;;) {
        std::size_t begin = next.fetch_add(kBlock, std::memory_order_relaxed);
        if (begin >= chunk_end) return;
        std::size_t end = std::min(chunk_end, begin + kBlock);
        for (std::size_t s = begin; s < end; ++s) {
          ReplaySubject(ledger, policy, *engine, plan, s, options.horizon_days, workspace, slots[s - chunk_begin]);
        }
        finished.fetch_add(end - begin, std::memory_order_relaxed);
        if (inline_report) report();
      }
    };
    if (threads == 1) {
      work(true);
    } else {
      std::vector<std::thread> pool;
      pool.reserve(threads);
      std::mutex mutex;
      std::condition_variable stopped;
      unsigned running = threads;
      for (unsigned t = 0; t < threads; ++t) {
        pool.emplace_back([&] {
          work(false);
          std::lock_guard<std::mutex> lock(mutex);
          running -= 1;
          stopped.notify_one();
        });
      }
      while (options.progress) {
        {
          std::unique_lock<std::mutex> lock(mutex);
          if (stopped.wait_for(lock, kProgressPoll, [&] { return running == 0; })) break;
        }
        report();
      }
      for (std::thread& thread : pool) thread.join();
    }
    for (std::size_t s = chunk_begin; s < chunk_end; ++s) {
      SubjectOutcome& outcome = slots[s - chunk_begin];
      if (outcome.error) {
        if (result.subject_errors.size() < kMaxSubjectErrors) result.subject_errors.push_back(*outcome.error);
        result.subject_error_count += 1;
      } else {
        builder.Add(outcome);
      }
      if (options.keep_outcomes) result.outcomes.push_back(std::move(outcome));
    }
  }
  report();
  result.metrics = builder.Finish();
  return result;
}

}  // namespace recoup::simulation
