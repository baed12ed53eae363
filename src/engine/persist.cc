// ModelEngine checkpoints: SaveAggregates / LoadAggregates (see model_engine.h). The format is
// private to this file and versioned; the checkpoint file around it (state module) adds its own
// framing and checksum.
#include <cmath>
#include <cstring>

#include <modelwatch/core/bytes.h>

#include <modelwatch/engine/model_engine.h>

#include "engine/field.h"
#include "engine/latency.h"
#include "engine/persist_rings.h"
#include "engine/version_lane.h"
#include "engine/versions.h"

namespace modelwatch::engine {

namespace {

constexpr std::uint32_t kAggregatesVersion = 1;

void Mix(std::uint64_t* h, const void* p, std::size_t n) {
  const auto* b = static_cast<const unsigned char*>(p);
  for (std::size_t i = 0; i < n; ++i) {
    *h ^= b[i];
    *h *= 1099511628211ull;
  }
}
void MixU64(std::uint64_t* h, std::uint64_t v) { Mix(h, &v, sizeof v); }

// One saved bucket, per saved field: the counts (sparse), sums and invalid counts.
struct SavedField {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> counts;  // (bin, count)
  std::vector<double> sums;
  std::vector<std::uint32_t> invalid;
};
struct SavedBucket {
  std::int64_t index = 0;
  std::uint64_t records = 0;
  std::vector<SavedField> fields;
};

}  // namespace

std::uint64_t ModelEngine::FieldShape(const Field& f) const {
  std::uint64_t h = 14695981039346656037ull;
  MixU64(&h, static_cast<std::uint64_t>(f.type));
  MixU64(&h, static_cast<std::uint64_t>(f.bins));
  MixU64(&h, static_cast<std::uint64_t>(f.coarse));
  MixU64(&h, f.has_reference ? 1 : 0);
  if (f.type == config::FeatureType::kNumeric) {
    const auto& b = f.base->numeric.bins;
    for (double e : b.fine_edges) Mix(&h, &e, sizeof e);
    for (double e : b.coarse_edges) Mix(&h, &e, sizeof e);
  } else {
    for (const std::string& c : f.base->categorical.categories) {
      Mix(&h, c.data(), c.size());
      MixU64(&h, c.size());
    }
  }
  return h;
}

namespace {

template <typename BucketT, typename FieldT>
void WriteBucket(ByteWriter& w, std::int64_t index, const BucketT& b,
                 const std::vector<FieldT>& fields) {
  w.I64(index);
  w.Var(b.records);
  for (std::size_t fi = 0; fi < fields.size(); ++fi) {
    const FieldT& f = fields[fi];
    std::uint32_t nnz = 0;
    for (int i = 0; i < f.bins; ++i) nnz += b.counts[f.offset + static_cast<std::size_t>(i)] != 0;
    w.Var(nnz);
    std::uint32_t prev = 0;
    for (int i = 0; i < f.bins; ++i) {
      const std::uint32_t c = b.counts[f.offset + static_cast<std::size_t>(i)];
      if (c == 0) continue;
      w.Var(static_cast<std::uint32_t>(i) - prev);
      w.Var(c);
      prev = static_cast<std::uint32_t>(i);
    }
    const bool numeric = f.type == config::FeatureType::kNumeric;
    w.Var(numeric ? 2 : 0);
    if (numeric) {
      w.F64(b.sums[f.sum_offset]);
      w.F64(b.sums[f.sum_offset + 1]);
    }
    w.Var(kQualityStates);
    for (int s = 0; s < kQualityStates; ++s) w.Var(b.invalid[fi * kQualityStates + s]);
  }
}

bool ReadBucket(ByteReader& r, std::size_t nfields, SavedBucket* out) {
  out->index = r.I64();
  out->records = r.Var();
  if (nfields > r.remaining() / 3) return false;  // each field takes at least 3 bytes
  out->fields.resize(nfields);
  for (SavedField& f : out->fields) {
    const std::uint64_t nnz = r.Count(2);
    f.counts.resize(nnz);
    std::uint64_t bin = 0;
    for (auto& [i, c] : f.counts) {
      bin += r.Var();
      if (bin > 0xffffffffull) return false;
      i = static_cast<std::uint32_t>(bin);
      const std::uint64_t v = r.Var();
      if (v > 0xffffffffull) return false;
      c = static_cast<std::uint32_t>(v);
    }
    const std::uint64_t nsums = r.Count(8);
    f.sums.resize(nsums);
    for (double& d : f.sums) d = r.F64();
    const std::uint64_t ninv = r.Count(1);
    f.invalid.resize(ninv);
    for (std::uint32_t& v : f.invalid) v = static_cast<std::uint32_t>(r.Var());
  }
  return r.ok();
}

}  // namespace

void ModelEngine::SaveAggregates(std::string* out) const {
  ByteWriter w(out);
  w.U32(kAggregatesVersion);
  w.Str(model_.name);
  w.Var(lines_);
  w.Var(unexpected_fields_);
  w.Var(duplicate_ids_);
  w.F64(newest_);
  w.U8(has_newest_ ? 1 : 0);
  w.Var(rejected_.size());
  for (std::uint64_t v : rejected_) w.Var(v);
  w.Var(outside_.size());
  for (std::uint64_t v : outside_) w.Var(v);
  w.Var(unexpected_names_.size());
  for (const std::string& n : unexpected_names_) w.Str(n);
  w.Var(versions_.size());
  for (const VersionCount& v : versions_) {
    w.Str(v.version);
    w.Var(v.predictions);
  }
  w.Var(fields_.size());
  for (const Field& f : fields_) {
    w.Str(f.name);
    w.U64(FieldShape(f));
    w.Var(f.values_total);
    w.Var(f.states.size());
    for (std::uint64_t v : f.states) w.Var(v);
    w.Var(f.bin_observations.size());
    for (std::uint64_t v : f.bin_observations) w.Var(v);
    w.U8(f.categories ? 1 : 0);
    if (f.categories) {
      const CategoryTable& t = *f.categories;
      w.Var(t.names().size());
      for (std::size_t i = 0; i < t.names().size(); ++i) {
        w.Str(t.names()[i]);
        w.Var(t.counts()[i]);
      }
      w.Var(t.overflow());
    }
  }
  WriteRings(w, rings_, model_.settings.windows,
             [&](std::int64_t index, const Bucket& b) { WriteBucket(w, index, b, fields_); });
  // The staging bucket: added to every window's bucket on load, as FlushStaging would.
  const bool staged = staging_used_ && staging_.records > 0;
  w.U8(staged ? 1 : 0);
  if (staged) {
    w.F64((static_cast<double>(staging_index_) + 0.5) * staging_width_);
    WriteBucket(w, staging_index_, staging_, fields_);
  }
  SaveLatency(w);
  // Optional trailing section (versions.h): version changes and when each version was last seen.
  w.Var(version_tracker_->changes());
  w.Var(version_tracker_->slots());
  for (std::size_t i = 0; i < version_tracker_->slots(); ++i) {
    w.U8(version_tracker_->seen(i) ? 1 : 0);
    w.F64(version_tracker_->last_seen(i));
  }
  // Optional trailing section (version_windows.cc): the per-version windows of split_by_version.
  SaveLanes(w);
}

Result<ModelEngine::LoadReport> ModelEngine::LoadAggregates(std::string_view bytes) {
  ByteReader r(bytes);
  if (r.U32() != kAggregatesVersion || !r.ok()) {
    return Status::Error("aggregates: unknown version");
  }
  const std::string_view name = r.Str();
  (void)name;  // the caller matches models by name
  const std::uint64_t lines = r.Var();
  const std::uint64_t unexpected = r.Var();
  const std::uint64_t dups = r.Var();
  const double newest = r.F64();
  const bool has_newest = r.U8() != 0;
  std::array<std::uint64_t, kRejectReasons> rejected{};
  std::array<std::uint64_t, kOutsideReasons> outside{};
  const std::uint64_t nrej = r.Count();
  for (std::uint64_t i = 0; i < nrej; ++i) {
    const std::uint64_t v = r.Var();
    if (i < rejected.size()) rejected[i] = v;
  }
  const std::uint64_t nout = r.Count();
  for (std::uint64_t i = 0; i < nout; ++i) {
    const std::uint64_t v = r.Var();
    if (i < outside.size()) outside[i] = v;
  }
  std::vector<std::string> unexpected_names(r.Count());
  for (std::string& n : unexpected_names) n = std::string(r.Str());
  std::vector<VersionCount> versions(r.Count(2));
  for (VersionCount& v : versions) {
    v.version = std::string(r.Str());
    v.predictions = r.Var();
  }
  // Saved fields, each mapped to one of ours (or -1).
  struct SavedMeta {
    int ours = -1;
    std::uint64_t values_total = 0;
    std::vector<std::uint64_t> states, bin_observations;
    bool has_categories = false;
    std::vector<std::string> cat_names;
    std::vector<std::uint64_t> cat_counts;
    std::uint64_t overflow = 0;
  };
  std::vector<SavedMeta> saved(r.Count(9));
  for (SavedMeta& m : saved) {
    const std::string_view fname = r.Str();
    const std::uint64_t shape = r.U64();
    m.values_total = r.Var();
    m.states.resize(r.Count());
    for (std::uint64_t& v : m.states) v = r.Var();
    m.bin_observations.resize(r.Count());
    for (std::uint64_t& v : m.bin_observations) v = r.Var();
    m.has_categories = r.U8() != 0;
    if (m.has_categories) {
      const std::uint64_t n = r.Count(2);
      m.cat_names.resize(n);
      m.cat_counts.resize(n);
      for (std::uint64_t i = 0; i < n; ++i) {
        m.cat_names[i] = std::string(r.Str());
        m.cat_counts[i] = r.Var();
      }
      m.overflow = r.Var();
    }
    if (!r.ok()) break;
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      const Field& f = fields_[i];
      if (f.name == fname && FieldShape(f) == shape && m.states.size() == f.states.size() &&
          m.bin_observations.size() == f.bin_observations.size() &&
          m.has_categories == f.categories.has_value()) {
        m.ours = static_cast<int>(i);
      }
    }
  }
  struct SavedRing {
    int ours = -1;
    std::vector<SavedBucket> buckets;
  };
  std::vector<SavedRing> rings(r.Count(10));
  for (SavedRing& sr : rings) {
    const std::string_view label = r.Str();
    const double seconds = r.F64();
    const std::uint64_t nb = r.Var();
    sr.buckets.resize(r.Count(9));
    for (SavedBucket& b : sr.buckets) {
      if (!ReadBucket(r, saved.size(), &b)) return Status::Error("aggregates: corrupt bucket");
    }
    for (std::size_t i = 0; i < rings_.size(); ++i) {
      if (model_.settings.windows[i].label == label && rings_[i].window_seconds() == seconds &&
          static_cast<std::uint64_t>(rings_[i].buckets()) == nb) {
        sr.ours = static_cast<int>(i);
      }
    }
  }
  const bool staged = r.U8() != 0;
  double staged_mid = 0;
  SavedBucket staging;
  if (staged) {
    staged_mid = r.F64();
    // A time the rings can index: a corrupt value would overflow the bucket index (found by
    // tests/fuzz/checkpoint_fuzz). 1e12 s is the year 33658.
    if (!(std::abs(staged_mid) < 1e12)) return Status::Error("aggregates: corrupt staging time");
    if (!ReadBucket(r, saved.size(), &staging)) return Status::Error("aggregates: corrupt staging");
  }
  SavedLatency latency;  // absent in checkpoints written before latency was kept
  if (r.ok() && !r.done() && !ReadLatency(r, &latency)) {
    return Status::Error("aggregates: corrupt latency");
  }
  std::uint64_t version_changes = 0;
  std::vector<bool> version_seen;
  std::vector<double> version_last_seen;
  if (r.ok() && !r.done()) {
    version_changes = r.Var();
    const std::uint64_t n = r.Count();
    for (std::uint64_t i = 0; i < n && r.ok(); ++i) {
      version_seen.push_back(r.U8() != 0);
      const double t = r.F64();
      // A time the windows can hold (as the staging time above).
      if (!(std::abs(t) < 1e12)) return Status::Error("aggregates: corrupt version time");
      version_last_seen.push_back(t);
    }
    // The slots follow the saved versions one to one.
    if (version_seen.size() > versions.size()) return Status::Error("aggregates: version state");
  }
  SavedLanes lanes;  // absent unless saved with split_by_version (version_windows.cc)
  if (r.ok() && !r.done() && !ReadLanes(r, &lanes)) {
    return Status::Error("aggregates: corrupt version windows");
  }
  if (!r.ok() || !r.done()) return Status::Error("aggregates: truncated or corrupt");
  // Validate every bucket against the field it maps to before touching anything.
  auto fits = [&](const SavedBucket& b) {
    for (std::size_t si = 0; si < saved.size(); ++si) {
      if (saved[si].ours < 0) continue;
      const Field& f = fields_[static_cast<std::size_t>(saved[si].ours)];
      const SavedField& sf = b.fields[si];
      for (const auto& [i, c] : sf.counts) {
        if (i >= static_cast<std::uint32_t>(f.bins)) return false;
      }
      const bool numeric = f.type == config::FeatureType::kNumeric;
      if (sf.sums.size() != (numeric ? 2u : 0u)) return false;
      if (sf.invalid.size() != static_cast<std::size_t>(kQualityStates)) return false;
    }
    return true;
  };
  for (const SavedRing& sr : rings) {
    for (const SavedBucket& b : sr.buckets) {
      if (!fits(b)) return Status::Error("aggregates: a bucket does not fit its field");
    }
  }
  if (staged && !fits(staging)) return Status::Error("aggregates: staging does not fit");

  // Apply: reset everything, then fill what matched.
  LoadReport report;
  lines_ = lines;
  unexpected_fields_ = unexpected;
  duplicate_ids_ = dups;
  newest_ = newest;
  has_newest_ = has_newest;
  rejected_ = rejected;
  outside_ = outside;
  unexpected_names_ = std::move(unexpected_names);
  versions_ = std::move(versions);
  version_tracker_->Restore(version_changes, std::move(version_seen), std::move(version_last_seen));
  std::vector<bool> field_kept(fields_.size(), false);
  for (Field& f : fields_) {
    f.values_total = 0;
    f.states.fill(0);
    std::fill(f.bin_observations.begin(), f.bin_observations.end(), 0);
    if (f.categories) {
      static const std::vector<std::string> kNone;
      f.categories.emplace(f.has_reference ? f.base->categorical.categories : kNone,
                           model_.settings.max_categories);
    }
  }
  for (SavedMeta& m : saved) {
    if (m.ours < 0) continue;
    Field& f = fields_[static_cast<std::size_t>(m.ours)];
    if (f.categories && !f.categories->Restore(m.cat_names, m.cat_counts, m.overflow)) {
      m.ours = -1;
      continue;
    }
    f.values_total = m.values_total;
    for (std::size_t s = 0; s < f.states.size(); ++s) f.states[s] = m.states[s];
    f.bin_observations = m.bin_observations;
    field_kept[static_cast<std::size_t>(m.ours)] = true;
  }
  for (bool k : field_kept) (k ? report.fields_kept : report.fields_reset) += 1;

  auto add = [&](const SavedBucket& sb, Bucket* b) {
    b->records += sb.records;
    for (std::size_t si = 0; si < saved.size(); ++si) {
      if (saved[si].ours < 0) continue;
      const Field& f = fields_[static_cast<std::size_t>(saved[si].ours)];
      const SavedField& sf = sb.fields[si];
      for (const auto& [i, c] : sf.counts) b->counts[f.offset + i] += c;
      if (!sf.sums.empty()) {
        b->sums[f.sum_offset] += sf.sums[0];
        b->sums[f.sum_offset + 1] += sf.sums[1];
      }
      const std::size_t fi = static_cast<std::size_t>(saved[si].ours);
      for (int s = 0; s < kQualityStates; ++s) b->invalid[fi * kQualityStates + s] += sf.invalid[s];
    }
  };
  Bucket empty;
  empty.counts.assign(counts_size_, 0);
  empty.sums.assign(sums_size_, 0);
  empty.invalid.assign(fields_.size() * kQualityStates, 0);
  std::vector<bool> ring_kept(rings_.size(), false);
  for (std::size_t i = 0; i < rings_.size(); ++i) {
    rings_[i] = window::WindowRing<Bucket>(rings_[i].window_seconds(), rings_[i].buckets(), empty);
  }
  staging_.Clear();
  staging_used_ = false;
  for (const SavedRing& sr : rings) {
    if (sr.ours < 0) continue;
    ring_kept[static_cast<std::size_t>(sr.ours)] = true;
    auto& ring = rings_[static_cast<std::size_t>(sr.ours)];
    for (const SavedBucket& sb : sr.buckets) {
      if (Bucket* b = ring.AtIndex(sb.index)) add(sb, b);
    }
    if (staged) {
      if (Bucket* b = ring.At(staged_mid)) add(staging, b);
    }
  }
  for (bool k : ring_kept) (k ? report.windows_kept : report.windows_reset) += 1;
  ApplyLatency(latency);
  ApplyLanes(lanes);
  return report;
}

}  // namespace modelwatch::engine
