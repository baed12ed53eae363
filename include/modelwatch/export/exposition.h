// Snapshot -> Prometheus metric families -> text format 0.0.4. prometheus-cpp lives here (and in
// the server that calls Render). Every data-derived series comes from the published Snapshot
// through one Collectable (SnapshotCollector); self-health series are sampled live by the caller.
#ifndef MODELWATCH_EXPORT_EXPOSITION_H_
#define MODELWATCH_EXPORT_EXPOSITION_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <modelwatch/engine/snapshot.h>

namespace modelwatch::exposition {

// Live values of the daemon itself (never from the snapshot).
struct SelfHealth {
  std::string version, revision, compiler;
  bool config_reload_successful = true;
  double config_reload_timestamp = 0;
  bool has_process = false;
  double cpu_seconds = 0, resident_bytes = 0, virtual_bytes = 0, start_time_seconds = 0;
  bool has_fds = false;  // fd/ and limits may be unreadable
  double open_fds = 0, max_fds = 0;
};

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
std::vector<prometheus::MetricFamily> SelfHealthFamilies(const SelfHealth& health,
                                                         std::uint64_t series_dropped_total);

// Renders data families followed by the self-health families, in text format 0.0.4, with at
// most max_series series in all (limits.max_series: the whole exposition): the self-health
// series are never held back, so the data families get max_series minus their number and are
// trimmed in order, what is held back counted into *series_dropped_total. Only a max_series
// below the self-health series alone (about 12) is exceeded, by them.
std::string Render(std::vector<prometheus::MetricFamily> data, const SelfHealth& health,
                   std::uint64_t max_series, std::atomic<std::uint64_t>* series_dropped_total);

// A label value safe for any exposition: invalid UTF-8 and control bytes other than tab and
// newline replaced by U+FFFD, at most max_bytes (256 by default; category labels use 128), cut
// at a character boundary. Escaping of \ " and newline is the serializer's job.
std::string SanitizeLabelValue(std::string_view v, std::size_t max_bytes = 256);

// /api/v1/status: models, versions, sources and files, per-window drift summary.
std::string StatusJson(const engine::Snapshot& snapshot, const std::string& version);

}  // namespace modelwatch::exposition

#endif  // MODELWATCH_EXPORT_EXPOSITION_H_
