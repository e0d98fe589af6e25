#pragma once
// A minimal intrusive reference-counted pointer. Tensor and Storage handles
// use it: one atomic increment per copy, no separate control block.
#include <atomic>
#include <cstdint>
#include <utility>

namespace ember {

class RefCounted {
 public:
  RefCounted() = default;
  RefCounted(const RefCounted&) = delete;
  RefCounted& operator=(const RefCounted&) = delete;
  virtual ~RefCounted() = default;
  int64_t use_count() const { return refcount_.load(std::memory_order_relaxed); }

  void incref() const { refcount_.fetch_add(1, std::memory_order_relaxed); }
  // Returns true when this was the last reference. Note [Refcount atomics]:
  // a locked read-modify-write costs ~10 ns on these machines, as much as a
  // whole tiny op's arithmetic, so two are skipped where they are provably
  // unneeded. A count of 1 read by an owner means its reference is the only
  // one, and nobody can add another (that takes a reference), so the object
  // is freed without decrementing; the acquire load pairs with the release
  // of the other owners' decrements, as fetch_sub's would. And a new object
  // starts at 1 with a plain store (make_intrusive), since nobody else can
  // see it yet.
  bool decref() const {
    if (refcount_.load(std::memory_order_acquire) == 1) return true;
    return refcount_.fetch_sub(1, std::memory_order_acq_rel) == 1;
  }

 private:
  template <class T>
  friend class intrusive_ptr;
  mutable std::atomic<int64_t> refcount_{0};
};

template <class T>
class intrusive_ptr {
 public:
  intrusive_ptr() = default;
  intrusive_ptr(std::nullptr_t) {}
  explicit intrusive_ptr(T* p) : p_(p) {
    if (p_) p_->incref();
  }
  // Takes the first reference of an object nobody else can see yet (Note
  // [Refcount atomics]).
  struct adopt_new_t {};
  intrusive_ptr(T* p, adopt_new_t) : p_(p) { p_->refcount_.store(1, std::memory_order_relaxed); }
  intrusive_ptr(const intrusive_ptr& o) : p_(o.p_) {
    if (p_) p_->incref();
  }
  intrusive_ptr(intrusive_ptr&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
  template <class U, std::enable_if_t<std::is_convertible_v<U*, T*>, int> = 0>
  intrusive_ptr(intrusive_ptr<U> o) : p_(o.release()) {}
  ~intrusive_ptr() { reset(); }
  intrusive_ptr& operator=(intrusive_ptr o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }

  void reset() {
    if (p_ && p_->decref()) delete p_;
    p_ = nullptr;
  }
  // Gives up ownership without decrementing.
  T* release() {
    T* p = p_;
    p_ = nullptr;
    return p;
  }
  T* get() const { return p_; }
  T* operator->() const { return p_; }
  T& operator*() const { return *p_; }
  explicit operator bool() const { return p_ != nullptr; }
  bool operator==(const intrusive_ptr& o) const { return p_ == o.p_; }
  bool operator!=(const intrusive_ptr& o) const { return p_ != o.p_; }
  int64_t use_count() const { return p_ ? p_->use_count() : 0; }

 private:
  T* p_ = nullptr;
};

template <class T, class... Args>
intrusive_ptr<T> make_intrusive(Args&&... args) {
  return intrusive_ptr<T>(new T(std::forward<Args>(args)...), typename intrusive_ptr<T>::adopt_new_t{});
}

}  // namespace ember
