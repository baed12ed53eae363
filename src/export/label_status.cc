#include "export/label_status.h"

#include <modelwatch/engine/quality_snapshot.h>
#include <modelwatch/export/exposition.h>

namespace modelwatch::exposition {

namespace {

void Metrics(JsonWriter& j, const std::vector<engine::QualityMetric>& metrics) {
  j.Raw("{");
  const char* sep = "";
  for (const engine::QualityMetric& q : metrics) {
    j.Raw(sep).Key(q.name).Num(q.value);
    sep = ",";
  }
  j.Raw("}");
}

}  // namespace

void LabelsStatusJson(JsonWriter& j, const engine::ModelSnapshot& m) {
  if (!m.labels) return;
  const engine::LabelsView& v = *m.labels;
  const engine::SourceView& src = v.source;
  j.Raw(",").Key("labels").Raw("{").Key("source").Raw("{");
  j.Key("lines").Num(double(src.lines)).Raw(",").Key("bytes").Num(double(src.bytes));
  j.Raw(",").Key("lag_bytes").Num(double(src.lag_bytes)).Raw(",").Key("files").Raw("[");
  for (std::size_t i = 0; i < src.file_list.size(); ++i) {
    const engine::FileView& f = src.file_list[i];
    if (i) j.Raw(",");
    j.Raw("{").Key("path").Str(SanitizeLabelValue(f.path)).Raw(",").Key("position");
    j.Num(double(f.position)).Raw(",").Key("size").Num(double(f.size)).Raw("}");
  }
  j.Raw("]},").Key("joined").Num(double(v.counters.joined));
  j.Raw(",").Key("pending_predictions").Num(double(v.pending_predictions));
  j.Raw(",").Key("pending_labels").Num(double(v.pending_labels));
  j.Raw(",").Key("reference_quality");
  Metrics(j, v.reference);
  j.Raw(",").Key("windows").Raw("[");
  for (std::size_t w = 0; w < v.windows.size(); ++w) {
    const engine::QualityWindow& q = v.windows[w];
    if (w) j.Raw(",");
    j.Raw("{").Key("window").Str(q.label).Raw(",").Key("labeled").Num(double(q.labeled));
    j.Raw(",").Key("quality");
    Metrics(j, q.realised);
    j.Raw(",").Key("estimated");
    Metrics(j, q.estimated);
    j.Raw("}");
  }
  j.Raw("]}");
}

}  // namespace modelwatch::exposition
