// Note [One pool]
// One pool of worker threads serves every parallel_for. Workers sleep on a
// condition variable between jobs (no spinning beside BLAS). A job is split
// into chunks handed out by an atomic counter; the calling thread works on
// chunks too, and waits for the rest. The first exception thrown by any chunk
// is rethrown in the caller.
#include "ember/core/parallel.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

#include "ember/core/error.h"

#if defined(__unix__) || defined(__APPLE__)
#include <pthread.h>
#define EMBER_HAS_PTHREAD_ATFORK 1
#endif

namespace ember {

namespace {

thread_local bool t_in_parallel = false;

int default_threads() {
  if (const char* env = std::getenv("EMBER_NUM_THREADS")) {
    int n = std::atoi(env);
    if (n > 0) return n;
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

class ThreadPool {
 public:
  // first_threads: the size of a pool created by this call (0: the default).
  static ThreadPool& instance(int first_threads = 0);
  explicit ThreadPool(int n) : num_threads_(n) { grow(num_threads_ - 1); }

  int num_threads() const { return num_threads_.load(std::memory_order_relaxed); }

  void set_num_threads(int n) {
    std::lock_guard<std::mutex> job_lock(job_mu_);
    num_threads_.store(n);
    grow(n - 1);
  }

  void run(int64_t begin, int64_t end, int64_t grain,
           const std::function<void(int64_t, int64_t)>& fn) {
    std::lock_guard<std::mutex> job_lock(job_mu_);  // one job at a time
    int64_t n = end - begin;
    int64_t max_chunks = std::max<int64_t>(1, n / std::max<int64_t>(grain, 1));
    int64_t chunks = std::min<int64_t>(num_threads(), max_chunks);
    if (chunks <= 1) {
      fn(begin, end);
      return;
    }
    Job job;
    job.fn = &fn;
    job.begin = begin;
    job.chunk = (n + chunks - 1) / chunks;
    job.end = end;
    job.num_chunks = (n + job.chunk - 1) / job.chunk;
    job.remaining.store(job.num_chunks);
    {
      std::lock_guard<std::mutex> lock(mu_);
      job_ = &job;
      ++generation_;
    }
    cv_.notify_all();
    work_on(job);
    {
      std::unique_lock<std::mutex> lock(mu_);
      done_cv_.wait(lock, [&] { return job.remaining.load() == 0 && job.active_workers == 0; });
      job_ = nullptr;
    }
    if (job.error) std::rethrow_exception(job.error);
  }

 private:
  struct Job {
    const std::function<void(int64_t, int64_t)>* fn;
    int64_t begin, end, chunk, num_chunks;
    std::atomic<int64_t> next{0};
    std::atomic<int64_t> remaining{0};
    int active_workers = 0;  // guarded by mu_
    std::exception_ptr error;
    std::mutex error_mu;
  };

  void grow(int workers) {
    while (static_cast<int>(threads_.size()) < workers) {
      threads_.emplace_back([this] { worker_loop(); });
      threads_.back().detach();
    }
  }

  void work_on(Job& job) {
    bool was = t_in_parallel;
    t_in_parallel = true;
    for (;;) {
      int64_t c = job.next.fetch_add(1);
      if (c >= job.num_chunks) break;
      int64_t b = job.begin + c * job.chunk;
      int64_t e = std::min(job.end, b + job.chunk);
      try {
        (*job.fn)(b, e);
      } catch (...) {
        std::lock_guard<std::mutex> lock(job.error_mu);
        if (!job.error) job.error = std::current_exception();
      }
      job.remaining.fetch_sub(1);
    }
    t_in_parallel = was;
  }

  void worker_loop() {
    uint64_t seen = 0;
    for (;;) {
      Job* job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return generation_ != seen && job_ != nullptr; });
        seen = generation_;
        job = job_;
        ++job->active_workers;
      }
      work_on(*job);
      {
        std::lock_guard<std::mutex> lock(mu_);
        --job->active_workers;
      }
      done_cv_.notify_all();
    }
  }

  std::atomic<int> num_threads_;
  std::vector<std::thread> threads_;
  std::mutex job_mu_;
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  Job* job_ = nullptr;
  uint64_t generation_ = 0;
};

// Note [Thread pool after fork]
// fork() copies only the calling thread: in the child the pool's workers do
// not exist, and its mutexes may be copied in a locked state (a fork while a
// job runs). DataLoader workers are forked children that run ops, so the
// child drops (leaks) the parent's pool and builds a fresh one on first use,
// with the parent's thread count. Nothing here may run between fork and the
// child handler, so the handler only swaps pointers and re-creates the
// creation mutex.
std::atomic<ThreadPool*> g_pool{nullptr};
std::mutex g_pool_mu;
int g_threads_after_fork = 0;  // 0: take default_threads()

#ifdef EMBER_HAS_PTHREAD_ATFORK
void reset_pool_in_child() {
  ThreadPool* old = g_pool.load(std::memory_order_relaxed);
  if (old) g_threads_after_fork = old->num_threads();
  new (&g_pool_mu) std::mutex();  // a parent thread may have held it at fork
  g_pool.store(nullptr, std::memory_order_relaxed);
}
#endif

ThreadPool& ThreadPool::instance(int first_threads) {
  ThreadPool* pool = g_pool.load(std::memory_order_acquire);
  if (pool) return *pool;
  std::lock_guard<std::mutex> lock(g_pool_mu);
  pool = g_pool.load(std::memory_order_relaxed);
  if (!pool) {
#ifdef EMBER_HAS_PTHREAD_ATFORK
    static const bool registered = (pthread_atfork(nullptr, nullptr, &reset_pool_in_child), true);
    (void)registered;
#endif
    // Never destroyed: detached workers may outlive main.
    int n = first_threads > 0 ? first_threads : g_threads_after_fork > 0 ? g_threads_after_fork : default_threads();
    pool = new ThreadPool(n);
    g_pool.store(pool, std::memory_order_release);
  }
  return *pool;
}

}  // namespace

int get_num_threads() { return ThreadPool::instance().num_threads(); }

void set_num_threads(int n) {
  EMBER_CHECK(n >= 1, ValueError, "[set_num_threads] expected a positive number of threads, got ", n);
  // A pool created here starts at n threads (a DataLoader worker asking for
  // one thread never starts the parent's count).
  ThreadPool::instance(n).set_num_threads(n);
}

bool in_parallel_region() { return t_in_parallel; }

namespace detail {
void parallel_run(int64_t begin, int64_t end, int64_t grain,
                  const std::function<void(int64_t, int64_t)>& fn) {
  ThreadPool::instance().run(begin, end, grain, fn);
}
}  // namespace detail

}  // namespace ember
