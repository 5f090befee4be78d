// The replay's thread pool: subjects claimed in small blocks by worker
// threads, results in a ring of per-subject slots, aggregated in order.
#include "simulation/replay.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

namespace recoup::simulation {
namespace {

// Subjects a worker claims at a time: big enough that the shared counter
// is rarely touched, small enough to balance uneven subjects.
constexpr std::size_t kBlock = 64;
// How many subjects ahead of the one replayed a worker warms the cache.
constexpr std::size_t kPrefetchAhead = 8;
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

  // Blocks of kBlock subjects are claimed in order by the workers and
  // replayed into a ring of `ring` blocks of slots (at least two a thread,
  // so a worker rarely waits for a slot). A finished block is
  // added to the metrics as soon as every earlier block has been (by the
  // worker that finished last, under `mutex`), so the metrics see subjects
  // in subject order whatever the thread count, and the slots are read
  // back while still in cache. A worker whose ring slot still holds a
  // block not yet added waits for it.
  std::size_t blocks = (subjects + kBlock - 1) / kBlock;
  std::size_t ring = std::max<std::size_t>(options.chunk_subjects / kBlock, 2 * threads);
  ring = std::clamp<std::size_t>(ring, 1, std::max<std::size_t>(1, blocks));
  std::vector<SubjectOutcome> slots(std::min(ring * kBlock, subjects));
  std::vector<std::size_t> done(ring, 0);  // block b + 1 once block b is in ring slot b % ring
  std::size_t added = 0;                   // blocks added to the metrics
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::condition_variable slot_free;
  // The first exception of any worker (a std::bad_alloc, an engine's
  // internal check), under `mutex`: the other workers stop at their next
  // block and the calling thread rethrows it once all have joined.
  std::exception_ptr failure;
  std::atomic<bool> failed{false};
  auto fail = [&](std::exception_ptr error) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (!failure) failure = std::move(error);
      failed.store(true, std::memory_order_relaxed);
    }
    slot_free.notify_all();
  };
  auto add_block = [&](std::size_t block) {
    std::size_t begin = block * kBlock;
    std::size_t end = std::min(subjects, begin + kBlock);
    SubjectOutcome* outcomes = slots.data() + (block % ring) * kBlock;
    for (std::size_t s = begin; s < end; ++s) {
      SubjectOutcome& outcome = outcomes[s - begin];
      if (outcome.error) {
        if (result.subject_errors.size() < kMaxSubjectErrors) result.subject_errors.push_back(*outcome.error);
        result.subject_error_count += 1;
      } else {
        builder.Add(outcome);
      }
      if (options.keep_outcomes) result.outcomes.push_back(std::move(outcome));
    }
  };
  // `inline_report`: the single-threaded run reports between blocks itself.
  auto work = [&](bool inline_report) {
    ReplayWorkspace workspace;
    for (;;) {
      if (failed.load(std::memory_order_relaxed)) return;
      std::size_t block = next.fetch_add(1, std::memory_order_relaxed);
      if (block >= blocks) return;
      {
        std::unique_lock<std::mutex> lock(mutex);
        slot_free.wait(lock, [&] { return block < added + ring || failed.load(std::memory_order_relaxed); });
        if (failed.load(std::memory_order_relaxed)) return;
      }
      std::size_t begin = block * kBlock;
      std::size_t end = std::min(subjects, begin + kBlock);
      SubjectOutcome* outcomes = slots.data() + (block % ring) * kBlock;
      for (std::size_t s = begin; s < end; ++s) {
        if (s + kPrefetchAhead < subjects) PrefetchSubject(ledger, plan, s + kPrefetchAhead);
        ReplaySubject(ledger, policy, *engine, plan, s, options.horizon_days, workspace, outcomes[s - begin]);
      }
      {
        std::lock_guard<std::mutex> lock(mutex);
        done[block % ring] = block + 1;
        while (added < blocks && done[added % ring] == added + 1) {
          add_block(added);
          added += 1;
        }
      }
      slot_free.notify_all();
      finished.fetch_add(end - begin, std::memory_order_relaxed);
      if (inline_report) report();
    }
  };
  if (threads == 1) {
    work(true);
  } else {
    std::vector<std::thread> pool;
    pool.reserve(threads);
    std::condition_variable stopped;
    unsigned running = threads;
    try {
      for (unsigned t = 0; t < threads; ++t) {
        pool.emplace_back([&] {
          try {
            work(false);
          } catch (...) {
            fail(std::current_exception());
          }
          std::lock_guard<std::mutex> lock(mutex);
          running -= 1;
          stopped.notify_one();
        });
      }
    } catch (...) {  // a thread that could not start: stop and join the ones that did
      fail(std::current_exception());
      std::lock_guard<std::mutex> lock(mutex);
      running -= threads - static_cast<unsigned>(pool.size());
    }
    try {
      while (options.progress) {
        {
          std::unique_lock<std::mutex> lock(mutex);
          if (stopped.wait_for(lock, kProgressPoll, [&] { return running == 0; })) break;
        }
        report();
      }
    } catch (...) {  // the progress callback's own exception: stop the workers first
      fail(std::current_exception());
    }
    for (std::thread& thread : pool) thread.join();
    if (failure) std::rethrow_exception(failure);
  }
  report();
  result.metrics = builder.Finish();
  return result;
}

}  // namespace recoup::simulation
