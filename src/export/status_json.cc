// /api/v1/status as JSON, written by hand (no JSON library in this module).
#include <cmath>
#include <cstdio>
#include <string>

#include <modelwatch/core/json_writer.h>
#include <modelwatch/export/exposition.h>

#include "export/family_builder.h"
#include "export/label_status.h"

namespace modelwatch::exposition {

namespace {

// Label-like values from the data are sanitized like label values before they are escaped.
std::string Safe(std::string_view v) { return SanitizeLabelValue(v); }

void Window(JsonWriter& j, const engine::ModelSnapshot& m, const engine::WindowView& w) {
  j.Raw("{").Key("window").Str(w.label).Raw(",").Key("records").Num(double(w.records));
  j.Raw(",").Key("drift_share");
  if (w.has_share) {
    j.Num(w.drift_share);
  } else {
    j.Raw("null");
  }
  j.Raw(",").Key("dataset_drift_detected").Raw(w.dataset_detected ? "true" : "false");
  j.Raw(",").Key("fields").Raw("[");
  for (std::size_t i = 0; i < w.fields.size(); ++i) {
    const auto& f = w.fields[i];
    if (i) j.Raw(",");
    j.Raw("{").Key("name").Str(m.fields[i].name).Raw(",").Key("values").Num(double(f.values));
    j.Raw(",").Key("score");
    if (f.scored) {
      j.Num(f.score).Raw(",").Key("threshold").Num(f.threshold);
    } else {
      j.Raw("null");
    }
    j.Raw(",").Key("drift_detected").Raw(f.detected ? "true" : "false");
    j.Raw(",").Key("invalid_ratio").Raw("{");
    bool first = true;
    for (int st = 1; st < engine::kQualityStates && w.records > 0; ++st) {
      if (!engine::InvalidReasonApplies(st, m.fields[i].type)) continue;
      if (!first) j.Raw(",");
      first = false;
      j.Key(engine::InvalidReasonName(st))
          .Num(double(f.invalid[static_cast<std::size_t>(st)]) / double(w.records));
    }
    j.Raw("}}");
  }
  j.Raw("]}");
}

// Schema and identity problems of a model's records.
void Quality(JsonWriter& j, const engine::ModelSnapshot& m) {
  j.Raw(",").Key("unexpected_fields").Num(double(m.unexpected_fields));
  j.Raw(",").Key("unexpected_field_names").Raw("[");
  for (std::size_t i = 0; i < m.unexpected_field_names.size(); ++i) {
    if (i) j.Raw(",");
    j.Str(Safe(m.unexpected_field_names[i]));
  }
  j.Raw("]");
  if (m.has_request_id) {
    j.Raw(",").Key("duplicate_request_ids").Num(double(m.duplicate_request_ids));
  }
}

}  // namespace

std::string StatusJson(const engine::Snapshot& s, const std::string& version) {
  JsonWriter j;
  j.Raw("{").Key("version").Str(version).Raw(",").Key("time").Num(s.time);
  j.Raw(",").Key("models").Raw("[");
  for (std::size_t mi = 0; mi < s.models.size(); ++mi) {
    const auto& m = s.models[mi];
    if (mi) j.Raw(",");
    j.Raw("{").Key("name").Str(m.name).Raw(",").Key("versions").Raw("[");
    for (std::size_t i = 0; i < m.versions.size(); ++i) {
      if (i) j.Raw(",");
      j.Raw("{").Key("version").Str(Safe(m.versions[i].version)).Raw(",").Key("predictions");
      j.Num(double(m.versions[i].predictions)).Raw("}");
    }
    const auto& src = m.predictions;
    j.Raw("],").Key("sources").Raw("[{").Key("source").Str(src.source);
    j.Raw(",").Key("lines").Num(double(src.lines)).Raw(",").Key("bytes").Num(double(src.bytes));
    j.Raw(",").Key("lag_bytes").Num(double(src.lag_bytes)).Raw(",").Key("files").Raw("[");
    for (std::size_t i = 0; i < src.file_list.size(); ++i) {
      const auto& f = src.file_list[i];
      if (i) j.Raw(",");
      j.Raw("{").Key("path").Str(Safe(f.path)).Raw(",").Key("position").Num(double(f.position));
      j.Raw(",").Key("size").Num(double(f.size)).Raw(",").Key("lag_bytes");
      j.Num(f.size > f.position ? double(f.size - f.position) : 0.0).Raw("}");
    }
    j.Raw("]}],").Key("fields").Raw("[");
    for (std::size_t i = 0; i < m.fields.size(); ++i) {
      const auto& f = m.fields[i];
      if (i) j.Raw(",");
      j.Raw("{").Key("name").Str(f.name).Raw(",").Key("kind").Str(f.is_output ? "output"
                                                                              : "feature");
      j.Raw(",").Key("type").Str(f.type == config::FeatureType::kNumeric ? "numeric"
                                                                         : "categorical");
      j.Raw(",").Key("method").Str(f.method).Raw(",").Key("bins").Raw("[");
      for (std::size_t b = 0; b < f.bin_names.size(); ++b) {
        if (b) j.Raw(",");
        j.Raw("{").Key("bin").Str(BinLabel(b)).Raw(",").Key("range").Str(Safe(f.bin_names[b]));
        j.Raw(",").Key("baseline_ratio").Num(b < f.baseline_share.size() ? f.baseline_share[b] : 0);
        j.Raw("}");
      }
      j.Raw("]}");
    }
    j.Raw("]");
    Quality(j, m);
    LabelsStatusJson(j, m);
    j.Raw(",").Key("windows").Raw("[");
    for (std::size_t w = 0; w < m.windows.size(); ++w) {
      if (w) j.Raw(",");
      Window(j, m, m.windows[w]);
    }
    j.Raw("]");
    if (!m.version_windows.empty()) {  // split_by_version: the same windows per version
      j.Raw(",").Key("version_windows").Raw("[");
      for (std::size_t v = 0; v < m.version_windows.size(); ++v) {
        const engine::VersionWindows& vw = m.version_windows[v];
        if (v) j.Raw(",");
        j.Raw("{").Key("version").Str(Safe(vw.version)).Raw(",").Key("windows").Raw("[");
        for (std::size_t w = 0; w < vw.windows.size(); ++w) {
          if (w) j.Raw(",");
          Window(j, m, vw.windows[w]);
        }
        j.Raw("]}");
      }
      j.Raw("]");
    }
    j.Raw("}");
  }
  j.Raw("]}");
  return j.Take();
}

}  // namespace modelwatch::exposition
