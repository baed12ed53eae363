// ShapedParser: decode steps, batch rows (arrays and OIP tensors) and the records they give.
#include <cmath>
#include <string>

#include "parse/shaped_impl.h"
#include "parse/text_codecs.h"

namespace modelwatch::parse {
namespace {

// simdjson may read SIMDJSON_PADDING bytes past the text.
void Pad(std::string* s) { s->reserve(s->size() + sj::SIMDJSON_PADDING); }

std::string_view FirstNonSpace(std::string_view s) {
  while (!s.empty() && (s[0] == ' ' || s[0] == '\n' || s[0] == '\r' || s[0] == '\t')) {
    s.remove_prefix(1);
  }
  return s;
}

}  // namespace

ParseOutcome ShapedParser::Impl::DecodeOne(std::size_t i) {
  const Decode& d = decodes[i];
  DecodeBuffers& b = decode_buffers[i];
  const std::uint32_t at = Resolve(d.path, kNoNode, 0);
  if (at == kNoNode || tree.node(at).kind != JsonKind::kString) return ParseOutcome::kOk;
  config::DecodeAs as = d.as;
  bool csv_type = false;
  if (d.content_type.valid) {
    std::string_view ct;
    if (!Text(Resolve(d.content_type, kNoNode, 0), &ct)) return ParseOutcome::kInvalidJson;
    csv_type = IsCsvContentType(ct);
  }
  if (as == config::DecodeAs::kAuto) {
    std::string_view enc;
    if (!Text(Resolve(d.encoding, kNoNode, 0), &enc)) return ParseOutcome::kInvalidJson;
    if (enc == "CSV" || enc == "csv") {
      as = config::DecodeAs::kCsv;
    } else if (enc == "JSON" || enc == "json") {
      as = config::DecodeAs::kJson;
    } else if (enc == "BASE64" || enc == "base64") {
      as = config::DecodeAs::kBase64;
    } else {
      return ParseOutcome::kOk;  // an encoding we do not know: the string stays a string
    }
  }
  // The string's text, unescaped in full.
  const char* raw = tree.node(at).raw;
  std::size_t len = 0;
  while (raw[len] != '"') len += raw[len] == '\\' ? 2 : 1;
  b.unescaped.resize(len + 1);
  const UnescapeResult u = UnescapeJsonString(raw, b.unescaped.data(), b.unescaped.size());
  if (!u.ok) return ParseOutcome::kInvalidJson;
  b.unescaped.resize(u.size);
  std::string* text = &b.unescaped;
  if (as == config::DecodeAs::kBase64) {
    if (!Base64Decode(b.unescaped, &b.decoded)) return ParseOutcome::kInvalidJson;
    text = &b.decoded;
    const std::string_view head = FirstNonSpace(b.decoded);
    const bool json = !csv_type && !head.empty() && (head[0] == '{' || head[0] == '[');
    as = json ? config::DecodeAs::kJson : config::DecodeAs::kCsv;
  }
  if (as == config::DecodeAs::kCsv) {
    b.json.clear();
    CsvToJson(*text, &b.json);
    text = &b.json;
  }
  Pad(text);
  std::uint32_t sub = kNoNode;
  if (tree.Build(parser, text->data(), text->size(), text->capacity(), &sub) != sj::SUCCESS) {
    return ParseOutcome::kInvalidJson;
  }
  tree.Replace(at, sub);
  return ParseOutcome::kOk;
}

ParseOutcome ShapedParser::Impl::ApplyDecodes() {
  for (std::size_t i = 0; i < decodes.size(); ++i) {
    const ParseOutcome o = DecodeOne(i);
    if (o != ParseOutcome::kOk) return o;
  }
  return ParseOutcome::kOk;
}

void ShapedParser::Impl::PrepareRows() {
  names_keys.clear();
  if (batch_names.valid) {
    const std::uint32_t names = Resolve(batch_names, kNoNode, 0);
    if (names != kNoNode && tree.node(names).kind == JsonKind::kArray) {
      for (std::uint32_t i = 0; i < tree.node(names).count; ++i) {
        std::string_view name;
        const std::uint32_t n = tree.node(names).first + i;
        names_keys.push_back(Text(n, &name) && !name.empty() ? tree.FindKey(name) : kNoKey);
      }
    }
  }
  std::fill(tensor_nodes.begin(), tensor_nodes.end(), kNoNode);
  for (const CompiledPointer& p : tensor_arrays) {
    const std::uint32_t list = Resolve(p, kNoNode, 0);
    if (list == kNoNode || tree.node(list).kind != JsonKind::kArray) continue;
    for (std::uint32_t i = 0; i < tree.node(list).count; ++i) {
      std::string_view name;
      const std::uint32_t t = tree.node(list).first + i;
      if (!Text(tree.Child(t, key_name), &name)) continue;
      for (std::size_t s = 0; s < tensor_names.size(); ++s) {
        if (tensor_nodes[s] == kNoNode && tensor_names[s] == name) tensor_nodes[s] = t;
      }
    }
  }
}

bool ShapedParser::Impl::TensorDims(std::uint32_t tensor, std::array<std::uint64_t, 8>* dims,
                                    int* rank) const {
  *rank = 0;
  const std::uint32_t shape = tree.Child(tensor, key_shape);
  if (shape == kNoNode || tree.node(shape).kind != JsonKind::kArray) return false;
  const VNode& s = tree.node(shape);
  if (s.count == 0 || s.count > dims->size()) return false;
  for (std::uint32_t i = 0; i < s.count; ++i) {
    FieldValue v;
    ReadNumeric(tree.ToScalar(s.first + i), &v, /*numbers_in_strings=*/true);  // protobuf int64
    if (v.state != ValueState::kValid || v.number < 0) return false;
    (*dims)[i] = static_cast<std::uint64_t>(v.number);
  }
  *rank = static_cast<int>(s.count);
  return true;
}

std::uint32_t ShapedParser::Impl::TensorValue(int slot, std::uint64_t row,
                                              std::uint64_t column) const {
  const std::uint32_t t = tensor_nodes[static_cast<std::size_t>(slot)];
  if (t == kNoNode) return kNoNode;
  std::uint32_t data = tree.Child(t, key_data);
  if (data == kNoNode) {  // Seldon Core 2: contents.{fp32Contents, int64Contents, ...}
    const std::uint32_t contents = tree.Child(t, key_contents);
    for (std::uint32_t k : contents_keys) {
      if ((data = tree.Child(contents, k)) != kNoNode) break;
    }
  }
  if (data == kNoNode || tree.node(data).kind != JsonKind::kArray) return kNoNode;
  std::array<std::uint64_t, 8> dims{};
  int rank = 0;
  if (!TensorDims(t, &dims, &rank)) {
    const std::uint32_t r = tree.Element(data, row);
    if (r != kNoNode && tree.node(r).kind == JsonKind::kArray) return tree.Element(r, column);
    return column == 0 ? r : kNoNode;
  }
  std::uint64_t width = 1;
  for (int i = 1; i < rank; ++i) width *= dims[static_cast<std::size_t>(i)];
  if (row >= dims[0] || column >= width) return kNoNode;
  const std::uint64_t offset = row * width + column;
  const std::uint32_t first = tree.Element(data, 0);
  if (first == kNoNode || tree.node(first).kind != JsonKind::kArray) {
    return tree.Element(data, offset);  // flat, row-major
  }
  std::uint32_t n = data;
  std::uint64_t stride = width * dims[0];
  for (int level = 0; level < rank && n != kNoNode && tree.node(n).kind == JsonKind::kArray;
       ++level) {
    stride /= dims[static_cast<std::size_t>(level)];
    n = tree.Element(n, (offset / stride) % dims[static_cast<std::size_t>(level)]);
  }
  return n;
}

std::uint64_t ShapedParser::Impl::TensorRows() const {
  for (std::uint32_t t : tensor_nodes) {
    if (t == kNoNode) continue;
    std::array<std::uint64_t, 8> dims{};
    int rank = 0;
    if (TensorDims(t, &dims, &rank)) return dims[0];
    const std::uint32_t data = tree.Child(t, key_data);
    if (data != kNoNode && tree.node(data).kind == JsonKind::kArray) return tree.node(data).count;
  }
  return 1;
}

bool ShapedParser::Impl::FillLineSlots(std::optional<double> pair_latency) {
  Record& r = record;
  r.has_timestamp = false;
  r.timestamp = 0;
  if (model.record.timestamp) {
    const config::TimestampField& ts = *model.record.timestamp;
    for (const CompiledPointer& p : timestamp) {
      const std::uint32_t n = Resolve(p, kNoNode, 0);
      if (n == kNoNode) continue;
      std::optional<double> t;
      if (!ReadTimestamp(tree.ToScalar(n), ts.format, &t, ts.timezone_offset)) return false;
      if (t) {
        r.has_timestamp = true;
        r.timestamp = *t;
        break;
      }
    }
  }
  r.request_id = {};
  for (const CompiledPointer& p : request_id) {
    const std::uint32_t n = Resolve(p, kNoNode, 0);
    if (n == kNoNode) continue;
    if (n != kNoNode && tree.node(n).kind == JsonKind::kString) {
      const char* raw = tree.node(n).raw;
      std::size_t len = 0;
      while (raw[len] != '"') len += raw[len] == '\\' ? 2 : 1;
      if (id_text.size() < len + kNumberTextBytes) id_text.resize(len + kNumberTextBytes);
    } else if (id_text.size() < kNumberTextBytes) {
      id_text.resize(kNumberTextBytes);
    }
    if (!ReadIdentifier(tree.ToScalar(n), id_text.data(), id_text.size(), &r.request_id)) {
      return false;
    }
    if (!r.request_id.empty()) break;
  }
  r.model_version = {};
  if (model_version.valid) {
    const std::uint32_t n = Resolve(model_version, kNoNode, 0);
    if (n != kNoNode) {
      FieldValue v;
      if (!ReadCategorical(tree.ToScalar(n), version_text.data(), &v)) return false;
      if (v.state == ValueState::kValid) r.model_version = v.text;
    }
  }
  r.latency_state = ValueState::kMissing;
  r.latency_seconds = 0;
  if (pair_latency) {
    r.latency_state = *pair_latency >= 0 ? ValueState::kValid : ValueState::kTypeMismatch;
    r.latency_seconds = *pair_latency >= 0 ? *pair_latency : 0;
  } else if (latency.valid) {
    const std::uint32_t n = Resolve(latency, kNoNode, 0);
    if (n != kNoNode &&
        !ReadLatency(tree.ToScalar(n), units_per_second, &r.latency_state, &r.latency_seconds)) {
      return false;
    }
  }
  r.unexpected_fields = 0;
  r.unexpected_named = 0;
  return true;
}

bool ShapedParser::Impl::FillRecord(std::uint32_t row, std::uint64_t index, std::uint64_t rows) {
  Record& r = record;
  const bool lenient = model.settings.numbers_in_strings;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    FieldValue& out = r.fields[i];
    out = FieldValue();
    const std::uint32_t n = field_tensor[i] >= 0
                                ? TensorValue(field_tensor[i], index,
                                              static_cast<std::uint64_t>(fields[i].steps[0].index))
                                : Resolve(fields[i], row, index);
    if (n == kNoNode) continue;  // missing
    const Scalar s = tree.ToScalar(n);
    const bool ok = types[i] == config::FeatureType::kNumeric
                        ? ReadNumeric(s, &out, lenient)
                        : ReadCategorical(s, field_text[i].data(), &out);
    if (!ok) return false;
  }
  r.label = FieldValue();
  if (label.valid) {
    const std::uint32_t n = Resolve(label, row, index);
    if (n != kNoNode &&
        !(label_numeric ? ReadNumeric(tree.ToScalar(n), &r.label, lenient)
                        : ReadLabel(tree.ToScalar(n), label_text.data(), lenient, &r.label))) {
      return false;
    }
  }
  std::size_t at = 0;
  for (std::size_t p = 0; p < probabilities.size(); ++p) {
    const std::uint32_t n = Resolve(probabilities[p], row, index);
    const bool vector = n != kNoNode && tree.node(n).kind == JsonKind::kArray;
    for (std::size_t c = 0; c < class_keys[p].size(); ++c, ++at) {
      const std::uint32_t v = vector ? tree.Element(n, c) : tree.Child(n, class_keys[p][c]);
      FieldValue score;
      if (v != kNoNode) ReadNumeric(tree.ToScalar(v), &score, lenient);
      r.probabilities[at] = score.state == ValueState::kValid ? score.number : std::nan("");
    }
  }
  // Per-row ids (Seldon's "<id>-item-<i>"); a batch of one keeps the line's id.
  if (rows > 1 && !r.request_id.empty() && model.record.batch) {
    const std::string& pattern = model.record.batch->id;
    row_id_text.clear();
    char number[kNumberTextBytes];
    for (std::size_t i = 0; i < pattern.size();) {
      if (pattern.compare(i, 12, "{request_id}") == 0) {
        row_id_text.append(r.request_id);
        i += 12;
      } else if (pattern.compare(i, 7, "{index}") == 0) {
        row_id_text.append(number, FormatNumber(static_cast<double>(index), number));
        i += 7;
      } else {
        row_id_text.push_back(pattern[i++]);
      }
    }
  }
  return true;
}

ParseOutcome ShapedParser::Impl::Emit(Sink& sink, std::optional<double> pair_latency) {
  if (const ParseOutcome o = ApplyDecodes(); o != ParseOutcome::kOk) return o;
  if (!FillLineSlots(pair_latency)) return ParseOutcome::kInvalidJson;
  if (!record.has_timestamp && timestamp_required) return ParseOutcome::kBadTimestamp;
  PrepareRows();
  std::uint32_t rows_node = kNoNode;
  std::uint64_t rows = 1;
  if (batch_rows.valid) {
    rows_node = Resolve(batch_rows, kNoNode, 0);
    if (rows_node != kNoNode && tree.node(rows_node).kind == JsonKind::kArray) {
      rows = tree.node(rows_node).count;
    } else {
      rows_node = kNoNode;  // no rows array: one record whose row values are missing
    }
  } else if (!tensor_arrays.empty()) {
    rows = TensorRows();
  }
  const std::string_view line_id = record.request_id;
  for (std::uint64_t i = 0; i < rows; ++i) {
    const std::uint32_t row = rows_node == kNoNode ? kNoNode : tree.Element(rows_node, i);
    record.request_id = line_id;
    if (!FillRecord(row, i, rows)) return ParseOutcome::kInvalidJson;
    if (rows > 1 && !line_id.empty() && model.record.batch) record.request_id = row_id_text;
    sink.OnShapedRecord(record);
  }
  return ParseOutcome::kOk;
}

}  // namespace modelwatch::parse
