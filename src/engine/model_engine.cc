#include <modelwatch/engine/model_engine.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include <modelwatch/drift/methods.h>

#include "engine/duplicate_filter.h"
#include "engine/field.h"
#include "engine/latency.h"
#include "engine/version_lane.h"
#include "engine/versions.h"

namespace modelwatch::engine {

using config::DriftMethod;
using config::FeatureType;

void ModelEngine::Bucket::Clear() {
  records = 0;
  if (track && touched.size() < counts.size() / 4) {
    for (std::uint32_t i : touched) counts[i] = 0;
  } else {
    std::fill(counts.begin(), counts.end(), 0u);
  }
  touched.clear();
  std::fill(sums.begin(), sums.end(), 0.0);
  std::fill(invalid.begin(), invalid.end(), 0u);
}

void ModelEngine::Bucket::AddTo(Bucket* other) const {
  other->records += records;
  if (track && touched.size() < counts.size() / 4) {
    for (std::uint32_t i : touched) other->counts[i] += counts[i];
  } else {
    for (std::size_t i = 0; i < counts.size(); ++i) other->counts[i] += counts[i];
  }
  for (std::size_t i = 0; i < sums.size(); ++i) other->sums[i] += sums[i];
  for (std::size_t i = 0; i < invalid.size(); ++i) other->invalid[i] += invalid[i];
}

ModelEngine::ModelEngine(const config::ModelConfig& model, Baseline baseline)
    : model_(model), baseline_(std::move(baseline)) {}

ModelEngine::~ModelEngine() = default;

Result<std::unique_ptr<ModelEngine>> ModelEngine::Create(const config::ModelConfig& model,
                                                         Baseline baseline) {
  std::unique_ptr<ModelEngine> e(new ModelEngine(model, std::move(baseline)));
  if (Status s = e->Resolve(); !s.ok()) return s;
  return e;
}

namespace {

// Empty when method m can score the field; else why not (statistics.md §3). A field without a
// reference is never scored, so only its type is checked.
std::string WhyNotApplicable(DriftMethod m, FeatureType type, const FieldBaseline& base,
                             bool has_reference) {
  const bool numeric = type == FeatureType::kNumeric;
  const std::int64_t distinct =
      numeric ? base.numeric.distinct : static_cast<std::int64_t>(base.categorical.all.size());
  switch (m) {
    case DriftMethod::kWasserstein:
    case DriftMethod::kKs:
      return numeric ? "" : "does not apply to a categorical field";
    case DriftMethod::kLinf:
      return numeric ? "does not apply to a numeric field" : "";
    case DriftMethod::kChiSquare:
      if (!numeric || !has_reference || base.numeric.bins.discrete) return "";
      return "applies to categorical fields and to numeric ones with at most " +
             std::to_string(drift::NumericBinning::kMaxDiscreteValues) +
             " distinct reference values; this one has " + std::to_string(distinct);
    case DriftMethod::kZ:
      if (!has_reference || distinct <= 2) return "";
      return "needs at most 2 distinct reference values; this field has " +
             std::to_string(distinct);
    default:
      return "";
  }
}

}  // namespace

Status ModelEngine::Resolve() {
  std::string errors;
  auto fail = [&](const Field& f, const std::string& msg) {
    errors += "model " + model_.name + ", " + (f.is_output ? "output " : "feature ") + f.name +
              ": " + msg + "\n";
  };
  const auto& drift_cfg = model_.settings.drift;
  const std::size_t n = model_.features.size() + model_.outputs.size();
  if (baseline_.fields.size() != n) return Status::Error("baseline does not match the fields");
  fields_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const bool out = i >= model_.features.size();
    const config::FeatureConfig& fc =
        out ? model_.outputs[i - model_.features.size()] : model_.features[i];
    Field& f = fields_[i];
    f.name = fc.name;
    f.is_output = out;
    f.type = fc.type;
    f.base = &baseline_.fields[i];
    const bool numeric = f.type == FeatureType::kNumeric;
    f.has_reference = numeric ? f.base->numeric.count > 0 : f.base->categorical.count > 0;
    if (numeric && f.has_reference) {
      f.bins = f.base->numeric.bins.fine_bin_count();
      f.coarse = f.base->numeric.bins.coarse_bin_count();
    } else if (!numeric && f.has_reference) {
      f.coarse = f.bins = static_cast<int>(f.base->categorical.coarse_ref_share.size());
      f.index = CategoryIndex(f.base->categorical);
    }
    f.offset = counts_size_;
    counts_size_ += static_cast<std::size_t>(f.bins);
    if (numeric) {
      f.sum_offset = sums_size_;
      sums_size_ += 2;
    }
    f.bin_observations.assign(static_cast<std::size_t>(f.coarse), 0);

    DriftMethod m = fc.drift_method.value_or(drift_cfg.method);
    if (m == DriftMethod::kAuto) {
      const std::int64_t n_ref = numeric ? f.base->numeric.count : f.base->categorical.count;
      const std::int64_t n_unique = numeric
                                        ? f.base->numeric.distinct
                                        : static_cast<std::int64_t>(f.base->categorical.all.size());
      Result<DriftMethod> r = drift::ResolveAuto(f.type, n_ref, n_unique);
      if (!r.ok()) {
        fail(f, r.status().message());
        continue;
      }
      m = r.value();
    }
    if (const std::string why = WhyNotApplicable(m, f.type, *f.base, f.has_reference);
        !why.empty()) {
      fail(f, std::string("method ") + config::DriftMethodName(m) + " " + why);
      continue;
    }
    f.method = m;
    f.threshold = fc.drift_threshold.value_or(drift_cfg.ThresholdFor(m));
    for (DriftMethod x : drift_cfg.extra_methods) {
      // An extra method that cannot score this field is skipped, not an error: extra_methods
      // is model-wide.
      if (x == m || !WhyNotApplicable(x, f.type, *f.base, f.has_reference).empty()) continue;
      f.extra.push_back(x);
    }
  }
  if (!errors.empty()) {
    errors.pop_back();
    return Status::Error(errors);
  }
  latency_ = std::make_unique<LatencyTracker>();
  latency_->Configure(model_.record.latency, counts_size_,
                      static_cast<std::size_t>(std::max(1, model_.settings.max_versions)) + 1);
  counts_size_ += latency_->slots();
  SetUpQuality();
  Bucket empty;
  empty.counts.assign(counts_size_, 0);
  empty.sums.assign(sums_size_, 0);
  empty.invalid.assign(fields_.size() * kQualityStates, 0);
  for (const config::Window& w : model_.settings.windows) {
    rings_.emplace_back(w.seconds, model_.settings.buckets_per_window, empty);
    longest_window_ = std::max(longest_window_, w.seconds);
  }
  scratch_buckets_.resize(rings_.size());
  staging_ = empty;
  SetUpStaging();
  scratch_bins_.assign(fields_.size(), 0);
  version_tracker_ = std::make_unique<VersionTracker>(longest_window_);
  // split_by_version: a lane per version slot, allocated when the slot first appears.
  split_ = model_.settings.split_by_version;
  if (split_) {
    empty_ = std::move(empty);
    lanes_.resize(static_cast<std::size_t>(std::max(1, model_.settings.max_versions)) + 1);
    scratch_buckets_.reserve(2 * rings_.size());
  }
  return Status::Ok();
}

int ModelEngine::VersionSlot(std::string_view version) {
  if (version.empty()) version = "unknown";
  for (std::size_t i = 0; i < versions_.size(); ++i) {
    if (versions_[i].version == version) return static_cast<int>(i);
  }
  const auto cap = static_cast<std::size_t>(std::max(1, model_.settings.max_versions));
  if (versions_.size() < cap) {
    versions_.push_back({std::string(version), 0});
    return static_cast<int>(versions_.size() - 1);
  }
  // Past the cap every new version shares one series, so cardinality stays bounded.
  if (versions_.size() == cap) versions_.push_back({"__other__", 0});
  return static_cast<int>(versions_.size() - 1);
}

void ModelEngine::OnRejected(RejectReason reason) {
  ++lines_;
  ++rejected_[static_cast<int>(reason)];
}

void ModelEngine::OnRecord(const Record& record, double now) {
  // The duplicate filter's tables are far larger than the caches: locate (and prefetch) the
  // id's slots first, do the rest of the record's work, then look.
  const bool check_id = duplicates_ != nullptr && !record.request_id.empty();
  DuplicateFilter::Probe probe{};
  if (check_id) probe = duplicates_->Locate(record.request_id);
  ++lines_;
  const int slot = VersionSlot(record.model_version);
  const auto version = static_cast<std::size_t>(slot);
  ++versions_[version].predictions;
  const std::size_t latency_slot = latency_->Observe(record, version);
  const bool event = model_.settings.time == config::TimeMode::kEvent && record.has_timestamp;
  version_tracker_->Observe(slot, event ? record.timestamp : now);
  NoteRecordQuality(record);
  lane_ = split_ ? LaneFor(slot) : nullptr;  // split_by_version (version_windows.cc)
  PlaceInWindows(record, now);
  // scratch_buckets_ still holds the record's window buckets (none when it is outside them).
  if (latency_slot != LatencyTracker::kNoSlot) {
    for (Bucket* b : scratch_buckets_) {
      if (b != nullptr) b->Bump(latency_slot);
    }
  }
  if (check_id && duplicates_->SeenBefore(probe)) ++duplicate_ids_;
}

void ModelEngine::PlaceInWindows(const Record& record, double now) {
  const auto& s = model_.settings;
  double t = now;
  if (s.time == config::TimeMode::kEvent && record.has_timestamp) t = record.timestamp;
  if (s.time == config::TimeMode::kEvent && record.has_timestamp) {
    if (!has_newest_ || t > newest_) newest_ = t;
    has_newest_ = true;
  }
  const double horizon = one_shot_ ? newest_ : now;
  // A record outside the windows still counts in the counters for ever (values, reasons, bin
  // observations); it only stays out of the windows.
  bool in_windows = true;
  if (t < horizon - longest_window_ - s.allowed_lateness) {
    ++outside_[static_cast<int>(OutsideReason::kTooLate)];
    in_windows = false;
  } else if (!one_shot_ && t > now + s.max_future_skew) {
    ++outside_[static_cast<int>(OutsideReason::kInFuture)];
    in_windows = false;
  }
  if (in_windows) {
    Route(t);
    if (lane_ != nullptr) RouteLane(*lane_, t);
    for (Bucket* b : scratch_buckets_) {
      if (b != nullptr) ++b->records;
    }
  } else {
    scratch_buckets_.clear();
  }
  const std::size_t n = std::min(fields_.size(), record.fields.size());
  // First every numeric value's fine bin, with a prefetch of the count it will bump: the
  // searches are independent, so their cache misses overlap instead of queueing one by one.
  Bucket* hot = scratch_buckets_.empty() ? nullptr : scratch_buckets_.front();
  for (std::size_t i = 0; i < n; ++i) {
    const Field& f = fields_[i];
    const FieldValue& v = record.fields[i];
    if (f.type != FeatureType::kNumeric || !f.has_reference || v.state != ValueState::kValid) {
      continue;
    }
    const int bin = f.base->numeric.bins.FineBin(v.number);
    scratch_bins_[i] = bin;
    if (hot != nullptr) __builtin_prefetch(hot->counts.data() + f.offset + bin, 1);
  }
  for (std::size_t i = 0; i < n; ++i) {
    Field& f = fields_[i];
    const FieldValue& v = record.fields[i];
    ++f.values_total;
    const int state =
        v.state == ValueState::kValid ? Observe(f, v, scratch_bins_[i]) : static_cast<int>(v.state);
    ++f.states[static_cast<std::size_t>(state)];
    if (state == 0) continue;
    const std::size_t slot = i * kQualityStates + static_cast<std::size_t>(state);
    for (Bucket* b : scratch_buckets_) {
      if (b != nullptr) ++b->invalid[slot];
    }
  }
}

// A valid value goes to the drift bins (out-of-range and unseen values too: they are drift) and
// to the category table; returns its quality state.
int ModelEngine::Observe(Field& f, const FieldValue& v, int fine_bin) {
  if (f.type == FeatureType::kNumeric) {
    const int state = v.number < f.valid_min || v.number > f.valid_max ? kOutOfRange : 0;
    if (!f.has_reference) return state;
    const auto& bins = f.base->numeric.bins;
    const int bin = fine_bin;
    const int last = f.bins - 1;
    for (Bucket* b : scratch_buckets_) {
      if (b == nullptr) continue;
      b->Bump(f.offset + static_cast<std::size_t>(bin));
      if (bin == 0) b->sums[f.sum_offset] += v.number;
      if (bin == last) b->sums[f.sum_offset + 1] += v.number;
    }
    ++f.bin_observations[bins.coarse_of_fine[static_cast<std::size_t>(bin)]];
    return state;
  }
  int state = 0;
  int bin = -1;
  if (f.has_reference) {
    const CategoryIndex::Entry e = f.index.Find(v.text);
    bin = e.bin;
    // Only the __other__ bin can hold a value the reference never had.
    if (bin == f.coarse - 1 && !e.seen) state = kUnseenCategory;
    for (Bucket* b : scratch_buckets_) {
      if (b != nullptr) b->Bump(f.offset + static_cast<std::size_t>(bin));
    }
    ++f.bin_observations[static_cast<std::size_t>(bin)];
  }
  if (f.categories) f.categories->Observe(v.text, bin);
  return state;
}

}  // namespace modelwatch::engine
