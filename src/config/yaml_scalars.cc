// ErrorSink, MarkIndex and the scalar conversions of yaml_reader.h.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

#include "config/yaml_reader.h"

namespace modelwatch::config::internal {

void ErrorSink::Add(const YAML::Mark& mark, std::string message) {
  ConfigError e;
  e.file = file_;
  e.line = mark.line >= 0 ? mark.line + 1 : 0;
  e.column = mark.line >= 0 && mark.column >= 0 ? mark.column + 1 : 0;
  e.message = std::move(message);
  errors_.push_back(std::move(e));
}

std::vector<ConfigError> ErrorSink::Take() {
  std::stable_sort(errors_.begin(), errors_.end(), [](const ConfigError& a, const ConfigError& b) {
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
  });
  return std::move(errors_);
}

YAML::Mark MarkIndex::Find(std::string path) const {
  while (true) {
    auto it = marks_.find(path);
    if (it != marks_.end()) return it->second;
    if (path.empty()) return YAML::Mark::null_mark();
    std::size_t cut = path.find_last_of(".[");
    path.resize(cut == std::string::npos ? 0 : cut);
  }
}

std::optional<std::string> AsString(const YAML::Node& node) {
  if (node.IsNull()) return std::string();
  if (!node.IsScalar()) return std::nullopt;
  return node.Scalar();
}

std::optional<bool> AsBool(const YAML::Node& node) {
  if (!node.IsScalar()) return std::nullopt;
  const std::string& s = node.Scalar();
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  return std::nullopt;
}

std::optional<std::int64_t> AsInt(const YAML::Node& node) {
  if (!node.IsScalar()) return std::nullopt;
  const std::string& s = node.Scalar();
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::optional<double> AsNumber(const YAML::Node& node) {
  if (!node.IsScalar()) return std::nullopt;
  std::string_view s = node.Scalar();
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

std::optional<std::string> PointerProblem(const std::string& pointer) {
  if (pointer.empty()) return std::nullopt;
  if (pointer.front() != '/') return "must be empty or start with '/'";
  for (std::size_t i = 0; i < pointer.size(); ++i) {
    if (pointer[i] != '~') continue;
    if (i + 1 == pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1')) {
      return "'~' must be followed by 0 or 1 (write ~0 for '~' and ~1 for '/')";
    }
  }
  return std::nullopt;
}

std::string InvalidValue(const std::string& text, std::span<const std::string_view> names) {
  std::string out = "'" + text + "' (expected one of: ";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  return out + ")";
}

}  // namespace modelwatch::config::internal
