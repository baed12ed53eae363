// ShapedParser: see the header. The steps are small functions over one ValueTree per line;
// pointers are compiled at configuration time into key ids (ValueTree::InternKey).
#include <modelwatch/parse/shaped_parser.h>

#include <array>
#include <cmath>
#include <deque>
#include <regex>
#include <string>
#include <unordered_map>
#include <vector>

#include "parse/json_text.h"
#include "parse/pointer_tree.h"
#include "parse/scalar.h"
#include "parse/shaped_impl.h"
#include "parse/text_codecs.h"

namespace modelwatch::parse {

Status ShapedParser::Impl::Compile() {
  const config::RecordConfig& rec = model.record;
  key_name = tree.InternKey("name");
  key_shape = tree.InternKey("shape");
  key_data = tree.InternKey("data");
  key_contents = tree.InternKey("contents");
  key_request = tree.InternKey("request");
  key_response = tree.InternKey("response");
  for (const char* k : {"boolContents", "intContents", "int64Contents", "uintContents",
                        "uint64Contents", "fp32Contents", "fp64Contents", "bytesContents"}) {
    contents_keys.push_back(tree.InternKey(k));
  }
  std::vector<std::string> bad;
  auto need = [&](const CompiledPointer& p, const std::string& text) {
    if (!p.valid) bad.push_back(text);
    return p;
  };
  if (rec.timestamp) {
    std::vector<std::string> paths = {rec.timestamp->path};
    paths.insert(paths.end(), rec.timestamp->fallback_paths.begin(),
                 rec.timestamp->fallback_paths.end());
    for (const std::string& p : paths) {
      timestamp.push_back(need(Pointer(p), p));
      if (rec.pair) {
        // "/request/time" -> "/time" read from either half alone.
        for (std::string_view half : {"/request/", "/response/"}) {
          if (p.rfind(half, 0) == 0) half_timestamp.push_back(Pointer(p.substr(half.size() - 1)));
        }
      }
    }
    timestamp_required = model.settings.time == config::TimeMode::kEvent;
  }
  if (!rec.request_id.empty()) {
    request_id.push_back(need(Pointer(rec.request_id), rec.request_id));
    for (const std::string& p : rec.request_id_fallbacks) request_id.push_back(need(Pointer(p), p));
  }
  if (!rec.model_version.empty())
    model_version = need(Pointer(rec.model_version), rec.model_version);
  if (rec.latency && !rec.latency->from_pair) {
    latency = need(Pointer(rec.latency->path), rec.latency->path);
  }
  if (rec.latency) units_per_second = UnitsPerSecond(rec.latency->unit);
  if (model.match) {
    match = need(Pointer(model.match->path), model.match->path);
    if (model.match->op == config::MatchConfig::Op::kRegex) {
      try {
        match_regex.emplace(model.match->values[0], std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        return Status::Error("invalid match regex: " + std::string(e.what()));
      }
    }
  }
  if (model.ground_truth && model.ground_truth->from_predictions) {
    label = need(Pointer(model.ground_truth->record.label), model.ground_truth->record.label);
    label_numeric = model.ground_truth->task == config::Task::kRegression;
  }
  if (rec.batch) {
    if (!rec.batch->path.empty()) batch_rows = need(Pointer(rec.batch->path), rec.batch->path);
    if (!rec.batch->names.empty()) batch_names = need(Pointer(rec.batch->names), rec.batch->names);
    for (const std::string& t : rec.batch->tensors) tensor_arrays.push_back(need(Pointer(t), t));
  }
  if (rec.pair) {
    pair_key = need(Pointer(rec.pair->key), rec.pair->key);
    pair_kind = need(Pointer(rec.pair->kind_path), rec.pair->kind_path);
  }
  for (const config::DecodeStep& d : rec.decode) {
    Decode c;
    c.path = need(Pointer(d.path), d.path);
    if (!d.encoding.empty()) c.encoding = need(Pointer(d.encoding), d.encoding);
    if (!d.content_type.empty()) c.content_type = need(Pointer(d.content_type), d.content_type);
    c.as = d.as;
    decodes.push_back(std::move(c));
  }
  for (const auto* list : {&model.features, &model.outputs}) {
    for (const config::FeatureConfig& f : *list) {
      types.push_back(f.type);
      if (!f.tensor.empty()) {
        int slot = -1;
        for (std::size_t i = 0; i < tensor_names.size(); ++i) {
          if (tensor_names[i] == f.tensor) slot = static_cast<int>(i);
        }
        if (slot < 0) {
          slot = static_cast<int>(tensor_names.size());
          tensor_names.push_back(f.tensor);
        }
        field_tensor.push_back(slot);
        CompiledPointer column;
        column.valid = true;
        column.steps.push_back({kNoKey, f.column, false});
        fields.push_back(column);
      } else {
        field_tensor.push_back(-1);
        fields.push_back(need(Pointer(f.path), f.path));
      }
    }
  }
  std::size_t classes = 0;
  for (const config::ProbabilitiesConfig& p : model.probabilities) {
    probabilities.push_back(need(Pointer(p.path), p.path));
    std::vector<std::uint32_t> keys;
    for (const std::string& c : p.classes) keys.push_back(tree.InternKey(c));
    class_keys.push_back(std::move(keys));
    classes += p.classes.size();
  }
  if (!bad.empty()) return Status::Error("invalid JSON Pointer \"" + bad[0] + "\"");
  record.fields.resize(types.size());
  record.probabilities.assign(classes, std::nan(""));
  field_text.resize(types.size());
  tensor_nodes.resize(tensor_names.size());
  decode_buffers.resize(decodes.size());
  if (parser.allocate(64 * 1024) != sj::SUCCESS) {
    return Status::Error("cannot allocate the JSON parser");
  }
  return Status::Ok();
}

bool ShapedParser::Impl::Text(std::uint32_t node, std::string_view* out) {
  *out = {};
  if (node == kNoNode) return true;
  FieldValue v;
  if (!ReadCategorical(tree.ToScalar(node), scratch.data(), &v)) return false;
  if (v.state == ValueState::kValid) *out = v.text;
  return true;
}

bool ShapedParser::Impl::MatchOk() {
  std::string_view text;
  const std::uint32_t n = Resolve(match, kNoNode, 0);
  if (n == kNoNode || !Text(n, &text)) return false;
  const config::MatchConfig& m = *model.match;
  switch (m.op) {
    case config::MatchConfig::Op::kEquals:
      return text == m.values[0];
    case config::MatchConfig::Op::kPrefix:
      return text.substr(0, m.values[0].size()) == m.values[0];
    case config::MatchConfig::Op::kIn:
      for (const std::string& v : m.values) {
        if (text == v) return true;
      }
      return false;
    case config::MatchConfig::Op::kRegex:
      return std::regex_match(text.begin(), text.end(), *match_regex);
  }
  return false;
}

std::optional<double> ShapedParser::Impl::HalfTime() {
  const config::TimestampField& ts = *model.record.timestamp;
  for (const CompiledPointer& p : half_timestamp) {
    const std::uint32_t n = Resolve(p, kNoNode, 0);
    if (n == kNoNode) continue;
    std::optional<double> t;
    if (ReadTimestamp(tree.ToScalar(n), ts.format, &t, ts.timezone_offset) && t) return t;
  }
  return std::nullopt;
}

ParseOutcome ShapedParser::Impl::BuildLine(const char* data, std::size_t len,
                                           std::size_t capacity) {
  std::uint32_t r = kNoNode;
  if (const sj::error_code e = tree.Build(parser, data, len, capacity, &r)) return ShapedOutcome(e);
  if (tree.node(r).kind != JsonKind::kObject) return ParseOutcome::kNotAnObject;
  root = r;
  return ParseOutcome::kOk;
}

ShapedParser::ShapedParser() : impl_(std::make_unique<Impl>()) {}
ShapedParser::~ShapedParser() = default;

Result<std::unique_ptr<ShapedParser>> ShapedParser::Create(const config::ModelConfig& model) {
  std::unique_ptr<ShapedParser> p(new ShapedParser());
  p->impl_->model = model;
  if (Status s = p->impl_->Compile(); !s.ok()) return s;
  return p;
}

std::uint64_t ShapedParser::pending() const { return impl_->pending.size(); }

}  // namespace modelwatch::parse
