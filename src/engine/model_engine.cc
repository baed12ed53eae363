#include <modelwatch/engine/model_engine.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include <modelwatch/drift/methods.h>

#include "engine/field.h"

namespace modelwatch::engine {

using config::DriftMethod;
using config::FeatureType;

void ModelEngine::Bucket::Clear() {
  records = 0;
  std::fill(counts.begin(), counts.end(), 0u);
  std::fill(sums.begin(), sums.end(), 0.0);
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

bool Applies(DriftMethod m, FeatureType t) {
  switch (m) {
    case DriftMethod::kWasserstein:
      return t == FeatureType::kNumeric;
    case DriftMethod::kLinf:
      return t == FeatureType::kCategorical;
    default:
      return true;
  }
}

bool Implemented(DriftMethod m) {
  return m != DriftMethod::kKs && m != DriftMethod::kChiSquare && m != DriftMethod::kZ;
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
    if (!Implemented(m)) {
      fail(f, std::string("method ") + config::DriftMethodName(m) +
                  " is not available yet; use psi, kl, jensenshannon, hellinger, wasserstein "
                  "or linf");
      continue;
    }
    if (!Applies(m, f.type)) {
      fail(f, std::string("method ") + config::DriftMethodName(m) + " does not apply to a " +
                  (numeric ? "numeric" : "categorical") + " field");
      continue;
    }
    f.method = m;
    f.threshold = fc.drift_threshold.value_or(drift_cfg.ThresholdFor(m));
    for (DriftMethod x : drift_cfg.extra_methods) {
      if (x == m || !Applies(x, f.type)) continue;
      if (!Implemented(x)) {
        fail(f,
             std::string("extra method ") + config::DriftMethodName(x) + " is not available yet");
        continue;
      }
      f.extra.push_back(x);
    }
  }
  if (!errors.empty()) {
    errors.pop_back();
    return Status::Error(errors);
  }
  Bucket empty;
  empty.counts.assign(counts_size_, 0);
  empty.sums.assign(sums_size_, 0);
  for (const config::Window& w : model_.settings.windows) {
    rings_.emplace_back(w.seconds, model_.settings.buckets_per_window, empty);
    longest_window_ = std::max(longest_window_, w.seconds);
  }
  scratch_buckets_.resize(rings_.size());
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
  ++lines_;
  ++versions_[static_cast<std::size_t>(VersionSlot(record.model_version))].predictions;

  const auto& s = model_.settings;
  double t = now;
  if (s.time == config::TimeMode::kEvent && record.has_timestamp) t = record.timestamp;
  if (s.time == config::TimeMode::kEvent && record.has_timestamp) {
    if (!has_newest_ || t > newest_) newest_ = t;
    has_newest_ = true;
  }
  const double horizon = one_shot_ ? newest_ : now;
  if (t < horizon - longest_window_ - s.allowed_lateness) {
    ++outside_[static_cast<int>(OutsideReason::kTooLate)];
    return;
  }
  if (!one_shot_ && t > now + s.max_future_skew) {
    ++outside_[static_cast<int>(OutsideReason::kInFuture)];
    return;
  }
  for (std::size_t w = 0; w < rings_.size(); ++w) {
    Bucket* b = rings_[w].At(t);
    scratch_buckets_[w] = b;
    if (b != nullptr) ++b->records;
  }
  const std::size_t n = std::min(fields_.size(), record.fields.size());
  for (std::size_t i = 0; i < n; ++i) {
    Field& f = fields_[i];
    const FieldValue& v = record.fields[i];
    ++f.values_total;
    ++f.states[static_cast<int>(v.state)];
    if (v.state != ValueState::kValid || !f.has_reference) continue;
    int bin;
    int coarse;
    if (f.type == FeatureType::kNumeric) {
      const auto& bins = f.base->numeric.bins;
      bin = bins.FineBin(v.number);
      coarse = bins.coarse_of_fine[static_cast<std::size_t>(bin)];
      const int last = f.bins - 1;
      for (Bucket* b : scratch_buckets_) {
        if (b == nullptr) continue;
        ++b->counts[f.offset + static_cast<std::size_t>(bin)];
        if (bin == 0) b->sums[f.sum_offset] += v.number;
        if (bin == last) b->sums[f.sum_offset + 1] += v.number;
      }
    } else {
      coarse = bin = f.base->categorical.Bin(v.text);
      for (Bucket* b : scratch_buckets_) {
        if (b != nullptr) ++b->counts[f.offset + static_cast<std::size_t>(bin)];
      }
    }
    ++f.bin_observations[static_cast<std::size_t>(coarse)];
  }
}

}  // namespace modelwatch::engine
