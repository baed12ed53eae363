// split_by_version (interface.md §2, docs/metrics.md): per-version windows. Every version slot
// (the engine's version table: at most max_versions named versions, then __other__) gets rings
// and a staging bucket of its own, allocated when the slot first appears. A record's lane
// buckets ride in scratch_buckets_ next to the model's, so the hot loop counts the record into
// both without knowing about versions; the version is resolved once per record (VersionSlot).
// Evaluate adds the windows of every version seen inside the longest window to the snapshot.
//
// Checkpoint: an optional section after the version tracker's, written only with
// split_by_version: a section version, then one length-prefixed block (so a reader that does
// not know the section version skips it): the layout hash of the window buckets, then per lane
// its version name and every non-empty bucket of every ring, and its staging bucket. The lanes
// restore only into the same bucket layout (same fields, bins and latency sketch); otherwise,
// and when split_by_version is now off, they start empty.
#include <algorithm>
#include <cmath>

#include <modelwatch/core/bytes.h>
#include <modelwatch/engine/model_engine.h>

#include "engine/field.h"
#include "engine/latency.h"
#include "engine/version_lane.h"
#include "engine/versions.h"

namespace modelwatch::engine {

namespace {

constexpr std::uint32_t kVersionWindowsSection = 1;

template <typename BucketT>
void WriteWholeBucket(ByteWriter& w, const BucketT& b) {
  w.Var(b.records);
  std::uint64_t nnz = 0;
  for (std::uint32_t c : b.counts) nnz += c != 0;
  w.Var(nnz);
  std::uint64_t prev = 0;
  for (std::size_t i = 0; i < b.counts.size(); ++i) {
    if (b.counts[i] == 0) continue;
    w.Var(i - prev);
    w.Var(b.counts[i]);
    prev = i;
  }
  w.Var(b.sums.size());
  for (double d : b.sums) w.F64(d);
  w.Var(b.invalid.size());
  for (std::uint32_t v : b.invalid) w.Var(v);
}

// Reads a bucket written by WriteWholeBucket into out; false when it is corrupt or does not fit
// buckets of counts_size counts, sums_size sums and invalid_size invalid counts.
template <typename SavedBucketT>
bool ReadWholeBucket(ByteReader& r, std::size_t counts_size, std::size_t sums_size,
                     std::size_t invalid_size, SavedBucketT* out) {
  out->records = r.Var();
  out->counts.resize(r.Count(2));
  std::uint64_t i = 0;
  for (auto& [index, count] : out->counts) {
    i += r.Var();
    const std::uint64_t c = r.Var();
    if (i >= counts_size || c > 0xffffffffull) return false;
    index = static_cast<std::uint32_t>(i);
    count = static_cast<std::uint32_t>(c);
  }
  out->sums.resize(r.Count(8));
  for (double& d : out->sums) d = r.F64();
  out->invalid.resize(r.Count(1));
  for (std::uint32_t& v : out->invalid) {
    const std::uint64_t x = r.Var();
    if (x > 0xffffffffull) return false;
    v = static_cast<std::uint32_t>(x);
  }
  return r.ok() && out->sums.size() == sums_size && out->invalid.size() == invalid_size;
}

}  // namespace

ModelEngine::VersionLane* ModelEngine::LaneFor(int slot) {
  const auto i = static_cast<std::size_t>(slot);
  if (slot < 0 || i >= lanes_.size()) return nullptr;
  if (!lanes_[i]) {
    auto lane = std::make_unique<VersionLane>();
    lane->rings.reserve(rings_.size());
    for (const auto& r : rings_) lane->rings.emplace_back(r.window_seconds(), r.buckets(), empty_);
    lane->staging = empty_;
    lane->staging.track = staging_.track;
    if (lane->staging.track) lane->staging.touched.reserve(lane->staging.counts.size());
    lanes_[i] = std::move(lane);
  }
  return lanes_[i].get();
}

void ModelEngine::RouteLane(VersionLane& lane, double t) {
  // Route chose the staging bucket (the record is in the current staging period) or the
  // windows' buckets directly; the lane follows the same choice.
  if (!scratch_buckets_.empty() && scratch_buckets_.front() == &staging_) {
    scratch_buckets_.push_back(&lane.staging);
    return;
  }
  for (auto& ring : lane.rings) scratch_buckets_.push_back(ring.At(t));
}

void ModelEngine::FlushLanes() {
  if (lanes_.empty()) return;
  const double mid = (static_cast<double>(staging_index_) + 0.5) * staging_width_;
  for (auto& lane : lanes_) {
    if (!lane || lane->staging.records == 0) continue;
    for (auto& ring : lane->rings) {
      if (Bucket* b = ring.At(mid)) lane->staging.AddTo(b);
    }
    lane->staging.Clear();
  }
}

void ModelEngine::EvaluateLanes(double T, Bucket* merged, ModelSnapshot* s) const {
  if (!split_) return;
  for (std::size_t v = 0; v < lanes_.size() && v < versions_.size(); ++v) {
    if (!lanes_[v] || !version_tracker_->Active(static_cast<int>(v), T)) continue;
    const VersionLane& lane = *lanes_[v];
    VersionWindows vw;
    vw.version = versions_[v].version;
    for (std::size_t w = 0; w < lane.rings.size(); ++w) {
      WindowView view;
      view.label = model_.settings.windows[w].label;
      EvaluateWindow(lane.rings[w], lane.staging, T, merged, &view);
      vw.windows.push_back(std::move(view));
    }
    s->version_windows.push_back(std::move(vw));
  }
}

std::uint64_t ModelEngine::LaneLayout() const {
  std::uint64_t h = 14695981039346656037ull;
  auto mix = [&h](std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xff;
      h *= 1099511628211ull;
    }
  };
  mix(counts_size_);
  mix(sums_size_);
  mix(fields_.size());
  for (const Field& f : fields_) mix(FieldShape(f));
  mix(latency_->Layout());
  mix(latency_->offset());
  return h;
}

void ModelEngine::SaveLanes(ByteWriter& w) const {
  if (!split_) return;  // without split_by_version the checkpoint is what it always was
  std::string block;
  ByteWriter b(&block);
  b.U64(LaneLayout());
  std::uint64_t n = 0;
  for (std::size_t v = 0; v < lanes_.size() && v < versions_.size(); ++v) n += lanes_[v] != nullptr;
  b.Var(n);
  for (std::size_t v = 0; v < lanes_.size() && v < versions_.size(); ++v) {
    if (!lanes_[v]) continue;
    const VersionLane& lane = *lanes_[v];
    b.Str(versions_[v].version);
    b.Var(lane.rings.size());
    for (std::size_t ri = 0; ri < lane.rings.size(); ++ri) {
      const auto& ring = lane.rings[ri];
      b.Str(model_.settings.windows[ri].label);
      b.F64(ring.window_seconds());
      b.Var(static_cast<std::uint64_t>(ring.buckets()));
      std::uint64_t nb = 0;
      ring.ForEachSlot([&](std::int64_t, const Bucket& x) { nb += x.records > 0; });
      b.Var(nb);
      ring.ForEachSlot([&](std::int64_t index, const Bucket& x) {
        if (x.records == 0) return;
        b.I64(index);
        WriteWholeBucket(b, x);
      });
    }
    const bool staged = staging_used_ && lane.staging.records > 0;
    b.U8(staged ? 1 : 0);
    if (staged) {
      b.F64((static_cast<double>(staging_index_) + 0.5) * staging_width_);
      WriteWholeBucket(b, lane.staging);
    }
  }
  w.U32(kVersionWindowsSection);
  w.Str(block);
}

bool ModelEngine::ReadLanes(ByteReader& r, SavedLanes* out) const {
  const std::uint32_t section = r.U32();
  const std::string_view block = r.Str();
  if (!r.ok()) return false;
  if (section != kVersionWindowsSection) return true;  // a later format: skipped, lanes start empty
  ByteReader b(block);
  const std::uint64_t layout = b.U64();
  if (!b.ok()) return false;
  if (layout != LaneLayout()) return true;  // other fields or bins: the lanes start empty
  const std::size_t invalid_size = fields_.size() * kQualityStates;
  out->lanes.resize(b.Count(3));
  for (SavedLanes::Lane& lane : out->lanes) {
    lane.version = std::string(b.Str());
    lane.rings.resize(b.Count(10));
    for (SavedLanes::Ring& ring : lane.rings) {
      ring.label = std::string(b.Str());
      ring.seconds = b.F64();
      ring.buckets = b.Var();
      ring.list.resize(b.Count(12));
      for (SavedLanes::Bucket& x : ring.list) {
        x.index = b.I64();
        if (!ReadWholeBucket(b, counts_size_, sums_size_, invalid_size, &x)) return false;
      }
    }
    lane.staged = b.U8() != 0;
    if (lane.staged) {
      lane.staged_mid = b.F64();
      // A time the rings can index (as the model's staging time in persist.cc).
      if (!(std::abs(lane.staged_mid) < 1e12)) return false;
      if (!ReadWholeBucket(b, counts_size_, sums_size_, invalid_size, &lane.staging)) return false;
    }
    if (!b.ok()) return false;
  }
  if (!b.ok() || !b.done()) return false;
  out->usable = true;
  return true;
}

void ModelEngine::ApplyLanes(const SavedLanes& saved) {
  lane_ = nullptr;
  for (auto& lane : lanes_) lane.reset();
  if (!split_ || !saved.usable) return;
  auto add = [](const SavedLanes::Bucket& sb, Bucket* b) {
    b->records += sb.records;
    for (const auto& [i, c] : sb.counts) b->counts[i] += c;
    for (std::size_t i = 0; i < sb.sums.size(); ++i) b->sums[i] += sb.sums[i];
    for (std::size_t i = 0; i < sb.invalid.size(); ++i) b->invalid[i] += sb.invalid[i];
  };
  for (const SavedLanes::Lane& sl : saved.lanes) {
    int slot = -1;
    for (std::size_t v = 0; v < versions_.size(); ++v) {
      if (versions_[v].version == sl.version) slot = static_cast<int>(v);
    }
    VersionLane* lane = LaneFor(slot);
    if (lane == nullptr) continue;  // a version the table no longer holds a lane for
    for (const SavedLanes::Ring& sr : sl.rings) {
      for (std::size_t i = 0; i < lane->rings.size(); ++i) {
        auto& ring = lane->rings[i];
        if (model_.settings.windows[i].label != sr.label || ring.window_seconds() != sr.seconds ||
            static_cast<std::uint64_t>(ring.buckets()) != sr.buckets) {
          continue;
        }
        for (const SavedLanes::Bucket& sb : sr.list) {
          if (Bucket* b = ring.AtIndex(sb.index)) add(sb, b);
        }
        // The staging bucket goes into the windows, as FlushStaging would.
        if (sl.staged) {
          if (Bucket* b = ring.At(sl.staged_mid)) add(sl.staging, b);
        }
      }
    }
  }
}

}  // namespace modelwatch::engine
