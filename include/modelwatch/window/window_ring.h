// WindowRing: a sliding window of length W as a ring of epoch-aligned sub-buckets
// (statistics.md §1). Bucket k covers [k·W/B, (k+1)·W/B); the window ending at T merges the
// buckets whose start is >= T − W and <= T. Memory is fixed at construction: B + 1 slots (a
// window not aligned to a bucket boundary touches B + 1 buckets).
//
// Bucket is any mergeable aggregate with `void Clear()`. Pure; not thread-safe.
#ifndef MODELWATCH_WINDOW_WINDOW_RING_H_
#define MODELWATCH_WINDOW_WINDOW_RING_H_

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace modelwatch::window {

template <typename Bucket>
class WindowRing {
 public:
  // window_seconds > 0, buckets >= 1. Every slot starts as a copy of `empty`.
  WindowRing(double window_seconds, int buckets, const Bucket& empty)
      : window_(window_seconds),
        width_(window_seconds / buckets),
        slots_(static_cast<std::size_t>(buckets) + 1, Slot{kNone, empty}) {}

  double window_seconds() const { return window_; }
  double bucket_seconds() const { return width_; }

  // The bucket holding time t, cleared first if its slot held an older bucket. nullptr when t is
  // older than every bucket the ring can still hold (its slot already serves a newer bucket).
  Bucket* At(double t) { return AtIndex(Index(t)); }

  // The bucket with index k (as At).
  Bucket* AtIndex(std::int64_t k) {
    Slot& s = slots_[SlotOf(k)];
    if (s.index == k) return &s.bucket;
    if (s.index != kNone && s.index > k) return nullptr;
    s.bucket.Clear();
    s.index = k;
    return &s.bucket;
  }

  // Calls fn(const Bucket&) for every bucket inside the window ending at T.
  template <typename Fn>
  void ForEachInWindow(double T, Fn&& fn) const {
    const std::int64_t last = Index(T);
    const std::int64_t first = static_cast<std::int64_t>(std::ceil((T - window_) / width_));
    for (const Slot& s : slots_) {
      if (s.index != kNone && s.index >= first && s.index <= last) fn(s.bucket);
    }
  }

  // Whether the bucket holding time t is inside the window ending at T.
  bool InWindow(double t, double T) const {
    const std::int64_t k = Index(t);
    return k >= static_cast<std::int64_t>(std::ceil((T - window_) / width_)) && k <= Index(T);
  }

  // Calls fn(index, const Bucket&) for every slot holding a bucket (checkpoints).
  template <typename Fn>
  void ForEachSlot(Fn&& fn) const {
    for (const Slot& s : slots_) {
      if (s.index != kNone) fn(s.index, s.bucket);
    }
  }
  int buckets() const { return static_cast<int>(slots_.size()) - 1; }

  // Bucket index of time t.
  std::int64_t Index(double t) const { return static_cast<std::int64_t>(std::floor(t / width_)); }

 private:
  static constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min();
  struct Slot {
    std::int64_t index;
    Bucket bucket;
  };
  std::size_t SlotOf(std::int64_t k) const {
    const auto n = static_cast<std::int64_t>(slots_.size());
    return static_cast<std::size_t>(((k % n) + n) % n);
  }

  double window_;
  double width_;
  std::vector<Slot> slots_;
};

}  // namespace modelwatch::window

#endif  // MODELWATCH_WINDOW_WINDOW_RING_H_
