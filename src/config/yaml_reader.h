// Private to src/config: typed, error-collecting access to yaml-cpp nodes. Nothing here throws
// on bad input; every problem becomes a ConfigError at the offending node's position, and
// reading goes on so that one pass reports all of them.
#ifndef MODELWATCH_SRC_CONFIG_YAML_READER_H_
#define MODELWATCH_SRC_CONFIG_YAML_READER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include <modelwatch/config/config.h>

namespace modelwatch::config::internal {

// Collects errors for one file; Take() returns them in file order.
class ErrorSink {
 public:
  explicit ErrorSink(std::string file) : file_(std::move(file)) {}
  void Add(const YAML::Mark& mark, std::string message);
  bool empty() const { return errors_.empty(); }
  std::vector<ConfigError> Take();

 private:
  std::string file_;
  std::vector<ConfigError> errors_;
};

// The position of every node read, by its path ("models[0].features[1].name"), so that checks
// made after parsing (validate.cc) can point at the right place.
class MarkIndex {
 public:
  void Put(const std::string& path, const YAML::Mark& mark) { marks_.emplace(path, mark); }
  // The mark of `path`, else of its nearest recorded ancestor, else the null mark.
  YAML::Mark Find(std::string path) const;

 private:
  std::map<std::string, YAML::Mark> marks_;
};

struct Context {
  ErrorSink* errors;
  MarkIndex* marks;
};

template <typename E>
struct EnumName {
  std::string_view name;
  E value;
};

// Scalar conversions; nullopt when `node` is not a scalar of that kind.
std::optional<std::string> AsString(const YAML::Node& node);  // null reads as ""
std::optional<bool> AsBool(const YAML::Node& node);
std::optional<std::int64_t> AsInt(const YAML::Node& node);
std::optional<double> AsNumber(const YAML::Node& node);  // finite only
// Why `pointer` is not a valid RFC 6901 JSON Pointer, or nullopt when it is.
std::optional<std::string> PointerProblem(const std::string& pointer);
// "'x' (expected one of: a, b)" listing `names`.
std::string InvalidValue(const std::string& text, std::span<const std::string_view> names);

// One YAML mapping. Reports a non-mapping node, keys not in `keys` (at the key, listing the
// allowed ones) and repeated keys. A null node (`server:` with nothing after it) reads as an
// empty mapping. The typed getters read `key` when present: a valid value is stored into *out
// and true returned; a bad one is reported and *out left unchanged.
class MapReader {
 public:
  MapReader(const Context& ctx, const YAML::Node& node, std::string where,
            std::vector<std::string_view> keys);

  bool ok() const { return ok_; }
  const Context& ctx() const { return ctx_; }
  const std::string& where() const { return where_; }
  YAML::Mark mark() const { return mark_; }
  std::string PathOf(std::string_view key) const;

  bool Has(std::string_view key) const { return FindEntry(key) != nullptr; }
  YAML::Node Get(std::string_view key) const;  // undefined (IsDefined() false) when absent
  // The value's mark, or the key's where the value is null (yaml-cpp marks a null value at
  // whatever token follows it).
  YAML::Mark MarkOf(std::string_view key) const;

  void Error(std::string_view key, const std::string& message) const;  // "<path>: message"
  // Reports "missing required key" at the mapping unless `key` is present.
  bool Require(std::string_view key) const;

  bool String(std::string_view key, std::string* out) const;
  bool NonEmptyString(std::string_view key, std::string* out) const;
  // An RFC 6901 pointer; `allow_empty` false also rejects "" (the whole document).
  bool Pointer(std::string_view key, std::string* out, bool allow_empty = true) const;
  bool Bool(std::string_view key, bool* out) const;
  bool Int(std::string_view key, std::int64_t* out, std::int64_t min, std::int64_t max) const;
  bool Int(std::string_view key, int* out, int min, int max) const;
  bool Uint(std::string_view key, std::uint64_t* out, std::uint64_t min) const;
  bool Number(std::string_view key, double* out) const;
  // Prometheus duration in seconds; zero only when `allow_zero`.
  bool Duration(std::string_view key, double* out, bool allow_zero = false) const;
  bool Size(std::string_view key, std::uint64_t* out) const;  // >= 1 byte
  bool StringList(std::string_view key, std::vector<std::string>* out) const;
  // A non-empty list of distinct positive durations, labels kept as written.
  bool Windows(std::string_view key, std::vector<Window>* out) const;
  // The sequence at `key`; reports anything else. Elements are noted in the MarkIndex.
  std::optional<YAML::Node> Sequence(std::string_view key) const;

  template <typename E>
  bool Enum(std::string_view key, E* out, std::span<const EnumName<E>> names) const {
    auto text = ScalarText(key);
    if (!text) return false;
    for (const EnumName<E>& n : names) {
      if (n.name == *text) {
        *out = n.value;
        return true;
      }
    }
    std::vector<std::string_view> listed;
    for (const EnumName<E>& n : names) listed.push_back(n.name);
    Error(key, "invalid value " + InvalidValue(*text, listed));
    return false;
  }

 private:
  struct Entry {
    std::string key;
    YAML::Mark key_mark;
    YAML::Node value;
  };
  const Entry* FindEntry(std::string_view key) const;
  // The scalar text at `key`; reports a non-scalar. nullopt when absent or bad.
  std::optional<std::string> ScalarText(std::string_view key) const;

  Context ctx_;
  std::string where_;
  YAML::Mark mark_;
  bool ok_ = true;
  std::vector<Entry> entries_;
};

}  // namespace modelwatch::config::internal

#endif  // MODELWATCH_SRC_CONFIG_YAML_READER_H_
