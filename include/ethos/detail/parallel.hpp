// ethos/detail/parallel.hpp: independent tasks (the constructs of a roll-up, the domains of a protection or an
// audit) run on a few threads. Every task writes only its own results, so what comes out does not depend on the
// number of threads or on the order the tasks finish in. Included by definitions (.ipp) only: <thread> stays out of
// the public headers.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace ethos::detail {

// The threads to use for `tasks` tasks when `requested` were asked for (0: one per hardware thread).
inline std::size_t thread_count(std::size_t requested, std::size_t tasks) noexcept {
  std::size_t t = requested;
  if (t == 0) {
    t = std::max<std::size_t>(std::thread::hardware_concurrency(), 1);
  }
  return std::max<std::size_t>(std::min(t, tasks), 1);
}

// Calls task(i) for every i in [0, n) on up to `threads` threads (0: one per hardware thread; 1: this thread alone,
// in order). Tasks are handed out one at a time, in order. A task that throws stops the handing out; the tasks
// already handed out finish, and the exception of the lowest i is rethrown: every task below the first failure had
// been handed out, so it is the exception a run on one thread throws.
template <class Task>
void parallel_for(std::size_t n, std::size_t threads, Task&& task) {
  const std::size_t t = thread_count(threads, n);
  if (t <= 1) {
    for (std::size_t i = 0; i < n; ++i) {
      task(i);
    }
    return;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> failed(n);
  const auto work = [&] {
    for (std::size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
      try {
        task(i);
      } catch (...) {
        failed[i] = std::current_exception();
        next.store(n);
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(t - 1);
  try {
    for (std::size_t w = 1; w < t; ++w) {
      pool.emplace_back(work);
    }
  } catch (...) {
    // No thread to spare: the threads started and this one finish the tasks.
  }
  work();
  for (auto& th : pool) {
    th.join();
  }
  for (auto& e : failed) {
    if (e) {
      std::rethrow_exception(e);
    }
  }
}

} // namespace ethos::detail
