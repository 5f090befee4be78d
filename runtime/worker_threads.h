// Runs work(0) .. work(threads - 1), each on its own thread, and returns
// when all have finished; with one thread (or none asked), work(0) runs on
// the calling thread. An exception thrown by a work(t), or by starting a
// thread, reaches the caller once every thread started has finished (the
// first one thrown, when several are); `stop`, when given, is set as soon
// as one is thrown, so that the other workers can check it and return early.
#pragma once

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace recoup::runtime {

template <typename Work>
void RunOnThreads(unsigned threads, Work&& work, std::atomic<bool>* stop = nullptr) {
  if (threads <= 1) {
    work(0u);
    return;
  }
  std::mutex mutex;
  std::exception_ptr failure;
  auto fail = [&](std::exception_ptr error) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!failure) failure = std::move(error);
    if (stop != nullptr) stop->store(true, std::memory_order_relaxed);
  };
  std::vector<std::thread> pool;
  try {
    pool.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&work, &fail, t] {
        try {
          work(t);
        } catch (...) {
          fail(std::current_exception());
        }
      });
    }
  } catch (...) {  // a thread that could not start: the ones that did are joined first
    fail(std::current_exception());
  }
  for (std::thread& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace recoup::runtime
