// `ground_truth`: delayed labels joined to predictions by request id.
#include <string>
#include <utility>

#include "config/enums.h"
#include "config/parsers.h"

namespace modelwatch::config::internal {

void ParseGroundTruth(const Context& ctx, const YAML::Node& node, const std::string& where,
                      GroundTruthConfig* gt) {
  MapReader r(ctx, node, where,
              {"source", "record", "task", "prediction", "score", "positive_class", "join_ttl",
               "max_pending", "max_pending_labels", "windows", "min_samples"});
  if (!r.ok()) return;
  // `source: predictions` (log shapes): the label is in the prediction line itself.
  gt->from_predictions =
      r.Has("source") && r.Get("source").IsScalar() && r.Get("source").Scalar() == "predictions";
  if (r.Require("source") && !gt->from_predictions) {
    ParseSource(ctx, r.Get("source"), r.PathOf("source"), &gt->source);
  }
  if (r.Require("record")) {
    MapReader rec(ctx, r.Get("record"), r.PathOf("record"),
                  {"request_id", "label", "timestamp", "decode", "batch"});
    if (gt->from_predictions) {
      if (rec.Require("label")) FieldPointer(rec, "label", &gt->record.label);
      for (const char* k : {"decode", "batch"}) {
        if (rec.Has(k)) rec.Error(k, "the label is in the prediction line: use the model's record");
      }
    } else if (rec.Require("request_id")) {
      rec.Pointer("request_id", &gt->record.request_id, /*allow_empty=*/false);
    }
    if (!gt->from_predictions) {
      // The label log's own shapes (issue #8): decode steps and batch rows, as in `record`.
      RecordConfig shapes;
      ParseRecordShapes(rec, &shapes);
      gt->record.decode = std::move(shapes.decode);
      gt->record.batch = std::move(shapes.batch);
    }
    if (!gt->from_predictions && rec.Require("label")) {
      if (gt->record.batch) {  // a row's label may be relative to it ("0/0")
        FieldPointer(rec, "label", &gt->record.label);
      } else {
        rec.Pointer("label", &gt->record.label, /*allow_empty=*/false);
      }
    }
    rec.Pointer("timestamp", &gt->record.timestamp);
  }
  r.Enum<Task>("task", &gt->task, kTasks);
  if (r.Require("prediction")) r.NonEmptyString("prediction", &gt->prediction);
  r.String("score", &gt->score);
  r.String("positive_class", &gt->positive_class);
  r.Duration("join_ttl", &gt->join_ttl);
  r.Uint("max_pending", &gt->max_pending, 1);
  r.Uint("max_pending_labels", &gt->max_pending_labels, 1);
  r.Windows("windows", &gt->windows);
  r.Int("min_samples", &gt->min_samples, 1, INT64_MAX);
}

}  // namespace modelwatch::config::internal
