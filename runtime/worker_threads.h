// Runs work(0) .. work(threads - 1), each on its own thread, and returns
// when all have finished; with one thread (or none asked), work(0) runs on
// the calling thread.
#pragma once

#include <thread>
#include <vector>

namespace recoup::runtime {

template <typename Work>
void RunOnThreads(unsigned threads, Work&& work) {
  if (threads <= 1) {
    work(0u);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back([&work, t] { work(t); });
  for (std::thread& thread : pool) thread.join();
}

}  // namespace recoup::runtime
