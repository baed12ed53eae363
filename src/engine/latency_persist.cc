// The latency section of a ModelEngine checkpoint, appended after the drift aggregates
// (persist.cc): the histograms and invalid counts (counters for ever), then the sketch counts of
// every window bucket, sparse, keyed like the drift buckets by window label, width and bucket
// count. A checkpoint without the section (written before latency was kept) restores nothing
// here; one whose layout differs (other bounds, latency switched off) is skipped.
#include <cstring>

#include <modelwatch/core/bytes.h>
#include <modelwatch/engine/model_engine.h>

#include "engine/latency.h"
#include "engine/persist_rings.h"

namespace modelwatch::engine {

namespace {

void WriteCounts(ByteWriter& w, const std::uint32_t* counts, std::size_t n) {
  std::uint64_t nnz = 0;
  for (std::size_t i = 0; i < n; ++i) nnz += counts[i] != 0;
  w.Var(nnz);
  for (std::size_t i = 0; i < n; ++i) {
    if (counts[i] == 0) continue;
    w.Var(i);
    w.Var(counts[i]);
  }
}

bool ReadCounts(ByteReader& r, std::size_t slots, SavedLatency::Counts* out) {
  out->resize(r.Count(2));
  for (auto& [i, c] : *out) {
    const std::uint64_t slot = r.Var();
    const std::uint64_t count = r.Var();
    if (slot >= slots || count > 0xffffffffu) return false;
    i = static_cast<std::uint32_t>(slot);
    c = static_cast<std::uint32_t>(count);
  }
  return r.ok();
}

void SkipCounts(ByteReader& r) {
  const std::uint64_t n = r.Count(2);
  for (std::uint64_t i = 0; i < n && r.ok(); ++i) {
    r.Var();
    r.Var();
  }
}

// The section as SaveCounters and SaveLatency write it, read and dropped: it was saved with
// other latency buckets, and the sections after it (versions, per-version windows) must still
// load. Every list in it carries its length, so no knowledge of the old buckets is needed.
bool SkipLatency(ByteReader& r) {
  const std::uint64_t histograms = r.Count(3);
  for (std::uint64_t h = 0; h < histograms && r.ok(); ++h) {
    r.Var();
    r.F64();
    const std::uint64_t n = r.Count(1);
    for (std::uint64_t i = 0; i < n && r.ok(); ++i) r.Var();
  }
  const std::uint64_t invalid = r.Count(1);
  for (std::uint64_t i = 0; i < invalid && r.ok(); ++i) r.Var();
  const std::uint64_t rings = r.Count(10);
  for (std::uint64_t k = 0; k < rings && r.ok(); ++k) {
    r.Str();
    r.F64();
    r.Var();
    const std::uint64_t buckets = r.Count(9);
    for (std::uint64_t b = 0; b < buckets && r.ok(); ++b) {
      r.I64();
      SkipCounts(r);
    }
  }
  if (r.U8() != 0) {
    r.F64();
    SkipCounts(r);
  }
  return r.ok();
}

}  // namespace

std::uint64_t LatencyTracker::Layout() const {
  if (!enabled_) return 0;
  std::uint64_t h = 14695981039346656037ull;
  auto mix = [&h](const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) {
      h ^= b[i];
      h *= 1099511628211ull;
    }
  };
  const std::uint64_t size = sketch_.size();
  mix(&size, sizeof size);
  const double alpha = stats::RelativeSketch::kRelativeAccuracy;
  mix(&alpha, sizeof alpha);
  for (double b : config_.buckets) mix(&b, sizeof b);
  return h | 1;  // never 0
}

void LatencyTracker::SaveCounters(ByteWriter& w) const {
  w.Var(histograms_.size());
  for (const Histogram& h : histograms_) {
    w.Var(h.count);
    w.F64(h.sum);
    w.Var(h.counts.size());
    for (std::uint64_t c : h.counts) w.Var(c);
  }
  w.Var(invalid_.size());
  for (std::uint64_t v : invalid_) w.Var(v);
}

bool LatencyTracker::ReadCounters(ByteReader& r, SavedLatency* out) const {
  out->histograms.resize(r.Count(3));
  for (SavedLatency::Histogram& h : out->histograms) {
    h.count = r.Var();
    h.sum = r.F64();
    h.counts.resize(r.Count(1));
    for (std::uint64_t& c : h.counts) c = r.Var();
    if (h.counts.size() != config_.buckets.size() + 1) return false;
  }
  const std::uint64_t n = r.Count(1);
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::uint64_t v = r.Var();
    if (i < out->invalid.size()) out->invalid[i] = v;
  }
  return r.ok();
}

void LatencyTracker::RestoreCounters(const SavedLatency& saved) {
  for (Histogram& h : histograms_) {
    std::fill(h.counts.begin(), h.counts.end(), 0);
    h.sum = 0;
    h.count = 0;
  }
  invalid_.fill(0);
  if (!saved.present) return;
  for (std::size_t i = 0; i < saved.histograms.size() && i < histograms_.size(); ++i) {
    histograms_[i].counts = saved.histograms[i].counts;
    histograms_[i].sum = saved.histograms[i].sum;
    histograms_[i].count = saved.histograms[i].count;
  }
  invalid_ = saved.invalid;
}

void ModelEngine::SaveLatency(ByteWriter& w) const {
  w.U64(latency_->Layout());
  if (!latency_->enabled()) return;
  latency_->SaveCounters(w);
  const std::size_t offset = latency_->offset(), slots = latency_->slots();
  WriteRings(w, rings_, model_.settings.windows, [&](std::int64_t index, const Bucket& b) {
    w.I64(index);
    WriteCounts(w, b.counts.data() + offset, slots);
  });
  const bool staged = staging_used_ && staging_.records > 0;
  w.U8(staged ? 1 : 0);
  if (staged) {
    w.F64((static_cast<double>(staging_index_) + 0.5) * staging_width_);
    WriteCounts(w, staging_.counts.data() + offset, slots);
  }
}

bool ModelEngine::ReadLatency(ByteReader& r, SavedLatency* out) const {
  const std::uint64_t layout = r.U64();
  if (!r.ok()) return false;
  if (layout == 0) return true;  // saved with latency off: nothing to restore
  // Another layout (bounds changed, latency now off): the section is read past, not restored.
  if (layout != latency_->Layout()) return SkipLatency(r);
  if (!latency_->ReadCounters(r, out)) return false;
  const std::size_t slots = latency_->slots();
  out->rings.resize(r.Count(10));
  for (SavedLatency::Ring& ring : out->rings) {
    ring.label = std::string(r.Str());
    ring.seconds = r.F64();
    ring.buckets = r.Var();
    ring.list.resize(r.Count(9));
    for (SavedLatency::Bucket& b : ring.list) {
      b.index = r.I64();
      if (!ReadCounts(r, slots, &b.counts)) return false;
    }
  }
  out->staged = r.U8() != 0;
  if (out->staged) {
    out->staged_mid = r.F64();
    if (!ReadCounts(r, slots, &out->staging)) return false;
  }
  out->present = r.ok();
  return r.ok();
}

void ModelEngine::ApplyLatency(const SavedLatency& saved) {
  latency_->RestoreCounters(saved);
  if (!saved.present) return;
  const std::size_t offset = latency_->offset();
  auto add = [&](const SavedLatency::Counts& counts, Bucket* b) {
    for (const auto& [i, c] : counts) b->counts[offset + i] += c;
  };
  for (const SavedLatency::Ring& sr : saved.rings) {
    for (std::size_t i = 0; i < rings_.size(); ++i) {
      auto& ring = rings_[i];
      if (model_.settings.windows[i].label != sr.label || ring.window_seconds() != sr.seconds ||
          static_cast<std::uint64_t>(ring.buckets()) != sr.buckets) {
        continue;
      }
      // The drift part of the load placed these buckets already; only their counts are added.
      for (const SavedLatency::Bucket& sb : sr.list) {
        if (Bucket* b = ring.AtIndex(sb.index)) add(sb.counts, b);
      }
      if (saved.staged) {
        if (Bucket* b = ring.At(saved.staged_mid)) add(saved.staging, b);
      }
    }
  }
}

}  // namespace modelwatch::engine
