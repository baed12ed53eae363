// VersionTracker: which model versions are live and how often a new one appeared
// (interface.md §4.2). A version counts as a change when it was not seen inside the longest
// window before this record (event time), except the very first version; so a canary that
// interleaves two versions line by line counts once, not once per line. Versions are the
// engine's slots (bounded by max_versions + __other__); the tracker allocates only when a new
// slot appears. Pure; not thread-safe.
#ifndef MODELWATCH_ENGINE_VERSIONS_H_
#define MODELWATCH_ENGINE_VERSIONS_H_

#include <cstdint>
#include <utility>
#include <vector>

namespace modelwatch::engine {

class VersionTracker {
 public:
  explicit VersionTracker(double longest_window) : window_(longest_window) {}

  void Observe(int slot, double t) {
    const auto i = static_cast<std::size_t>(slot);
    if (i >= last_seen_.size()) {
      last_seen_.resize(i + 1, 0);
      seen_.resize(i + 1, false);
    }
    if (any_ && (!seen_[i] || last_seen_[i] < t - window_)) ++changes_;
    if (!seen_[i] || t > last_seen_[i]) last_seen_[i] = t;
    seen_[i] = true;
    any_ = true;
  }

  std::uint64_t changes() const { return changes_; }
  // Whether slot was seen inside the longest window ending at T.
  bool Active(int slot, double T) const {
    const auto i = static_cast<std::size_t>(slot);
    return i < seen_.size() && seen_[i] && last_seen_[i] >= T - window_;
  }
  // Checkpoint state: per slot whether and when it was last seen, and the change count.
  std::size_t slots() const { return seen_.size(); }
  bool seen(std::size_t slot) const { return seen_[slot]; }
  double last_seen(std::size_t slot) const { return last_seen_[slot]; }
  void Restore(std::uint64_t changes, std::vector<bool> seen, std::vector<double> last_seen) {
    changes_ = changes;
    seen_ = std::move(seen);
    last_seen_ = std::move(last_seen);
    any_ = false;
    for (bool s : seen_) any_ = any_ || s;
  }

 private:
  double window_;
  std::vector<double> last_seen_;
  std::vector<bool> seen_;
  bool any_ = false;
  std::uint64_t changes_ = 0;
};

}  // namespace modelwatch::engine

#endif  // MODELWATCH_ENGINE_VERSIONS_H_
