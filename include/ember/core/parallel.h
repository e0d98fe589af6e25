#pragma once
// One intra-op thread pool for everything (Note [One pool]): parallel_for
// splits [begin, end) into at most get_num_threads() chunks of at least
// `grain` iterations; the caller runs one chunk itself. Nested calls run
// serially in the calling thread, so kernels may call parallel_for freely.
#include <cstdint>
#include <functional>

#include "ember/core/macros.h"

namespace ember {

EMBER_API int get_num_threads();
EMBER_API void set_num_threads(int n);  // n >= 1
EMBER_API bool in_parallel_region();

namespace detail {
EMBER_API void parallel_run(int64_t begin, int64_t end, int64_t grain,
                            const std::function<void(int64_t, int64_t)>& fn);
}

template <class F>
void parallel_for(int64_t begin, int64_t end, int64_t grain, const F& fn) {
  if (end <= begin) return;
  if (end - begin <= grain || get_num_threads() == 1 || in_parallel_region()) {
    fn(begin, end);
    return;
  }
  detail::parallel_run(begin, end, grain, std::function<void(int64_t, int64_t)>(fn));
}

// Elements below which elementwise kernels stay on one thread.
constexpr int64_t kGrainSize = 32768;

}  // namespace ember
