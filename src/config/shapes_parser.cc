// Log-shape keys (issue #8): pointer lists, `timezone`, `parse`, `record.decode|batch|pair`,
// `match`, relative feature paths. The flat keys stay in model_parser.cc.
#include <charconv>
#include <regex>
#include <string>

#include "config/enums.h"
#include "config/parsers.h"

namespace modelwatch::config::internal {
namespace {

constexpr EnumName<DecodeAs> kDecodeAs[] = {{"json", DecodeAs::kJson},
                                            {"base64", DecodeAs::kBase64},
                                            {"csv", DecodeAs::kCsv},
                                            {"auto", DecodeAs::kAuto}};

void ParseDecode(const MapReader& record, RecordConfig* rec) {
  auto seq = record.Sequence("decode");
  if (!seq) return;
  for (std::size_t i = 0; i < seq->size(); ++i) {
    std::string where = record.PathOf("decode") + "[" + std::to_string(i) + "]";
    MapReader r(record.ctx(), (*seq)[i], where, {"path", "as", "encoding", "content_type"});
    DecodeStep d;
    if (r.Require("path")) r.Pointer("path", &d.path, /*allow_empty=*/false);
    r.Enum<DecodeAs>("as", &d.as, kDecodeAs);
    r.Pointer("encoding", &d.encoding, /*allow_empty=*/false);
    r.Pointer("content_type", &d.content_type, /*allow_empty=*/false);
    if (d.as == DecodeAs::kAuto && !r.Has("encoding")) {
      r.Error("as", "auto needs `encoding:` (a pointer to CSV|JSON|BASE64)");
    }
    rec->decode.push_back(d);
  }
}

void ParseBatch(const MapReader& record, RecordConfig* rec) {
  if (!record.Has("batch")) return;
  MapReader r(record.ctx(), record.Get("batch"), record.PathOf("batch"),
              {"path", "names", "tensors", "id"});
  BatchConfig b;
  r.Pointer("path", &b.path, /*allow_empty=*/false);
  r.Pointer("names", &b.names, /*allow_empty=*/false);
  if (r.Has("tensors")) {
    std::string first;
    PointerOrList(r, "tensors", &first, &b.tensors);
    if (!first.empty()) b.tensors.insert(b.tensors.begin(), first);
  }
  r.String("id", &b.id);
  if (r.ok() && b.path.empty() && b.tensors.empty()) {
    record.Error("batch", "give `path` (an array of rows) or `tensors` (OIP tensor arrays)");
  }
  if (r.Has("id") && b.id.find("{index}") == std::string::npos) {
    r.Error("id", "must contain {index} so that rows of one line get distinct ids");
  }
  rec->batch = b;
}

void ParsePair(const MapReader& record, RecordConfig* rec) {
  if (!record.Has("pair")) return;
  MapReader r(record.ctx(), record.Get("pair"), record.PathOf("pair"),
              {"key", "kind", "timeout", "max_pending"});
  PairConfig p;
  if (r.Require("key")) r.Pointer("key", &p.key, /*allow_empty=*/false);
  if (r.Require("kind")) {
    MapReader k(r.ctx(), r.Get("kind"), r.PathOf("kind"), {"path", "request", "response"});
    if (k.Require("path")) k.Pointer("path", &p.kind_path, /*allow_empty=*/false);
    if (k.Require("request")) k.NonEmptyString("request", &p.request);
    if (k.Require("response")) k.NonEmptyString("response", &p.response);
    if (k.ok() && !p.request.empty() && p.request == p.response) {
      k.Error("response", "must differ from request");
    }
  }
  r.Duration("timeout", &p.timeout);
  r.Uint("max_pending", &p.max_pending, 1);
  rec->pair = p;
}

bool IsRelative(const std::string& p) { return p == "0" || p.rfind("0/", 0) == 0; }

}  // namespace

bool PointerOrList(const MapReader& r, std::string_view key, std::string* first,
                   std::vector<std::string>* rest) {
  YAML::Node node = r.Get(key);
  if (!node.IsDefined()) return false;
  if (!node.IsSequence()) return r.Pointer(key, first, /*allow_empty=*/false);
  std::vector<std::string> list;
  if (!r.StringList(key, &list)) return false;
  if (list.empty()) {
    r.Error(key, "must list at least one JSON Pointer");
    return false;
  }
  bool ok = true;
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto problem = PointerProblem(list[i]);
    if (!problem && list[i].empty()) problem = "must not be empty";
    if (problem) {
      r.ctx().errors->Add(node[i].Mark(), r.PathOf(key) + "[" + std::to_string(i) +
                                              "]: invalid JSON Pointer '" + list[i] +
                                              "': " + *problem);
      ok = false;
    }
  }
  if (!ok) return false;
  *first = list[0];
  rest->assign(list.begin() + 1, list.end());
  return true;
}

bool FieldPointer(const MapReader& r, std::string_view key, std::string* out) {
  std::string s;
  if (!r.String(key, &s)) return false;
  if (IsRelative(s)) {
    auto problem = s.size() > 1 ? PointerProblem(s.substr(1)) : std::nullopt;
    if (problem) {
      r.Error(key, "invalid relative JSON Pointer '" + s + "': " + *problem);
      return false;
    }
    *out = s;
    return true;
  }
  return r.Pointer(key, out, /*allow_empty=*/false);
}

std::optional<double> ParseTimezone(const std::string& text) {
  if (text == "UTC" || text == "Z" || text == "utc") return 0.0;
  // ±HH:MM or ±HHMM
  if (text.size() < 5 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  std::string digits;
  for (std::size_t i = 1; i < text.size(); ++i) {
    if (text[i] == ':' && i == 3) continue;
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    digits += text[i];
  }
  if (digits.size() != 4) return std::nullopt;
  const int h = std::stoi(digits.substr(0, 2)), m = std::stoi(digits.substr(2));
  if (h > 23 || m > 59) return std::nullopt;
  return (text[0] == '-' ? -1.0 : 1.0) * (h * 3600 + m * 60);
}

void ParseRecordShapes(const MapReader& record, RecordConfig* rec) {
  ParseDecode(record, rec);
  ParseBatch(record, rec);
  ParsePair(record, rec);
}

void ParseMatch(const MapReader& model, std::optional<MatchConfig>* out) {
  if (!model.Has("match")) return;
  MapReader r(model.ctx(), model.Get("match"), model.PathOf("match"),
              {"path", "equals", "in", "prefix", "regex"});
  MatchConfig m;
  if (r.Require("path")) r.Pointer("path", &m.path, /*allow_empty=*/false);
  int given = 0;
  std::string v;
  if (r.String("equals", &v)) m.op = MatchConfig::Op::kEquals, m.values = {v}, ++given;
  if (r.String("prefix", &v)) m.op = MatchConfig::Op::kPrefix, m.values = {v}, ++given;
  if (r.String("regex", &v)) {
    m.op = MatchConfig::Op::kRegex, m.values = {v}, ++given;
    try {
      std::regex re(v, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      r.Error("regex", "invalid regular expression '" + v + "': " + e.what());
    }
  }
  std::vector<std::string> list;
  if (r.StringList("in", &list)) {
    m.op = MatchConfig::Op::kIn, m.values = list, ++given;
    if (list.empty()) r.Error("in", "must list at least one value");
  }
  if (r.ok() && given != 1) {
    model.Error("match", "give exactly one of equals, in, prefix or regex");
  }
  *out = m;
}

void ApplyParseSettings(const MapReader& settings, ModelSettings* s) {
  if (!settings.Has("parse")) return;
  MapReader r(settings.ctx(), settings.Get("parse"), settings.PathOf("parse"),
              {"numbers_in_strings", "nan_literals"});
  r.Bool("numbers_in_strings", &s->numbers_in_strings);
  r.Bool("nan_literals", &s->nan_literals);
}

}  // namespace modelwatch::config::internal

namespace modelwatch::config::internal {

bool NeedsShapedParser(const ModelConfig& m) {
  const RecordConfig& r = m.record;
  if (!r.decode.empty() || r.batch || r.pair || m.match || !m.probabilities.empty()) return true;
  if (m.ground_truth && m.ground_truth->from_predictions) return true;
  for (const auto* list : {&m.features, &m.outputs}) {
    for (const FeatureConfig& f : *list) {
      if (!f.tensor.empty() || IsRelative(f.path) || f.path.find("/{index}") != std::string::npos) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace modelwatch::config::internal
