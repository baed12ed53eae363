// LatencyTracker: the latency statistics of one model (statistics.md §6), private to the engine.
// - A cumulative histogram with the configured bounds, per model-version slot (the slots of
//   ModelEngine's version table), counting every valid latency for ever, like every counter.
// - A relative-error sketch per window bucket: its counts live in the engine's window buckets
//   (ModelEngine::Bucket::counts, from offset() on), so they ride the same rings, staging and
//   merging as the drift bins; Fill reads the merged window.
// Sized at configuration time; Observe allocates nothing. Not thread-safe (the engine's thread).
#ifndef MODELWATCH_SRC_ENGINE_LATENCY_H_
#define MODELWATCH_SRC_ENGINE_LATENCY_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <modelwatch/config/config.h>
#include <modelwatch/core/bytes.h>
#include <modelwatch/core/record.h>
#include <modelwatch/engine/latency_view.h>
#include <modelwatch/engine/snapshot.h>
#include <modelwatch/stats/relative_sketch.h>

namespace modelwatch::engine {

// The latency section of a checkpoint, read and checked before anything is applied
// (latency_persist.cc).
struct SavedLatency {
  bool present = false;
  struct Histogram {
    std::vector<std::uint64_t> counts;
    double sum = 0;
    std::uint64_t count = 0;
  };
  std::vector<Histogram> histograms;  // per version slot
  std::array<std::uint64_t, 6> invalid{};
  using Counts = std::vector<std::pair<std::uint32_t, std::uint32_t>>;  // (sketch slot, count)
  struct Bucket {
    std::int64_t index = 0;
    Counts counts;
  };
  struct Ring {
    std::string label;
    double seconds = 0;
    std::uint64_t buckets = 0;
    std::vector<Bucket> list;
  };
  std::vector<Ring> rings;
  bool staged = false;
  double staged_mid = 0;
  Counts staging;
};

class LatencyTracker {
 public:
  static constexpr std::size_t kNoSlot = static_cast<std::size_t>(-1);

  // Off unless `latency` is configured. The sketch takes counts [offset, offset + slots()) of
  // every window bucket; version_slots: how many version slots the engine can hand out
  // (max_versions + 1 for __other__).
  void Configure(const std::optional<config::LatencyField>& latency, std::size_t offset,
                 std::size_t version_slots);
  bool enabled() const { return enabled_; }
  // Window-bucket counts the sketch needs (0 when off).
  std::size_t slots() const { return enabled_ ? sketch_.size() : 0; }

  // Counts the record's latency in the histogram of `version_slot` (or its invalid state).
  // Returns the window-bucket count index to bump, or kNoSlot when the latency is not valid
  // (or latency is off).
  std::size_t Observe(const Record& record, std::size_t version_slot);

  // Checkpoints: a hash of the sketch layout and the histogram bounds (0 when off); saved
  // counts restore only into the same layout.
  std::uint64_t Layout() const;
  std::size_t offset() const { return offset_; }
  void SaveCounters(ByteWriter& w) const;
  bool ReadCounters(ByteReader& r, SavedLatency* out) const;
  void RestoreCounters(const SavedLatency& saved);

  // The percentiles of the merged window counts (the whole Bucket::counts vector).
  void FillWindow(std::span<const std::uint32_t> merged_counts, LatencyWindow* out) const;
  // The histograms (labelled with `versions`, the engine's version table), objective, invalid.
  void FillView(const std::vector<VersionCount>& versions, LatencyView* out) const;

 private:
  struct Histogram {
    std::vector<std::uint64_t> counts;  // per bound, then +Inf
    double sum = 0;
    std::uint64_t count = 0;
  };
  bool enabled_ = false;
  config::LatencyField config_;
  std::size_t offset_ = 0;
  stats::RelativeSketch sketch_;
  std::vector<Histogram> histograms_;  // per version slot
  std::array<std::uint64_t, 6> invalid_{};
};

}  // namespace modelwatch::engine

#endif  // MODELWATCH_SRC_ENGINE_LATENCY_H_
