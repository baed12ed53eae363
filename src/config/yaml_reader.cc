#include "config/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <utility>

namespace modelwatch::config::internal {

MapReader::MapReader(const Context& ctx, const YAML::Node& node, std::string where,
                     std::vector<std::string_view> keys)
    : ctx_(ctx), where_(std::move(where)), mark_(node.Mark()) {
  ctx_.marks->Put(where_, mark_);
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap()) {
    ok_ = false;
    ctx_.errors->Add(mark_, (where_.empty() ? std::string("the file") : where_) +
                                ": expected a mapping of keys to values");
    return;
  }
  std::set<std::string> seen;
  for (const auto& pair : node) {  // by value: yaml-cpp iterators yield temporaries
    YAML::Node key = pair.first;
    std::string name = key.IsScalar() ? key.Scalar() : std::string();
    std::string in = where_.empty() ? "at top level" : "in " + where_;
    if (!key.IsScalar()) {
      ctx_.errors->Add(key.Mark(), "keys must be plain strings " + in);
      continue;
    }
    if (std::find(keys.begin(), keys.end(), name) == keys.end()) {
      std::vector<std::string_view> listed(keys.begin(), keys.end());
      std::string msg = "unknown key " + InvalidValue(name, listed);
      msg.insert(msg.find(" (expected"), " " + in);
      ctx_.errors->Add(key.Mark(), msg);
      continue;
    }
    if (!seen.insert(name).second) {
      ctx_.errors->Add(key.Mark(), "key '" + name + "' repeated " + in);
      continue;
    }
    entries_.push_back({name, key.Mark(), pair.second});
    ctx_.marks->Put(PathOf(name), MarkOf(name));
  }
}

std::string MapReader::PathOf(std::string_view key) const {
  return where_.empty() ? std::string(key) : where_ + "." + std::string(key);
}

const MapReader::Entry* MapReader::FindEntry(std::string_view key) const {
  for (const Entry& e : entries_) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

YAML::Node MapReader::Get(std::string_view key) const {
  const Entry* e = FindEntry(key);
  return e != nullptr ? e->value : YAML::Node(YAML::NodeType::Undefined);
}

YAML::Mark MapReader::MarkOf(std::string_view key) const {
  const Entry* e = FindEntry(key);
  if (e == nullptr) return mark_;
  return e->value.IsNull() ? e->key_mark : e->value.Mark();
}

void MapReader::Error(std::string_view key, const std::string& message) const {
  ctx_.errors->Add(MarkOf(key), PathOf(key) + ": " + message);
}

bool MapReader::Require(std::string_view key) const {
  if (Has(key) || !ok_) return Has(key);
  ctx_.errors->Add(mark_, (where_.empty() ? std::string("the file") : where_) +
                              ": missing required key '" + std::string(key) + "'");
  return false;
}

std::optional<std::string> MapReader::ScalarText(std::string_view key) const {
  const Entry* e = FindEntry(key);
  if (e == nullptr) return std::nullopt;
  if (!e->value.IsScalar()) {
    Error(key, "expected a single value");
    return std::nullopt;
  }
  return e->value.Scalar();
}

bool MapReader::String(std::string_view key, std::string* out) const {
  const Entry* e = FindEntry(key);
  if (e == nullptr) return false;
  auto s = AsString(e->value);
  if (!s) {
    Error(key, "expected a string");
    return false;
  }
  *out = *s;
  return true;
}

bool MapReader::NonEmptyString(std::string_view key, std::string* out) const {
  std::string s;
  if (!String(key, &s)) return false;
  if (s.empty()) {
    Error(key, "must not be empty");
    return false;
  }
  *out = std::move(s);
  return true;
}

bool MapReader::Pointer(std::string_view key, std::string* out, bool allow_empty) const {
  std::string s;
  if (!String(key, &s)) return false;
  if (auto problem = PointerProblem(s)) {
    Error(key, "invalid JSON Pointer '" + s + "': " + *problem);
    return false;
  }
  if (s.empty() && !allow_empty) {
    Error(key, "must not be empty (a JSON Pointer such as /inputs/amount)");
    return false;
  }
  *out = std::move(s);
  return true;
}

bool MapReader::Bool(std::string_view key, bool* out) const {
  const Entry* e = FindEntry(key);
  if (e == nullptr) return false;
  auto v = AsBool(e->value);
  if (!v) {
    Error(key, "expected true or false");
    return false;
  }
  *out = *v;
  return true;
}

bool MapReader::Int(std::string_view key, std::int64_t* out, std::int64_t min,
                    std::int64_t max) const {
  const Entry* e = FindEntry(key);
  if (e == nullptr) return false;
  auto v = AsInt(e->value);
  if (!v) {
    Error(key, "expected an integer");
    return false;
  }
  if (*v < min || *v > max) {
    Error(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return false;
  }
  *out = *v;
  return true;
}

bool MapReader::Int(std::string_view key, int* out, int min, int max) const {
  std::int64_t v = 0;
  if (!Int(key, &v, min, max)) return false;
  *out = static_cast<int>(v);
  return true;
}

bool MapReader::Uint(std::string_view key, std::uint64_t* out, std::uint64_t min) const {
  std::int64_t v = 0;
  if (!Int(key, &v, static_cast<std::int64_t>(min), INT64_MAX)) return false;
  *out = static_cast<std::uint64_t>(v);
  return true;
}

bool MapReader::Number(std::string_view key, double* out) const {
  const Entry* e = FindEntry(key);
  if (e == nullptr) return false;
  auto v = AsNumber(e->value);
  if (!v) {
    Error(key, "expected a number");
    return false;
  }
  *out = *v;
  return true;
}

bool MapReader::Duration(std::string_view key, double* out, bool allow_zero) const {
  auto text = ScalarText(key);
  if (!text) return false;
  auto v = ParseDuration(*text);
  if (!v) {
    Error(key, "invalid duration '" + *text + "' (expected e.g. 250ms, 30s, 5m, 1h30m, 1d)");
    return false;
  }
  if (*v <= 0 && !allow_zero) {
    Error(key, "must be greater than zero");
    return false;
  }
  *out = *v;
  return true;
}

bool MapReader::Size(std::string_view key, std::uint64_t* out) const {
  auto text = ScalarText(key);
  if (!text) return false;
  auto v = ParseSize(*text);
  if (!v) {
    Error(key, "invalid size '" + *text + "' (expected e.g. 512, 64KiB, 1MiB, 1GiB, 10MB)");
    return false;
  }
  if (*v == 0) {
    Error(key, "must be greater than zero");
    return false;
  }
  *out = *v;
  return true;
}

std::optional<YAML::Node> MapReader::Sequence(std::string_view key) const {
  const Entry* e = FindEntry(key);
  if (e == nullptr) return std::nullopt;
  if (!e->value.IsSequence()) {
    Error(key, "expected a list");
    return std::nullopt;
  }
  for (std::size_t i = 0; i < e->value.size(); ++i) {
    ctx_.marks->Put(PathOf(key) + "[" + std::to_string(i) + "]", e->value[i].Mark());
  }
  return e->value;
}

bool MapReader::StringList(std::string_view key, std::vector<std::string>* out) const {
  auto seq = Sequence(key);
  if (!seq) return false;
  std::vector<std::string> values;
  bool ok = true;
  for (std::size_t i = 0; i < seq->size(); ++i) {
    auto s = AsString((*seq)[i]);
    if (!s) {
      ctx_.errors->Add((*seq)[i].Mark(),
                       PathOf(key) + "[" + std::to_string(i) + "]: expected a string");
      ok = false;
    } else {
      values.push_back(*s);
    }
  }
  if (ok) *out = std::move(values);
  return ok;
}

bool MapReader::Windows(std::string_view key, std::vector<Window>* out) const {
  auto seq = Sequence(key);
  if (!seq) return false;
  if (seq->size() == 0) {
    Error(key, "must list at least one window");
    return false;
  }
  std::vector<Window> windows;
  bool ok = true;
  for (std::size_t i = 0; i < seq->size(); ++i) {
    YAML::Node item = (*seq)[i];
    std::string at = PathOf(key) + "[" + std::to_string(i) + "]";
    std::optional<double> seconds;
    if (item.IsScalar()) seconds = ParseDuration(item.Scalar());
    if (!seconds) {
      std::string text = item.IsScalar() ? "'" + item.Scalar() + "'" : "a non-scalar";
      ctx_.errors->Add(item.Mark(), at + ": invalid duration " + text + " (expected e.g. 5m, 1h)");
      ok = false;
      continue;
    }
    if (*seconds <= 0) {
      ctx_.errors->Add(item.Mark(), at + ": a window must be longer than zero");
      ok = false;
      continue;
    }
    auto same = std::find_if(windows.begin(), windows.end(),
                             [&](const Window& w) { return w.seconds == *seconds; });
    if (same != windows.end()) {
      ctx_.errors->Add(item.Mark(),
                       at + ": window '" + item.Scalar() + "' repeats '" + same->label + "'");
      ok = false;
      continue;
    }
    windows.push_back({item.Scalar(), *seconds});
  }
  if (ok) *out = std::move(windows);
  return ok;
}

}  // namespace modelwatch::config::internal
