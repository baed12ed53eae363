// Snapshot -> text format 0.0.4 for /metrics, and the status JSON. prometheus-cpp is used inside
// the export module only (src/export/families.h); self-health values are sampled live by the
// caller and passed in.
#ifndef MODELWATCH_EXPORT_EXPOSITION_H_
#define MODELWATCH_EXPORT_EXPOSITION_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <modelwatch/engine/snapshot.h>
#include <modelwatch/resources/monitor.h>

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
  // Persistence (state.directory set).
  bool has_checkpoint = false;
  double checkpoint_last_success = 0;  // 0: none yet
  std::uint64_t checkpoint_load_errors = 0, checkpoint_write_errors = 0;
  bool publishing_live = false;  // checkpoints kept failing: live state is published
  // Live readings of the model servers, GPUs, filesystems and cost (ResourceMonitor); null
  // renders none (one-shot).
  std::shared_ptr<const resources::Readings> resources;
};

class SnapshotCollector;

// Holds the latest published snapshot and renders /metrics from it. Thread-safe: Publish from
// the ingest thread, Render and Current from any number of scrape threads. Every data-derived
// series comes from the snapshot through one prometheus-cpp Collectable.
class Exporter {
 public:
  explicit Exporter(std::uint64_t max_series);
  ~Exporter();
  void Publish(std::shared_ptr<const engine::Snapshot> snapshot);
  std::shared_ptr<const engine::Snapshot> Current() const;
  // The exposition (text format 0.0.4): the published snapshot's series, then `health`, with
  // at most max_series series in all; what is held back adds to series_dropped_total.
  std::string Render(const SelfHealth& health) const;

 private:
  std::unique_ptr<SnapshotCollector> collector_;
  std::uint64_t max_series_;
  mutable std::atomic<std::uint64_t> dropped_{0};
};

// The same exposition for one snapshot, without a running exporter (--one-shot, tests);
// *series_dropped_total may be null.
std::string RenderSnapshot(const engine::Snapshot& snapshot, const SelfHealth& health,
                           std::uint64_t max_series,
                           std::atomic<std::uint64_t>* series_dropped_total);

// A label value safe for any exposition: invalid UTF-8 and control bytes other than tab and
// newline replaced by U+FFFD, at most max_bytes (256 by default; category labels use 128), cut
// at a character boundary. Escaping of \ " and newline is the serializer's job.
std::string SanitizeLabelValue(std::string_view v, std::size_t max_bytes = 256);

// /api/v1/status: models, versions, sources and files, per-window drift summary.
std::string StatusJson(const engine::Snapshot& snapshot, const std::string& version);

}  // namespace modelwatch::exposition

#endif  // MODELWATCH_EXPORT_EXPOSITION_H_
