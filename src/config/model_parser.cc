// One entry of `models`: its source, record pointers, fields, reference and extras.
#include <string>

#include "config/enums.h"
#include "config/parsers.h"

namespace modelwatch::config::internal {
namespace {

void ParseTimestamp(const MapReader& record, RecordConfig* rec) {
  if (!record.Has("timestamp")) return;
  MapReader r(record.ctx(), record.Get("timestamp"), record.PathOf("timestamp"),
              {"path", "format", "timezone"});
  TimestampField ts;
  if (r.Require("path")) PointerOrList(r, "path", &ts.path, &ts.fallback_paths);
  r.Enum<TimestampFormat>("format", &ts.format, kTimestampFormats);
  std::string tz;
  if (r.NonEmptyString("timezone", &tz)) {
    if (auto offset = ParseTimezone(tz)) {
      ts.timezone_offset = *offset;
    } else {
      r.Error("timezone", "invalid timezone '" + tz + "' (expected UTC or an offset like +02:00)");
    }
    if (ts.format != TimestampFormat::kIso8601) {
      r.Error("timezone", "only format: iso8601 takes a timezone (for zone-less text)");
    }
  }
  rec->timestamp = ts;
}

void ParseBuckets(const MapReader& r, std::vector<double>* out) {
  auto seq = r.Sequence("buckets");
  if (!seq) return;
  if (seq->size() == 0) r.Error("buckets", "must list at least one bucket bound");
  std::vector<double> buckets;
  for (std::size_t i = 0; i < seq->size(); ++i) {
    YAML::Node item = (*seq)[i];
    std::string at = r.PathOf("buckets") + "[" + std::to_string(i) + "]";
    auto v = AsNumber(item);
    if (!v) {
      r.ctx().errors->Add(item.Mark(), at + ": expected a number");
    } else if (*v <= 0) {
      r.ctx().errors->Add(item.Mark(), at + ": bucket bounds must be positive");
    } else if (!buckets.empty() && *v <= buckets.back()) {
      r.ctx().errors->Add(item.Mark(), at + ": bucket bounds must be strictly increasing");
    } else {
      buckets.push_back(*v);
    }
  }
  *out = std::move(buckets);
}

void ParseLatency(const MapReader& record, RecordConfig* rec) {
  if (!record.Has("latency")) return;
  MapReader r(record.ctx(), record.Get("latency"), record.PathOf("latency"),
              {"path", "unit", "objective", "buckets", "from_pair"});
  LatencyField lat;
  r.Bool("from_pair", &lat.from_pair);
  if (lat.from_pair && r.Has("path")) r.Error("from_pair", "give either path or from_pair");
  if (!lat.from_pair && r.Require("path")) {
    r.Pointer("path", &lat.path, /*allow_empty=*/false);
  }
  r.Enum<LatencyUnit>("unit", &lat.unit, kLatencyUnits);
  double objective = 0;
  if (r.Duration("objective", &objective)) lat.objective_seconds = objective;
  ParseBuckets(r, &lat.buckets);
  rec->latency = lat;
}

void ParseRecord(const MapReader& model, RecordConfig* rec) {
  if (!model.Has("record")) return;
  MapReader r(model.ctx(), model.Get("record"), model.PathOf("record"),
              {"timestamp", "request_id", "model_version", "latency", "decode", "batch", "pair"});
  ParseTimestamp(r, rec);
  PointerOrList(r, "request_id", &rec->request_id, &rec->request_id_fallbacks);
  r.Pointer("model_version", &rec->model_version);
  ParseLatency(r, rec);
  ParseRecordShapes(r, rec);
}

void ParseReference(const MapReader& model, ReferenceConfig* ref) {
  const char* kNeedOne = "reference: one of path or baseline is required";
  if (!model.Has("reference")) {
    model.ctx().errors->Add(model.mark(), model.where() + ": " + kNeedOne);
    return;
  }
  MapReader r(model.ctx(), model.Get("reference"), model.PathOf("reference"),
              {"path", "format", "target", "baseline"});
  r.NonEmptyString("path", &ref->path);
  r.NonEmptyString("baseline", &ref->baseline);
  r.Enum<ReferenceFormat>("format", &ref->format, kReferenceFormats);
  r.String("target", &ref->target);
  if (r.Has("path") && r.Has("baseline")) {
    r.Error("baseline", "give either path or baseline, not both");
  } else if (r.ok() && !r.Has("path") && !r.Has("baseline")) {
    model.ctx().errors->Add(r.mark(), model.where() + ": " + kNeedOne);
  }
}

void ParseProcess(const MapReader& model, std::optional<ProcessConfig>* out) {
  if (!model.Has("process")) return;
  MapReader r(model.ctx(), model.Get("process"), model.PathOf("process"),
              {"pid_file", "name", "cgroup"});
  ProcessConfig p;
  r.NonEmptyString("pid_file", &p.pid_file);
  r.NonEmptyString("name", &p.name);
  r.NonEmptyString("cgroup", &p.cgroup);
  int given = int{r.Has("pid_file")} + int{r.Has("name")} + int{r.Has("cgroup")};
  if (r.ok() && given != 1) {
    model.Error("process", "give exactly one of pid_file, name or cgroup");
  }
  *out = p;
}

void ParseCost(const MapReader& model, std::optional<CostConfig>* out) {
  if (!model.Has("cost_per_hour")) return;
  MapReader r(model.ctx(), model.Get("cost_per_hour"), model.PathOf("cost_per_hour"),
              {"amount", "currency"});
  CostConfig c;
  if (r.Require("amount") && r.Number("amount", &c.amount) && c.amount < 0) {
    r.Error("amount", "must not be negative");
  }
  r.NonEmptyString("currency", &c.currency);
  *out = c;
}

// [a-zA-Z0-9_.:-]+: the `model` label value.
bool IsModelName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::vector<std::string_view> ModelKeys() {
  std::vector<std::string_view> keys = {"name",          "source",    "record",       "features",
                                        "outputs",       "reference", "ground_truth", "process",
                                        "cost_per_hour", "match"};
  keys.insert(keys.end(), kSettingsKeys.begin(), kSettingsKeys.end());
  return keys;
}

}  // namespace

void ParseSource(const Context& ctx, const YAML::Node& node, const std::string& where,
                 SourceConfig* source) {
  MapReader r(ctx, node, where,
              {"paths", "exclude", "format", "start_at", "max_line_bytes", "envelope"});
  if (r.Require("paths") && r.StringList("paths", &source->paths) && source->paths.empty()) {
    r.Error("paths", "must list at least one path");
  }
  for (std::size_t i = 0; i < source->paths.size(); ++i) {
    if (!source->paths[i].empty()) continue;
    ctx.errors->Add(r.Get("paths")[i].Mark(),
                    r.PathOf("paths") + "[" + std::to_string(i) + "]: must not be empty");
  }
  r.StringList("exclude", &source->exclude);
  std::string_view format;
  if (r.Enum<std::string_view>("format", &format, kSourceFormats)) source->format = format;
  r.Enum<StartAt>("start_at", &source->start_at, kStartAts);
  r.Size("max_line_bytes", &source->max_line_bytes);
  r.Enum<SourceConfig::Envelope>("envelope", &source->envelope, kEnvelopes);
}

ModelConfig ParseModel(const Context& ctx, const YAML::Node& node, const std::string& where,
                       const ModelSettings& defaults) {
  MapReader r(ctx, node, where, ModelKeys());
  ModelConfig m;
  m.settings = defaults;
  if (!r.ok()) return m;
  if (r.Require("name") && r.NonEmptyString("name", &m.name) && !IsModelName(m.name)) {
    r.Error("name", "invalid model name '" + m.name + "' (use letters, digits, _ . : -)");
  }
  if (r.Require("source")) ParseSource(ctx, r.Get("source"), r.PathOf("source"), &m.source);
  ParseRecord(r, &m.record);
  ParseFields(r, "features", &m.features, &m.infer_features);
  ParseFields(r, "outputs", &m.outputs, nullptr);
  SplitProbabilities(&m);
  ParseMatch(r, &m.match);
  ParseReference(r, &m.reference);
  if (r.Has("ground_truth") && !r.Get("ground_truth").IsMap()) {
    r.Error("ground_truth", "expected a mapping of keys to values");
  } else if (r.Has("ground_truth")) {
    m.ground_truth.emplace();
    ParseGroundTruth(ctx, r.Get("ground_truth"), r.PathOf("ground_truth"), &*m.ground_truth);
  }
  ParseProcess(r, &m.process);
  ParseCost(r, &m.cost_per_hour);
  ApplySettings(r, &m.settings);
  m.record.shaped = NeedsShapedParser(m);
  return m;
}

}  // namespace modelwatch::config::internal
