// The latency part of a snapshot (interface.md §4.2, statistics.md §6): the cumulative
// histogram per model version, the windowed percentiles, the objective. Plain values.
#ifndef MODELWATCH_ENGINE_LATENCY_VIEW_H_
#define MODELWATCH_ENGINE_LATENCY_VIEW_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace modelwatch::engine {

// The `percentile` label values and the quantiles they stand for.
inline constexpr std::array<const char*, 4> kLatencyPercentileLabels = {"50", "90", "95", "99"};
inline constexpr std::array<double, 4> kLatencyQuantiles = {0.50, 0.90, 0.95, 0.99};

// One window: the lower-nearest-rank percentiles of the valid latencies in it (within 1 %
// relative); absent (values == 0) when the window holds none.
struct LatencyWindow {
  std::int64_t values = 0;
  std::array<double, 4> seconds{};  // per kLatencyQuantiles
};

struct LatencyHistogram {
  std::string version;                // the model_version label (VersionCount::version)
  std::vector<std::uint64_t> counts;  // per bound, NOT cumulative; then one for +Inf
  double sum = 0;                     // seconds
  std::uint64_t count = 0;
};

struct LatencyView {
  bool configured = false;  // record.latency is set
  std::optional<double> objective_seconds;
  std::vector<double> bounds;  // the histogram's upper bounds (record.latency.buckets)
  std::vector<LatencyHistogram> histograms;  // versions that had a valid latency
  // Records whose latency was not a valid duration, by ValueState (index 0 unused): missing,
  // null, nan, empty, type_mismatch (a string, or a negative number).
  std::array<std::uint64_t, 6> invalid{};
};

}  // namespace modelwatch::engine

#endif  // MODELWATCH_ENGINE_LATENCY_VIEW_H_
