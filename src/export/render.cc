#include <limits>
#include <sstream>
#include <utility>

#include <prometheus/text_serializer.h>

#include <modelwatch/export/exposition.h>

#include "export/families.h"

#include "export/family_builder.h"

namespace modelwatch::exposition {

using prometheus::MetricType;

void SnapshotCollector::Publish(std::shared_ptr<const engine::Snapshot> snapshot) {
  std::lock_guard<std::mutex> lock(mu_);
  snapshot_ = std::move(snapshot);
}

std::shared_ptr<const engine::Snapshot> SnapshotCollector::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return snapshot_;
}

std::vector<prometheus::MetricFamily> SnapshotCollector::Collect() const {
  std::shared_ptr<const engine::Snapshot> s = Current();
  if (!s) return {};
  return SnapshotFamilies(*s);
}

std::vector<prometheus::MetricFamily> SelfHealthFamilies(const SelfHealth& h,
                                                         std::uint64_t series_dropped_total) {
  Families out;
  FamilyBuilder build("modelwatch_build_info", "Build information; the value is always 1.",
                      MetricType::Gauge);
  build.Add({{"version", h.version}, {"revision", h.revision}, {"compiler", h.compiler}}, 1);
  build.MoveTo(&out);
  FamilyBuilder ok("modelwatch_config_last_reload_successful",
                   "Whether the last configuration load succeeded.", MetricType::Gauge);
  ok.Add({}, h.config_reload_successful ? 1 : 0);
  ok.MoveTo(&out);
  if (h.config_reload_timestamp > 0) {  // absent in one-shot: no reload happens there
    FamilyBuilder ts("modelwatch_config_last_reload_success_timestamp_seconds",
                     "Time of the last successful configuration load.", MetricType::Gauge);
    ts.Add({}, h.config_reload_timestamp);
    ts.MoveTo(&out);
  }
  if (h.has_checkpoint) {
    if (h.checkpoint_last_success > 0) {
      FamilyBuilder last("modelwatch_checkpoint_last_success_timestamp_seconds",
                         "Time of the last checkpoint written (or restored at start-up).",
                         MetricType::Gauge);
      last.Add({}, h.checkpoint_last_success);
      last.MoveTo(&out);
    }
    FamilyBuilder errors("modelwatch_checkpoint_errors_total",
                         "Checkpoints that could not be loaded or written.", MetricType::Counter);
    errors.Add({{"op", "load"}}, static_cast<double>(h.checkpoint_load_errors));
    errors.Add({{"op", "write"}}, static_cast<double>(h.checkpoint_write_errors));
    errors.MoveTo(&out);
    FamilyBuilder live("modelwatch_checkpoint_publishing_live",
                       "1 while checkpoints keep failing and live (uncommitted) statistics are "
                       "published; 0 while only committed statistics are.",
                       MetricType::Gauge);
    live.Add({}, h.publishing_live ? 1 : 0);
    live.MoveTo(&out);
  }
  FamilyBuilder dropped("modelwatch_series_dropped_total",
                        "Series held back by limits.max_series, summed over expositions.",
                        MetricType::Counter);
  dropped.Add({}, static_cast<double>(series_dropped_total));
  dropped.MoveTo(&out);
  if (h.has_process) {
    auto one = [&](const char* name, const char* help, MetricType type, double v) {
      FamilyBuilder f(name, help, type);
      f.Add({}, v);
      f.MoveTo(&out);
    };
    one("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
        MetricType::Counter, h.cpu_seconds);
    one("process_resident_memory_bytes", "Resident memory size in bytes.", MetricType::Gauge,
        h.resident_bytes);
    one("process_virtual_memory_bytes", "Virtual memory size in bytes.", MetricType::Gauge,
        h.virtual_bytes);
    one("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
        MetricType::Gauge, h.start_time_seconds);
    if (h.has_fds) {
      one("process_open_fds", "Number of open file descriptors.", MetricType::Gauge, h.open_fds);
      one("process_max_fds", "Maximum number of open file descriptors.", MetricType::Gauge,
          h.max_fds);
    }
  }
  if (h.resources) ResourceFamilies(*h.resources, &out);
  return out;
}

namespace {

// The samples one metric renders: one, or for a histogram each bucket, +Inf, _sum and _count
// (what a Prometheus sample_limit counts).
std::uint64_t Samples(const prometheus::MetricFamily& f, const prometheus::ClientMetric& m) {
  if (f.type != MetricType::Histogram) return 1;
  const auto& b = m.histogram.bucket;
  const bool has_inf =
      !b.empty() && b.back().upper_bound == std::numeric_limits<double>::infinity();
  return b.size() + (has_inf ? 0 : 1) + 2;
}

// Keeps at most max_series samples, family by family in order; returns how many were held back.
std::uint64_t TrimToLimit(std::vector<prometheus::MetricFamily>* data, std::uint64_t max_series) {
  std::uint64_t kept = 0;
  std::uint64_t dropped = 0;
  for (prometheus::MetricFamily& f : *data) {
    std::size_t keep = 0;
    for (const prometheus::ClientMetric& m : f.metric) {
      const std::uint64_t n = Samples(f, m);
      if (kept + n > max_series) {
        kept = max_series;  // full: what follows is held back too
        dropped += n;
        continue;
      }
      kept += n;
      ++keep;
    }
    f.metric.resize(keep);
  }
  std::erase_if(*data, [](const prometheus::MetricFamily& f) { return f.metric.empty(); });
  return dropped;
}

std::uint64_t SeriesCount(const std::vector<prometheus::MetricFamily>& families) {
  std::uint64_t n = 0;
  for (const prometheus::MetricFamily& f : families) {
    for (const prometheus::ClientMetric& m : f.metric) n += Samples(f, m);
  }
  return n;
}

}  // namespace

std::string Render(std::vector<prometheus::MetricFamily> data, const SelfHealth& health,
                   std::uint64_t max_series, std::atomic<std::uint64_t>* series_dropped_total) {
  // max_series covers the whole exposition: the self-health series (their number does not
  // depend on the dropped count they carry) are reserved first, the data gets the rest.
  const std::uint64_t self_series = SeriesCount(SelfHealthFamilies(health, 0));
  const std::uint64_t data_budget = max_series > self_series ? max_series - self_series : 0;
  const std::uint64_t dropped = TrimToLimit(&data, data_budget);
  std::uint64_t total = dropped;
  if (series_dropped_total != nullptr) {
    // Not `fetch_add(x) + x`: GCC 12.2 at -O1 and above folds that expression to 0
    // (reproduced on Debian's g++ 12.2.0-14); the separate load is correct and monotonic.
    series_dropped_total->fetch_add(dropped);
    total = series_dropped_total->load();
  }
  std::vector<prometheus::MetricFamily> self = SelfHealthFamilies(health, total);
  data.insert(data.end(), std::make_move_iterator(self.begin()),
              std::make_move_iterator(self.end()));
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, data);
  return out.str();
}

Exporter::Exporter(std::uint64_t max_series)
    : collector_(std::make_unique<SnapshotCollector>()), max_series_(max_series) {}

Exporter::~Exporter() = default;

void Exporter::Publish(std::shared_ptr<const engine::Snapshot> snapshot) {
  collector_->Publish(std::move(snapshot));
}

std::shared_ptr<const engine::Snapshot> Exporter::Current() const { return collector_->Current(); }

std::string Exporter::Render(const SelfHealth& health) const {
  return exposition::Render(collector_->Collect(), health, max_series_, &dropped_);
}

std::string RenderSnapshot(const engine::Snapshot& snapshot, const SelfHealth& health,
                           std::uint64_t max_series,
                           std::atomic<std::uint64_t>* series_dropped_total) {
  return Render(SnapshotFamilies(snapshot), health, max_series, series_dropped_total);
}

}  // namespace modelwatch::exposition
