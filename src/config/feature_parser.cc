// `features` and `outputs`: lists of fields read from each record, or { infer: {...} }.
#include <string>

#include "config/enums.h"
#include "config/parsers.h"

namespace modelwatch::config::internal {
namespace {

// [a-zA-Z_][a-zA-Z0-9_.:-]*: usable as a label value and as a reference row key.
bool IsFieldName(const std::string& name) {
  if (name.empty()) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(name[0])) return false;
  for (char c : name) {
    bool ok = alpha(c) || (c >= '0' && c <= '9') || c == '.' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void ParseRange(const MapReader& field, FeatureConfig* f) {
  if (!field.Has("range")) return;
  MapReader r(field.ctx(), field.Get("range"), field.PathOf("range"), {"min", "max"});
  Range range;
  double v = 0;
  if (r.Number("min", &v)) range.min = v;
  if (r.Number("max", &v)) range.max = v;
  if (range.min && range.max && *range.min > *range.max) {
    r.Error("max", "must not be less than min");
  }
  if (f->type != FeatureType::kNumeric) {
    field.Error("range", "only numeric fields take a range");
  }
  f->range = range;
}

void ParseFieldDrift(const MapReader& field, FeatureConfig* f) {
  if (!field.Has("drift")) return;
  MapReader r(field.ctx(), field.Get("drift"), field.PathOf("drift"), {"method", "threshold"});
  DriftMethod m = DriftMethod::kAuto;
  if (r.Enum<DriftMethod>("method", &m, kDriftMethods)) f->drift_method = m;
  double t = 0;
  if (r.Number("threshold", &t)) {
    if (t <= 0) {
      r.Error("threshold", "a threshold must be greater than zero");
    } else {
      f->drift_threshold = t;
    }
  }
}

FeatureConfig ParseField(const Context& ctx, const YAML::Node& node, const std::string& where) {
  MapReader r(ctx, node, where,
              {"name", "path", "type", "range", "expose_categories", "drift", "tensor", "column",
               "classes"});
  FeatureConfig f;
  if (r.Require("name") && r.String("name", &f.name) && !IsFieldName(f.name)) {
    r.Error("name", "invalid name '" + f.name + "' (use letters, digits, _ . : -, not starting " +
                        "with a digit)");
  }
  r.NonEmptyString("tensor", &f.tensor);
  if (r.Has("column") && r.Int("column", &f.column, 0, INT32_MAX) && !r.Has("tensor")) {
    r.Error("column", "only a `tensor:` field takes a column");
  }
  if (r.Has("tensor") && r.Has("path")) r.Error("tensor", "give either path or tensor");
  if (!r.Has("tensor") && r.Require("path")) FieldPointer(r, "path", &f.path);
  std::string type;
  if (r.Has("type") && r.Get("type").IsScalar() && r.Get("type").Scalar() == "probabilities") {
    f.probabilities = true;
    if (r.Require("classes") && r.StringList("classes", &f.classes) && f.classes.empty()) {
      r.Error("classes", "must list at least one class");
    }
  } else {
    r.Enum<FeatureType>("type", &f.type, kFeatureTypes);
    if (r.Has("classes")) r.Error("classes", "only type: probabilities takes classes");
  }
  ParseRange(r, &f);
  if (r.Enum<ExposeCategories>("expose_categories", &f.expose_categories, kExposeCategories) &&
      f.type != FeatureType::kCategorical) {
    r.Error("expose_categories", "only categorical fields take expose_categories");
  }
  ParseFieldDrift(r, &f);
  return f;
}

void ParseInfer(const MapReader& model, std::string_view key,
                std::optional<FeatureInference>* infer) {
  MapReader outer(model.ctx(), model.Get(key), model.PathOf(key), {"infer"});
  if (!outer.ok() || !outer.Require("infer")) return;
  MapReader r(model.ctx(), outer.Get("infer"), outer.PathOf("infer"), {"under", "max"});
  FeatureInference inf;
  if (r.Require("under")) r.Pointer("under", &inf.under);
  r.Int("max", &inf.max, 1, 100000);
  *infer = inf;
}

}  // namespace

void SplitProbabilities(ModelConfig* m) {
  std::vector<FeatureConfig> kept;
  for (FeatureConfig& f : m->outputs) {
    if (f.probabilities) {
      m->probabilities.push_back({f.name, f.path, f.classes});
    } else {
      kept.push_back(std::move(f));
    }
  }
  m->outputs = std::move(kept);
}

void ParseFields(const MapReader& model, std::string_view key, std::vector<FeatureConfig>* fields,
                 std::optional<FeatureInference>* infer) {
  if (!model.Has(key)) return;
  YAML::Node node = model.Get(key);
  if (infer != nullptr && node.IsMap()) {
    ParseInfer(model, key, infer);
    return;
  }
  if (!node.IsSequence()) {
    model.Error(key, infer != nullptr ? "expected a list of fields or { infer: { under, max } }"
                                      : "expected a list of fields");
    return;
  }
  auto seq = model.Sequence(key);
  for (std::size_t i = 0; i < seq->size(); ++i) {
    std::string where = model.PathOf(key) + "[" + std::to_string(i) + "]";
    fields->push_back(ParseField(model.ctx(), (*seq)[i], where));
  }
}

}  // namespace modelwatch::config::internal
