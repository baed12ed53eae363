#include <modelwatch/parse/record_parser.h>

#include "parse/pointer_tree.h"

namespace modelwatch::parse {

const char* ParseOutcomeName(ParseOutcome o) {
  switch (o) {
    case ParseOutcome::kOk:
      return "ok";
    case ParseOutcome::kInvalidJson:
      return "invalid_json";
    case ParseOutcome::kNotAnObject:
      return "not_an_object";
    case ParseOutcome::kInvalidUtf8:
      return "invalid_utf8";
    case ParseOutcome::kBadTimestamp:
      return "bad_timestamp";
  }
  return "unknown";
}

RecordLayout LayoutFor(const config::ModelConfig& model) {
  RecordLayout layout;
  const config::RecordConfig& record = model.record;
  layout.timestamp = record.timestamp;
  layout.timestamp_required =
      record.timestamp.has_value() && model.settings.time == config::TimeMode::kEvent;
  layout.request_id = record.request_id;
  layout.model_version = record.model_version;
  layout.latency = record.latency;
  if (layout.latency && layout.latency->from_pair) layout.latency.reset();
  layout.request_id_fallbacks = record.request_id_fallbacks;
  layout.numbers_in_strings = model.settings.numbers_in_strings;
  layout.fields.reserve(model.features.size() + model.outputs.size());
  for (const auto* list : {&model.features, &model.outputs}) {
    for (const config::FeatureConfig& f : *list) layout.fields.push_back({f.path, f.type});
  }
  return layout;
}

RecordLayout LayoutForRows(const config::ModelConfig& model) {
  RecordLayout layout;
  layout.fields.reserve(model.features.size() + model.outputs.size() + 1);
  for (const auto* list : {&model.features, &model.outputs}) {
    for (const config::FeatureConfig& f : *list) {
      layout.fields.push_back({"/" + EscapePointerSegment(f.name), f.type});
    }
  }
  if (!model.reference.target.empty()) {
    // Labels are compared as text, so a numeric target is canonicalised like any categorical.
    layout.fields.push_back(
        {"/" + EscapePointerSegment(model.reference.target), config::FeatureType::kCategorical});
  }
  return layout;
}

}  // namespace modelwatch::parse
