// ModelEngine::Evaluate: windows -> drift scores -> ModelSnapshot.
#include <algorithm>
#include <cmath>
#include <span>

#include <modelwatch/drift/methods.h>
#include <modelwatch/drift/p_values.h>
#include <modelwatch/drift/score.h>
#include <modelwatch/engine/model_engine.h>

#include "engine/field.h"
#include "engine/latency.h"
#include "engine/versions.h"

namespace modelwatch::engine {

using config::DriftMethod;
using config::FeatureType;

const char* RejectReasonName(RejectReason r) {
  switch (r) {
    case RejectReason::kInvalidJson:
      return "invalid_json";
    case RejectReason::kNotAnObject:
      return "not_an_object";
    case RejectReason::kLineTooLong:
      return "line_too_long";
    case RejectReason::kInvalidUtf8:
      return "invalid_utf8";
    case RejectReason::kBadTimestamp:
      return "bad_timestamp";
    case RejectReason::kMissingRequestId:
      return "missing_request_id";
  }
  return "unknown";
}

const char* OutsideReasonName(OutsideReason r) {
  return r == OutsideReason::kTooLate ? "too_late" : "in_future";
}

void ModelEngine::EvaluateWindow(const window::WindowRing<Bucket>& ring, const Bucket& staging,
                                 double T, Bucket* merged, WindowView* out) const {
  merged->Clear();
  ring.ForEachInWindow(T, [&](const Bucket& b) { b.AddTo(merged); });
  if (StagingInWindow(ring, staging, T)) staging.AddTo(merged);
  out->records = static_cast<std::int64_t>(merged->records);
  out->fields.resize(fields_.size());
  std::vector<double> q;
  std::vector<double> coarse;
  const auto& drift_cfg = model_.settings.drift;
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const Field& f = fields_[i];
    FieldWindow& fw = out->fields[i];
    fw = FieldWindow{};
    if (!f.has_reference) continue;
    std::span<const std::uint32_t> counts(merged->counts.data() + f.offset,
                                          static_cast<std::size_t>(f.bins));
    coarse.assign(static_cast<std::size_t>(f.coarse), 0.0);
    std::int64_t total = 0;
    const bool numeric = f.type == FeatureType::kNumeric;
    for (std::size_t b = 0; b < counts.size(); ++b) {
      const std::size_t c = numeric ? f.base->numeric.bins.coarse_of_fine[b] : b;
      coarse[c] += counts[b];
      total += counts[b];
    }
    fw.values = total;
    if (total < drift_cfg.min_samples || total == 0) continue;
    q.resize(coarse.size());
    for (std::size_t c = 0; c < coarse.size(); ++c) q[c] = coarse[c] / static_cast<double>(total);
    drift::ScoreInputs in;
    in.p = numeric ? std::span<const double>(f.base->numeric.bins.coarse_ref_share)
                   : std::span<const double>(f.base->categorical.coarse_ref_share);
    in.q = q;
    in.counts = coarse;
    in.n_ref = numeric ? f.base->numeric.count : f.base->categorical.count;
    in.n_cur = total;
    in.numeric = numeric ? &f.base->numeric : nullptr;
    if (numeric) {
      in.fine =
          drift::FineCounts{counts, merged->sums[f.sum_offset], merged->sums[f.sum_offset + 1]};
    }
    in.js_base = drift_cfg.js_base;
    // ks scores the p-value; its statistic D is exported beside it as "ks_statistic".
    const bool ks = f.method == DriftMethod::kKs ||
                    std::find(f.extra.begin(), f.extra.end(), DriftMethod::kKs) != f.extra.end();
    if (ks) in.ks_d = drift::KsStatistic(*in.numeric, in.fine);
    fw.scored = true;
    fw.score = drift::Score(f.method, in);
    fw.threshold = f.threshold;
    fw.detected = drift::IsDrift(f.method, fw.score, f.threshold);
    for (DriftMethod x : f.extra)
      fw.extra.push_back({config::DriftMethodName(x), drift::Score(x, in)});
    if (ks) fw.extra.push_back({"ks_statistic", in.ks_d});
    if (!f.is_output) {
      ++out->features_scored;
      if (fw.detected) ++out->features_drifted;
    }
  }
  FillWindowQuality(*merged, out);
  latency_->FillWindow(merged->counts, &out->latency);
  out->has_share = out->features_scored > 0;
  if (out->has_share) {
    out->drift_share = static_cast<double>(out->features_drifted) / out->features_scored;
    out->dataset_detected = out->drift_share >= drift_cfg.drift_share;
  }
}

ModelSnapshot ModelEngine::Evaluate(double T) const {
  ModelSnapshot s;
  s.name = model_.name;
  for (const Field& f : fields_) {
    FieldInfo info;
    info.name = f.name;
    info.is_output = f.is_output;
    info.type = f.type;
    info.method = config::DriftMethodName(f.method);
    if (f.has_reference) {
      if (f.type == FeatureType::kNumeric) {
        info.bin_names = f.base->numeric.bins.coarse_names;
        info.baseline_share = f.base->numeric.bins.coarse_ref_share;
      } else {
        info.bin_names = f.base->categorical.categories;
        info.bin_names.push_back("__other__");
        info.baseline_share = f.base->categorical.coarse_ref_share;
      }
    }
    info.bin_observations = f.bin_observations;
    info.values_total = f.values_total;
    info.states_total = f.states;
    FillFieldQuality(f, &info);
    s.fields.push_back(std::move(info));
  }
  Bucket merged;
  merged.counts.assign(counts_size_, 0);
  merged.sums.assign(sums_size_, 0);
  merged.invalid.assign(fields_.size() * kQualityStates, 0);
  for (std::size_t w = 0; w < rings_.size(); ++w) {
    WindowView view;
    view.label = model_.settings.windows[w].label;
    EvaluateWindow(rings_[w], staging_, T, &merged, &view);
    s.windows.push_back(std::move(view));
  }
  EvaluateLanes(T, &merged, &s);  // split_by_version
  s.versions = versions_;
  latency_->FillView(versions_, &s.latency);
  s.version_changes = version_tracker_->changes();
  for (std::size_t v = 0; v < versions_.size(); ++v) {
    if (version_tracker_->Active(static_cast<int>(v), T)) {
      s.active_versions.push_back(versions_[v].version);
    }
  }
  s.outside = outside_;
  s.predictions.lines = lines_;
  s.predictions.rejected = rejected_;
  s.predictions.reason_applies.fill(true);
  s.predictions.reason_applies[static_cast<int>(RejectReason::kBadTimestamp)] =
      model_.settings.time == config::TimeMode::kEvent && model_.record.timestamp.has_value();
  // The delayed-label join (and so missing_request_id) is not part of this version.
  s.predictions.reason_applies[static_cast<int>(RejectReason::kMissingRequestId)] = false;
  s.predictions.has_last_record = has_newest_;
  s.predictions.last_record_timestamp = newest_;
  FillModelQuality(&s);
  return s;
}

}  // namespace modelwatch::engine
