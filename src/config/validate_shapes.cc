// Checks across the log-shape keys (issue #8).
#include <string>

#include "config/validate.h"

namespace modelwatch::config::internal {
namespace {

bool IsRelative(const std::string& p) { return p == "0" || p.rfind("0/", 0) == 0; }

}  // namespace

void CheckShapes(const ModelConfig& m, const std::string& where, const MarkIndex& marks,
                 ErrorSink* errors) {
  const RecordConfig& rec = m.record;
  auto check_field = [&](const FeatureConfig& f, const std::string& at) {
    if (IsRelative(f.path) && !rec.batch) {
      errors->Add(marks.Find(at + ".path"), at + ".path: '" + f.path +
                                                "' is relative to a batch row; set " + where +
                                                ".record.batch");
    }
    if (!f.tensor.empty() && (!rec.batch || rec.batch->tensors.empty())) {
      errors->Add(marks.Find(at + ".tensor"),
                  at + ".tensor: needs " + where + ".record.batch.tensors (the tensor arrays)");
    }
    if (f.path.find("/{index}") != std::string::npos && !rec.batch) {
      errors->Add(marks.Find(at + ".path"),
                  at + ".path: {index} is the batch row; set " + where + ".record.batch");
    }
  };
  for (std::size_t i = 0; i < m.features.size(); ++i) {
    check_field(m.features[i], where + ".features[" + std::to_string(i) + "]");
  }
  for (std::size_t i = 0; i < m.outputs.size(); ++i) {
    check_field(m.outputs[i], where + ".outputs[" + std::to_string(i) + "]");
  }
  if (rec.latency && rec.latency->from_pair) {
    const std::string at = where + ".record.latency.from_pair";
    if (!rec.pair) {
      errors->Add(marks.Find(at), at + ": needs " + where + ".record.pair");
    } else if (!rec.timestamp || (rec.timestamp->path.rfind("/request/", 0) != 0 &&
                                  rec.timestamp->path.rfind("/response/", 0) != 0)) {
      errors->Add(marks.Find(at), at + ": needs record.timestamp.path under /request/ or " +
                                      "/response/ (read from both halves of the pair)");
    }
  }
  if (rec.shaped && m.reference.format == ReferenceFormat::kLog) {
    errors->Add(marks.Find(where + ".reference.format"),
                where + ".reference.format: log reads the reference with the flat record " +
                    "pointers; with record.decode, batch, pair, match, tensors or relative " +
                    "paths give the reference as rows");
  }
  if (m.ground_truth && m.ground_truth->from_predictions &&
      IsRelative(m.ground_truth->record.label) && !rec.batch) {
    errors->Add(marks.Find(where + ".ground_truth.record.label"),
                where + ".ground_truth.record.label: relative to a batch row; set " + where +
                    ".record.batch");
  }
}

}  // namespace modelwatch::config::internal
