// The prometheus-cpp side of the export module (private): metric families from a snapshot and
// from the self-health values, the Collectable that serves the published snapshot, and the
// trimming to limits.max_series.
#ifndef MODELWATCH_EXPORT_FAMILIES_H_
#define MODELWATCH_EXPORT_FAMILIES_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <modelwatch/export/exposition.h>

namespace modelwatch::exposition {

// Holds the latest published snapshot; Collect() renders it. Thread-safe: Publish from the
// ingest thread, Collect from any number of scrape threads.
class SnapshotCollector final : public prometheus::Collectable {
 public:
  void Publish(std::shared_ptr<const engine::Snapshot> snapshot);
  std::shared_ptr<const engine::Snapshot> Current() const;
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const engine::Snapshot> snapshot_;
};

std::vector<prometheus::MetricFamily> SnapshotFamilies(const engine::Snapshot& snapshot);
// Log shapes (shape_families.cc): filtered lines and unpaired halves.
void ShapeFamilies(const engine::Snapshot& s, std::vector<prometheus::MetricFamily>* out);
std::vector<prometheus::MetricFamily> SelfHealthFamilies(const SelfHealth& health,
                                                         std::uint64_t series_dropped_total);

// Renders data families followed by the self-health families, in text format 0.0.4, with at
// most max_series series in all (limits.max_series: the whole exposition): the self-health
// series are never held back, so the data families get max_series minus their number and are
// trimmed in order, what is held back counted into *series_dropped_total. Only a max_series
// below the self-health series alone (about 12) is exceeded, by them.
std::string Render(std::vector<prometheus::MetricFamily> data, const SelfHealth& health,
                   std::uint64_t max_series, std::atomic<std::uint64_t>* series_dropped_total);

}  // namespace modelwatch::exposition

#endif  // MODELWATCH_EXPORT_FAMILIES_H_
