#include "parse/value_tree.h"

namespace modelwatch::parse {
namespace {
constexpr int kMaxDepth = 512;
}  // namespace

std::uint32_t ValueTree::InternKey(std::string_view name) {
  const std::uint32_t found = FindKey(name);
  if (found != kNoKey) return found;
  const auto id = static_cast<std::uint32_t>(keys_.size());
  keys_.emplace_back(name);
  matcher_.Add(name, id);
  return id;
}

std::uint32_t ValueTree::FindKey(std::string_view name) const {
  const std::int64_t m = matcher_.MatchUnescaped(name);
  return m >= 0 ? static_cast<std::uint32_t>(m) : kNoKey;
}

void ValueTree::Place(std::size_t mark, VNode* container) {
  container->first = static_cast<std::uint32_t>(nodes_.size());
  container->count = static_cast<std::uint32_t>(scratch_.size() - mark);
  nodes_.insert(nodes_.end(), scratch_.begin() + static_cast<std::ptrdiff_t>(mark), scratch_.end());
  scratch_.resize(mark);
}

sj::error_code ValueTree::BuildObject(od::object& o, int depth, VNode* out) {
  out->kind = JsonKind::kObject;
  const std::size_t mark = scratch_.size();
  for (auto result : o) {
    SIMDJSON_TRY(result.error());
    // By reference: RecordParser::Impl::VisitObject says why.
    od::field& field = result.value_unsafe();
    std::int64_t id = matcher_.MatchRaw(field.key().raw());
    if (id == KeyMatcher::kUnescape) {
      std::string_view key;
      SIMDJSON_TRY(field.unescaped_key().get(key));
      id = matcher_.MatchUnescaped(key);
    }
    if (id < 0) continue;  // not named by any pointer: skipped by structure
    VNode child;
    SIMDJSON_TRY(BuildValue(field.value(), depth + 1, &child));
    child.key = static_cast<std::uint32_t>(id);
    scratch_.push_back(child);
  }
  Place(mark, out);
  return sj::SUCCESS;
}

sj::error_code ValueTree::BuildArray(od::array& a, int depth, VNode* out) {
  out->kind = JsonKind::kArray;
  const std::size_t mark = scratch_.size();
  for (auto result : a) {
    SIMDJSON_TRY(result.error());
    // By reference: RecordParser::Impl::VisitObject says why.
    od::value& element = result.value_unsafe();
    VNode child;
    SIMDJSON_TRY(BuildValue(element, depth + 1, &child));
    scratch_.push_back(child);
  }
  Place(mark, out);
  return sj::SUCCESS;
}

sj::error_code ValueTree::BuildValue(od::value& v, int depth, VNode* out) {
  if (depth > kMaxDepth) return sj::DEPTH_ERROR;
  od::json_type type;
  SIMDJSON_TRY(v.type().get(type));
  switch (type) {
    case od::json_type::object: {
      od::object o;
      SIMDJSON_TRY(v.get_object().get(o));
      return BuildObject(o, depth, out);
    }
    case od::json_type::array: {
      od::array a;
      SIMDJSON_TRY(v.get_array().get(a));
      return BuildArray(a, depth, out);
    }
    case od::json_type::number:
      out->kind = JsonKind::kNumber;
      return ReadDouble(v, &out->number);
    case od::json_type::string: {
      out->kind = JsonKind::kString;
      od::raw_json_string raw;
      SIMDJSON_TRY(v.get_raw_json_string().get(raw));
      out->raw = raw.raw();
      return sj::SUCCESS;
    }
    case od::json_type::boolean:
      out->kind = JsonKind::kBool;
      return v.get_bool().get(out->boolean);
    case od::json_type::null: {
      out->kind = JsonKind::kNull;
      bool is_null = false;
      SIMDJSON_TRY(v.is_null().get(is_null));
      return is_null ? sj::SUCCESS : sj::N_ATOM_ERROR;
    }
  }
  return sj::INCORRECT_TYPE;
}

sj::error_code ValueTree::Build(od::parser& parser, const char* data, std::size_t len,
                                std::size_t capacity, std::uint32_t* root) {
  od::document doc;
  SIMDJSON_TRY(parser.iterate(data, len, capacity).get(doc));
  od::json_type type;
  SIMDJSON_TRY(doc.type().get(type));
  VNode top;
  switch (type) {
    case od::json_type::object: {
      od::object o;
      SIMDJSON_TRY(doc.get_object().get(o));
      SIMDJSON_TRY(BuildObject(o, 0, &top));
      break;
    }
    case od::json_type::array: {
      od::array a;
      SIMDJSON_TRY(doc.get_array().get(a));
      SIMDJSON_TRY(BuildArray(a, 0, &top));
      break;
    }
    default: {
      // A scalar document ("12", "\"text\"").
      if (type == od::json_type::number) {
        top.kind = JsonKind::kNumber;
        SIMDJSON_TRY(ReadDouble(doc, &top.number));
      } else if (type == od::json_type::string) {
        top.kind = JsonKind::kString;
        od::raw_json_string raw;
        SIMDJSON_TRY(doc.get_raw_json_string().get(raw));
        top.raw = raw.raw();
      } else if (type == od::json_type::boolean) {
        top.kind = JsonKind::kBool;
        SIMDJSON_TRY(doc.get_bool().get(top.boolean));
      } else {
        top.kind = JsonKind::kNull;
        bool is_null = false;
        SIMDJSON_TRY(doc.is_null().get(is_null));
        if (!is_null) return sj::N_ATOM_ERROR;
      }
    }
  }
  if (!doc.current_location().error()) return sj::TRAILING_CONTENT;
  *root = static_cast<std::uint32_t>(nodes_.size());
  nodes_.push_back(top);
  return sj::SUCCESS;
}

std::uint32_t ValueTree::MakeObject(const std::uint32_t* keys, const std::uint32_t* nodes,
                                    std::size_t n) {
  VNode object;
  object.kind = JsonKind::kObject;
  object.first = static_cast<std::uint32_t>(nodes_.size());
  object.count = static_cast<std::uint32_t>(n);
  for (std::size_t i = 0; i < n; ++i) {
    VNode copy = nodes_[nodes[i]];
    copy.key = keys[i];
    nodes_.push_back(copy);
  }
  nodes_.push_back(object);
  return static_cast<std::uint32_t>(nodes_.size() - 1);
}

void ValueTree::Replace(std::uint32_t at, std::uint32_t from) {
  const std::uint32_t key = nodes_[at].key;
  nodes_[at] = nodes_[from];
  nodes_[at].key = key;
}

std::uint32_t ValueTree::Child(std::uint32_t object, std::uint32_t key) const {
  if (object == kNoNode || key == kNoKey) return kNoNode;
  const VNode& o = nodes_[object];
  if (o.kind != JsonKind::kObject) return kNoNode;
  std::uint32_t found = kNoNode;
  for (std::uint32_t i = o.first; i < o.first + o.count; ++i) {
    if (nodes_[i].key == key) found = i;
  }
  return found;
}

std::uint32_t ValueTree::Element(std::uint32_t array, std::uint64_t i) const {
  if (array == kNoNode) return kNoNode;
  const VNode& a = nodes_[array];
  if (a.kind != JsonKind::kArray || i >= a.count) return kNoNode;
  return a.first + static_cast<std::uint32_t>(i);
}

Scalar ValueTree::ToScalar(std::uint32_t i) const {
  const VNode& n = nodes_[i];
  Scalar s;
  s.kind = n.kind;
  s.number = n.number;
  s.boolean = n.boolean;
  s.raw = n.raw;
  return s;
}

}  // namespace modelwatch::parse
