// RecordParser: one pass of simdjson On-Demand over each line, guided by the PointerTree.
//
// Strictness: stage 1 (iterate) checks UTF-8, strings and the token structure; the walk then
// reads every key of the root object and of each object or array on a configured path, and
// parses the values it needs; anything else is skipped by structure only, so a malformed
// number or a missing comma inside an unread value goes unnoticed (validating it would cost
// most of the parse). A root that is not an object is validated fully, with a depth limit.
// Duplicate keys: every occurrence is read in document order, so the last one wins.
#include <modelwatch/parse/record_parser.h>

#include <array>
#include <cmath>

#include <simdjson.h>

#include "parse/json_text.h"
#include "parse/key_matcher.h"
#include "parse/ondemand_values.h"
#include "parse/pointer_tree.h"
#include "parse/scalar.h"

namespace modelwatch::parse {

static_assert(sj::SIMDJSON_PADDING <= kLinePadding, "Line padding too small for simdjson");

namespace {

ParseOutcome FromError(sj::error_code e) {
  return e == sj::UTF8_ERROR ? ParseOutcome::kInvalidUtf8 : ParseOutcome::kInvalidJson;
}

}  // namespace

struct RecordParser::Impl {
  od::parser parser;
  PointerTree tree;
  std::vector<KeyMatcher> matchers;  // per node: its children's keys
  std::vector<config::FeatureType> types;
  std::optional<config::TimestampFormat> timestamp_format;
  double timezone_offset = 0;
  bool numbers_in_strings = false;
  bool timestamp_fallbacks = false;  // a pointer list: ranks apply
  bool request_id_fallbacks = false;
  bool timestamp_required = false;
  bool has_request_id = false;
  double units_per_second = 1;
  std::vector<std::array<char, kMaxTextBytes>> field_text;
  std::array<char, kMaxTextBytes> version_text;
  std::vector<char> request_id_text;  // grows to the longest line seen: never truncates
  // Per node: whether a child holds a feature or output, so unknown keys there are counted.
  std::vector<bool> holds_field;
  // Per node: the field index when the node is a leaf whose only target is one field (the
  // flat layout's common case), else -1. VisitLeafField reads such a value as the field's type
  // first, without VisitValue's generic dispatch (about a tenth of the walk's instructions).
  std::vector<std::int32_t> leaf_field;
  std::array<std::array<char, kMaxTextBytes>, Record::kMaxUnexpectedNames> unexpected_text;
  // An unknown key is named on the first line it appears in, then added to its object's
  // matcher as kReportedKey: a new key is usually in every line, and matching it there is
  // cheaper than failing every configured name. Past kMaxReportedNames no more are added.
  static constexpr std::uint32_t kReportedKey = 0xFFFFFFFF;
  static constexpr std::uint32_t kMaxReportedNames = 64;
  std::uint32_t reported_count = 0;
  static constexpr std::uint32_t kMaxIgnoredNames = 64;
  std::uint32_t ignored_count = 0;
  // Per line.
  Record* record = nullptr;
  std::optional<double> timestamp;
  // Rank (position in its pointer list) of the value taken so far; lower wins.
  std::uint32_t timestamp_rank = 0;
  std::uint32_t request_id_rank = 0;

  // The walk's per-key steps are forced inline into VisitObject: as calls, the On-Demand
  // iterator they share lived in memory instead of registers (callgrind on the bench workload:
  // about 830 instructions a line less, `run --one-shot` on 1M lines 815 -> 762 ms).
  sj::error_code VisitObject(std::uint32_t node, od::object& object);
  sj::error_code VisitArray(std::uint32_t node, od::array& array);
  sj::error_code VisitValue(std::uint32_t node, od::value& value);
  [[gnu::always_inline]] inline sj::error_code VisitLeafField(std::uint32_t node,
                                                              std::uint32_t index,
                                                              od::value& value);
  [[gnu::always_inline]] inline sj::error_code MatchKey(std::uint32_t node, od::field& field,
                                                        std::int64_t* child, const char** raw_key);
  void NoteUnexpected(std::uint32_t node, const char* raw_key, std::int64_t child);
  void LearnIgnored(std::uint32_t node, const char* raw_key);
  bool Apply(const PointerTarget& target, const Scalar& s);
  [[gnu::noinline]] bool ApplyRanked(const PointerTarget& target, const Scalar& s);
};

sj::error_code RecordParser::Impl::MatchKey(std::uint32_t node, od::field& field,
                                            std::int64_t* child, const char** raw_key) {
  KeyMatcher& matcher = matchers[node];
  // Taken before unescaped_key(), which consumes the key.
  *raw_key = field.key().raw();
  *child = matcher.MatchRaw(*raw_key);
  if (*child == KeyMatcher::kUnescape) {
    std::string_view key;
    SIMDJSON_TRY(field.unescaped_key().get(key));
    *child = matcher.MatchUnescaped(key);
  }
  return sj::SUCCESS;
}

sj::error_code RecordParser::Impl::VisitObject(std::uint32_t node, od::object& object) {
  for (auto result : object) {
    SIMDJSON_TRY(result.error());
    // By reference: moving the field out of the result cost a store-forwarding stall per key,
    // two thirds of this function's time (perf annotate); RecordParse 546 -> 404 ns a line.
    od::field& field = result.value_unsafe();
    std::int64_t child;
    const char* raw_key = nullptr;
    SIMDJSON_TRY(MatchKey(node, field, &child, &raw_key));
    if (child >= 0 && child != kReportedKey) {
      const auto c = static_cast<std::uint32_t>(child);
      if (leaf_field[c] >= 0) {
        SIMDJSON_TRY(VisitLeafField(c, static_cast<std::uint32_t>(leaf_field[c]), field.value()));
      } else {
        SIMDJSON_TRY(VisitValue(c, field.value()));
      }
    } else if (holds_field[node]) {
      NoteUnexpected(node, raw_key, child);
    } else if (child == KeyMatcher::kNoMatch && ignored_count < kMaxIgnoredNames) {
      LearnIgnored(node, raw_key);
    }
  }
  return sj::SUCCESS;
}

// A key no pointer names, in an object where that is nothing to report (the root's "model"):
// remembered so that the next lines match it at once instead of failing every configured name.
void RecordParser::Impl::LearnIgnored(std::uint32_t node, const char* raw_key) {
  char buf[kMaxTextBytes];
  const UnescapeResult u = UnescapeJsonString(raw_key, buf, sizeof buf);
  if (!u.ok || u.truncated) return;
  matchers[node].AddHere(std::string_view(buf, u.size), kReportedKey);
  ++ignored_count;
}

void RecordParser::Impl::NoteUnexpected(std::uint32_t node, const char* raw_key,
                                        std::int64_t child) {
  Record& r = *record;
  ++r.unexpected_fields;
  if (child == kReportedKey || reported_count >= kMaxReportedNames ||
      r.unexpected_named >= Record::kMaxUnexpectedNames) {
    return;
  }
  char* buf = unexpected_text[r.unexpected_named].data();
  // stage 1 accepted the key, so its escapes are valid; a failure would leave the name empty.
  const UnescapeResult u = UnescapeJsonString(raw_key, buf, kMaxTextBytes);
  const std::string_view name(buf, u.ok ? u.size : 0);
  r.unexpected_names[r.unexpected_named++] = name;
  // A cut name would never match its key again: it is named on every line instead.
  if (u.truncated) return;
  matchers[node].AddHere(name, kReportedKey);
  ++reported_count;
}

sj::error_code RecordParser::Impl::VisitArray(std::uint32_t node, od::array& array) {
  const PointerNode& n = tree.node(node);
  std::int64_t index = 0;
  for (auto result : array) {
    SIMDJSON_TRY(result.error());
    od::value& element = result.value_unsafe();  // by reference, as in VisitObject
    for (std::uint32_t c : n.children) {
      if (tree.node(c).array_index == index) {
        SIMDJSON_TRY(VisitValue(c, element));
        break;
      }
    }
    ++index;
  }
  return sj::SUCCESS;
}

sj::error_code RecordParser::Impl::VisitValue(std::uint32_t node, od::value& value) {
  const PointerNode& n = tree.node(node);
  od::json_type type;
  SIMDJSON_TRY(value.type().get(type));
  Scalar s;
  switch (type) {
    case od::json_type::object:
    case od::json_type::array: {
      s.kind = type == od::json_type::object ? JsonKind::kObject : JsonKind::kArray;
      for (const PointerTarget& t : n.targets) Apply(t, s);
      if (n.children.empty()) return sj::SUCCESS;  // left unread; the parent skips it
      if (type == od::json_type::object) {
        od::object object;
        SIMDJSON_TRY(value.get_object().get(object));
        return VisitObject(node, object);
      }
      od::array array;
      SIMDJSON_TRY(value.get_array().get(array));
      return VisitArray(node, array);
    }
    case od::json_type::number:
      s.kind = JsonKind::kNumber;
      SIMDJSON_TRY(ReadDouble(value, &s.number));
      break;
    case od::json_type::string: {
      s.kind = JsonKind::kString;
      od::raw_json_string raw;
      SIMDJSON_TRY(value.get_raw_json_string().get(raw));
      s.raw = raw.raw();
      break;
    }
    case od::json_type::boolean:
      s.kind = JsonKind::kBool;
      SIMDJSON_TRY(value.get_bool().get(s.boolean));
      break;
    case od::json_type::null: {
      s.kind = JsonKind::kNull;
      bool is_null = false;
      SIMDJSON_TRY(value.is_null().get(is_null));
      if (!is_null) return sj::N_ATOM_ERROR;
      break;
    }
  }
  for (const PointerTarget& t : n.targets) {
    if (!Apply(t, s)) return sj::STRING_ERROR;
  }
  return sj::SUCCESS;
}

// A number for a numeric field or a string for a categorical one is read directly: the getters
// only peek at a value of another type, which VisitValue then reads as before (null, a number
// as a string, a too-large literal, an object...), so the outcome is the same either way.
sj::error_code RecordParser::Impl::VisitLeafField(std::uint32_t node, std::uint32_t index,
                                                  od::value& value) {
  FieldValue& out = record->fields[index];
  if (types[index] == config::FeatureType::kNumeric) {
    double d;
    if (value.get_double().get(d) == sj::SUCCESS) {
      out.text = {};
      out.number = d;
      out.state = std::isfinite(d) ? ValueState::kValid : ValueState::kNan;
      return sj::SUCCESS;
    }
  } else {
    od::raw_json_string raw;
    if (value.get_raw_json_string().get(raw) == sj::SUCCESS) {
      Scalar s;
      s.kind = JsonKind::kString;
      s.raw = raw.raw();
      return ReadCategorical(s, field_text[index].data(), &out) ? sj::SUCCESS : sj::STRING_ERROR;
    }
  }
  return VisitValue(node, value);
}

// Pointer lists (log shapes): the value of the lowest rank that is usable wins. Kept out of
// Apply so that the flat path's frame stays as small as before.
bool RecordParser::Impl::ApplyRanked(const PointerTarget& target, const Scalar& s) {
  if (target.kind == PointerTarget::Kind::kTimestamp) {
    if (timestamp && timestamp_rank < target.index) return true;
    std::optional<double> t;
    if (!ReadTimestamp(s, *timestamp_format, &t, timezone_offset)) return false;
    if (t) timestamp = t, timestamp_rank = target.index;
    return true;
  }
  Record& r = *record;
  if (!r.request_id.empty() && request_id_rank < target.index) return true;
  std::string_view id;
  if (!ReadIdentifier(s, request_id_text.data(), request_id_text.size(), &id)) return false;
  if (!id.empty()) r.request_id = id, request_id_rank = target.index;
  return true;
}

bool RecordParser::Impl::Apply(const PointerTarget& target, const Scalar& s) {
  Record& r = *record;
  switch (target.kind) {
    case PointerTarget::Kind::kField: {
      FieldValue* out = &r.fields[target.index];
      return types[target.index] == config::FeatureType::kNumeric
                 ? ReadNumeric(s, out, numbers_in_strings)
                 : ReadCategorical(s, field_text[target.index].data(), out);
    }
    case PointerTarget::Kind::kTimestamp:
      if (timestamp_fallbacks) return ApplyRanked(target, s);
      return ReadTimestamp(s, *timestamp_format, &timestamp, timezone_offset);
    case PointerTarget::Kind::kRequestId:
      if (request_id_fallbacks) return ApplyRanked(target, s);
      return ReadIdentifier(s, request_id_text.data(), request_id_text.size(), &r.request_id);
    case PointerTarget::Kind::kModelVersion: {
      FieldValue v;
      if (!ReadCategorical(s, version_text.data(), &v)) return false;
      r.model_version = v.state == ValueState::kValid ? v.text : std::string_view();
      return true;
    }
    case PointerTarget::Kind::kLatency:
      return ReadLatency(s, units_per_second, &r.latency_state, &r.latency_seconds);
  }
  return true;
}

RecordParser::RecordParser() : impl_(std::make_unique<Impl>()) {}
RecordParser::~RecordParser() = default;

Result<std::unique_ptr<RecordParser>> RecordParser::Create(const RecordLayout& layout) {
  std::unique_ptr<RecordParser> p(new RecordParser());
  Impl& impl = *p->impl_;
  using Kind = PointerTarget::Kind;
  auto add = [&](const std::string& pointer, Kind kind, std::uint32_t index) -> Status {
    if (impl.tree.Add(pointer, {kind, index})) return Status::Ok();
    return Status::Error("invalid JSON Pointer \"" + pointer + "\"");
  };
  std::vector<Status> statuses;
  if (layout.timestamp) {
    impl.timestamp_format = layout.timestamp->format;
    impl.timestamp_required = layout.timestamp_required;
    impl.timezone_offset = layout.timestamp->timezone_offset;
    statuses.push_back(add(layout.timestamp->path, Kind::kTimestamp, 0));
    const auto& more = layout.timestamp->fallback_paths;
    impl.timestamp_fallbacks = !more.empty();
    for (std::size_t i = 0; i < more.size(); ++i) {
      statuses.push_back(add(more[i], Kind::kTimestamp, static_cast<std::uint32_t>(i + 1)));
    }
  }
  impl.numbers_in_strings = layout.numbers_in_strings;
  if (!layout.request_id.empty()) {
    impl.has_request_id = true;
    impl.request_id_text.resize(4096);
    statuses.push_back(add(layout.request_id, Kind::kRequestId, 0));
    const auto& more = layout.request_id_fallbacks;
    impl.request_id_fallbacks = !more.empty();
    for (std::size_t i = 0; i < more.size(); ++i) {
      statuses.push_back(add(more[i], Kind::kRequestId, static_cast<std::uint32_t>(i + 1)));
    }
  }
  if (!layout.model_version.empty()) {
    statuses.push_back(add(layout.model_version, Kind::kModelVersion, 0));
  }
  if (layout.latency) {
    impl.units_per_second = UnitsPerSecond(layout.latency->unit);
    statuses.push_back(add(layout.latency->path, Kind::kLatency, 0));
  }
  for (std::size_t i = 0; i < layout.fields.size(); ++i) {
    impl.types.push_back(layout.fields[i].type);
    statuses.push_back(add(layout.fields[i].pointer, Kind::kField, static_cast<std::uint32_t>(i)));
  }
  for (const Status& s : statuses) {
    if (!s.ok()) return s;
  }
  impl.field_text.resize(layout.fields.size());
  impl.matchers.resize(impl.tree.size());
  impl.holds_field.assign(impl.tree.size(), false);
  impl.leaf_field.assign(impl.tree.size(), -1);
  for (std::uint32_t i = 0; i < impl.tree.size(); ++i) {
    const PointerNode& n = impl.tree.node(i);
    if (n.children.empty() && n.targets.size() == 1 && n.targets[0].kind == Kind::kField) {
      impl.leaf_field[i] = static_cast<std::int32_t>(n.targets[0].index);
    }
    for (std::uint32_t c : impl.tree.node(i).children) {
      impl.matchers[i].Add(impl.tree.node(c).name, c);
      for (const PointerTarget& t : impl.tree.node(c).targets) {
        if (t.kind == Kind::kField) impl.holds_field[i] = true;
      }
    }
  }
  if (impl.parser.allocate(64 * 1024) != sj::SUCCESS) {
    return Status::Error("cannot allocate the JSON parser");
  }
  return p;
}

Record RecordParser::NewRecord() const {
  Record r;
  r.fields.resize(impl_->types.size());
  return r;
}

ParseOutcome RecordParser::Parse(const Line& line, Record* record) {
  Impl& impl = *impl_;
  record->has_timestamp = false;
  record->timestamp = 0;
  record->request_id = {};
  record->model_version = {};
  record->latency_state = ValueState::kMissing;
  record->latency_seconds = 0;
  record->unexpected_fields = 0;
  record->unexpected_named = 0;
  record->fields.resize(impl.types.size());
  for (FieldValue& f : record->fields) f = FieldValue();
  if (impl.has_request_id && impl.request_id_text.size() < line.text.size() + kNumberTextBytes) {
    impl.request_id_text.resize(line.text.size() + kNumberTextBytes);
  }
  impl.record = record;
  impl.timestamp.reset();
  impl.timestamp_rank = 0;
  impl.request_id_rank = 0;

  od::document doc;
  sj::error_code e =
      impl.parser.iterate(line.text.data(), line.text.size(), line.capacity).get(doc);
  if (e) return FromError(e);
  od::json_type type;
  if ((e = doc.type().get(type))) return FromError(e);
  if (type != od::json_type::object) {
    if (ValidateDocument(doc) != sj::SUCCESS || !doc.current_location().error()) {
      return ParseOutcome::kInvalidJson;
    }
    return ParseOutcome::kNotAnObject;
  }
  od::object root;
  if ((e = doc.get_object().get(root))) return FromError(e);
  if ((e = impl.VisitObject(0, root))) return FromError(e);
  // Anything after the root object ("{...} {...}") makes the line invalid.
  if (!doc.current_location().error()) return ParseOutcome::kInvalidJson;

  if (impl.timestamp) {
    record->has_timestamp = true;
    record->timestamp = *impl.timestamp;
  } else if (impl.timestamp_required) {
    return ParseOutcome::kBadTimestamp;
  }
  return ParseOutcome::kOk;
}

}  // namespace modelwatch::parse
