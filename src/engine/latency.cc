#include "engine/latency.h"

#include <algorithm>

namespace modelwatch::engine {

void LatencyTracker::Configure(const std::optional<config::LatencyField>& latency,
                               std::size_t offset, std::size_t version_slots) {
  enabled_ = latency.has_value();
  if (!enabled_) return;
  config_ = *latency;
  offset_ = offset;
  histograms_.assign(version_slots, Histogram{});
  for (Histogram& h : histograms_) h.counts.assign(config_.buckets.size() + 1, 0);
}

std::size_t LatencyTracker::Observe(const Record& record, std::size_t version_slot) {
  if (!enabled_) return kNoSlot;
  if (record.latency_state != ValueState::kValid) {
    const auto state = static_cast<std::size_t>(record.latency_state);
    if (state < invalid_.size()) ++invalid_[state];
    return kNoSlot;
  }
  const double v = record.latency_seconds;
  if (version_slot < histograms_.size()) {
    Histogram& h = histograms_[version_slot];
    // Prometheus buckets are upper-inclusive: the first bound >= v.
    const auto b = std::lower_bound(config_.buckets.begin(), config_.buckets.end(), v) -
                   config_.buckets.begin();
    ++h.counts[static_cast<std::size_t>(b)];
    h.sum += v;
    ++h.count;
  }
  return offset_ + sketch_.Slot(v);
}

void LatencyTracker::FillWindow(std::span<const std::uint32_t> merged_counts,
                                LatencyWindow* out) const {
  *out = LatencyWindow{};
  if (!enabled_) return;
  const auto counts = merged_counts.subspan(offset_, sketch_.size());
  for (std::uint32_t c : counts) out->values += c;
  if (out->values == 0) return;
  for (std::size_t i = 0; i < kLatencyQuantiles.size(); ++i) {
    out->seconds[i] = sketch_.Quantile(counts, kLatencyQuantiles[i]);
  }
}

void LatencyTracker::FillView(const std::vector<VersionCount>& versions, LatencyView* out) const {
  *out = LatencyView{};
  out->configured = enabled_;
  if (!enabled_) return;
  out->objective_seconds = config_.objective_seconds;
  out->bounds = config_.buckets;
  out->invalid = invalid_;
  const std::size_t n = std::min(versions.size(), histograms_.size());
  for (std::size_t i = 0; i < n; ++i) {
    const Histogram& h = histograms_[i];
    if (h.count == 0) continue;
    out->histograms.push_back({versions[i].version, h.counts, h.sum, h.count});
  }
}

}  // namespace modelwatch::engine
