// InferFields: each reference line through simdjson's DOM (start-up only; the DOM keeps the key
// walk short), keys collected in one ordered map looked up by string_view.
#include <modelwatch/parse/infer_fields.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <utility>

#include <simdjson.h>

#include "parse/json_text.h"
#include "parse/pointer_tree.h"

namespace modelwatch::parse {
namespace {

namespace sj = simdjson;

constexpr std::size_t kMaxLineBytes = 1 << 20;  // as ForEachJsonLine

struct KeyState {
  bool text = false;        // a string or boolean decided categorical
  bool non_scalar = false;  // an object or array seen
  std::uint64_t lines = 0;
};

using KeyMap = std::map<std::string, KeyState, std::less<>>;

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t") == std::string_view::npos;
}

// The element at the pointer's segments below `e`; false when one does not resolve.
bool Descend(sj::dom::element e, const std::vector<std::string>& segments, sj::dom::element* out) {
  for (const std::string& segment : segments) {
    sj::dom::element next;
    if (e.is_object()) {
      if (e.get_object().value_unsafe().at_key(segment).get(next) != sj::SUCCESS) return false;
    } else if (e.is_array()) {
      if (segment.empty() || segment.size() > 9 || (segment.size() > 1 && segment[0] == '0') ||
          segment.find_first_not_of("0123456789") != std::string::npos) {
        return false;
      }
      if (e.get_array().value_unsafe().at(std::stoul(segment)).get(next) != sj::SUCCESS) {
        return false;
      }
    } else {
      return false;
    }
    e = next;
  }
  *out = e;
  return true;
}

void Note(std::string_view key, sj::dom::element value, KeyMap* keys) {
  auto it = keys->find(key);
  if (it == keys->end()) it = keys->emplace(std::string(key), KeyState{}).first;
  KeyState& k = it->second;
  ++k.lines;
  switch (value.type()) {
    case sj::dom::element_type::OBJECT:
    case sj::dom::element_type::ARRAY:
      k.non_scalar = true;
      break;
    case sj::dom::element_type::BOOL:
      k.text = true;
      break;
    case sj::dom::element_type::STRING: {
      const std::string_view s = value.get_string().value_unsafe();
      if (!s.empty() && !IsNanWord(s)) k.text = true;
      break;
    }
    default:  // numbers and null
      break;
  }
}

}  // namespace

std::string ChildPointer(std::string_view base, std::string_view key) {
  std::string out(base);
  out += '/';
  out += EscapePointerSegment(key);
  return out;
}

Result<InferredFields> InferFields(const std::string& path, std::string_view under) {
  std::vector<std::string> segments;
  if (!under.empty() && !SplitPointer(under, &segments)) {
    return Status::Error("infer.under: '" + std::string(under) + "' is not a JSON Pointer");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": " + std::strerror(errno));
  InferredFields out;
  KeyMap keys;
  sj::dom::parser parser;
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    std::string_view text(line);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (first && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    first = false;
    if (IsBlank(text)) continue;
    sj::dom::element root, at;
    if (text.size() > kMaxLineBytes || parser.parse(text.data(), text.size()).get(root) ||
        !root.is_object()) {
      ++out.rejected_lines;
      continue;
    }
    sj::dom::object object;
    if (!Descend(root, segments, &at) || at.get_object().get(object) != sj::SUCCESS) continue;
    ++out.objects;
    for (sj::dom::key_value_pair kv : object) Note(kv.key, kv.value, &keys);
  }
  if (in.bad()) return Status::Error(path + ": read failed");
  for (auto& [key, k] : keys) {
    if (k.non_scalar) {
      out.non_scalar.push_back(key);
      continue;
    }
    const auto type = k.text ? config::FeatureType::kCategorical : config::FeatureType::kNumeric;
    out.fields.push_back({key, type, k.lines});
  }
  return out;
}

}  // namespace modelwatch::parse
