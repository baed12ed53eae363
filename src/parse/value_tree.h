// ValueTree: the per-line "virtual tree" of the shaped parser (log shapes, issue #8). A line (and
// any document decoded from a string in it) is read once with simdjson On-Demand into flat,
// reused node storage; later steps replace a string node by the tree of its decoded content,
// and pointers then walk the result. Only keys named by some configured pointer (the key
// dictionary, fixed at configuration time) are kept, so lookups compare integer ids, never
// strings. Strings stay raw (JSON-escaped, closed by a quote) inside the buffer they were read
// from: the caller keeps those buffers alive and unchanged until Clear(). Not thread-safe.
#ifndef MODELWATCH_PARSE_VALUE_TREE_H_
#define MODELWATCH_PARSE_VALUE_TREE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parse/key_matcher.h"
#include "parse/ondemand_values.h"
#include "parse/scalar.h"

namespace modelwatch::parse {

inline constexpr std::uint32_t kNoNode = 0xFFFFFFFF;
inline constexpr std::uint32_t kNoKey = 0xFFFFFFFF;

struct VNode {
  JsonKind kind = JsonKind::kNull;
  std::uint32_t key = kNoKey;  // this node's key id in its parent object
  std::uint32_t first = 0;     // containers: children at [first, first + count)
  std::uint32_t count = 0;
  double number = 0;
  bool boolean = false;
  const char* raw = nullptr;  // strings: the raw body after the opening quote
};

class ValueTree {
 public:
  // Configuration time: the key's id (the same id for the same name).
  std::uint32_t InternKey(std::string_view name);
  // The id of an unescaped key, or kNoKey.
  std::uint32_t FindKey(std::string_view name) const;

  // Drops every node (keeps the capacity).
  void Clear() { nodes_.clear(); }

  // Reads one JSON document (padded: SIMDJSON_PADDING readable bytes after len) into nodes and
  // returns its root. Errors: simdjson's (invalid JSON, UTF-8), trailing content
  // (TRAILING_CONTENT), nesting deeper than 512 (DEPTH_ERROR).
  sj::error_code Build(od::parser& parser, const char* data, std::size_t len, std::size_t capacity,
                       std::uint32_t* root);
  // A new object holding copies of the given nodes under the given keys.
  std::uint32_t MakeObject(const std::uint32_t* keys, const std::uint32_t* nodes, std::size_t n);
  // Makes node `at` a copy of node `from` (its key kept): replaces a string by its decoding.
  void Replace(std::uint32_t at, std::uint32_t from);

  const VNode& node(std::uint32_t i) const { return nodes_[i]; }
  // kNoNode unless `object` is an object with that key (the last one when repeated).
  std::uint32_t Child(std::uint32_t object, std::uint32_t key) const;
  // kNoNode unless `array` is an array longer than i.
  std::uint32_t Element(std::uint32_t array, std::uint64_t i) const;
  Scalar ToScalar(std::uint32_t i) const;

 private:
  sj::error_code BuildValue(od::value& v, int depth, VNode* out);
  sj::error_code BuildObject(od::object& o, int depth, VNode* out);
  sj::error_code BuildArray(od::array& a, int depth, VNode* out);
  void Place(std::size_t mark, VNode* container);

  KeyMatcher matcher_;
  std::vector<std::string> keys_;
  std::vector<VNode> nodes_;
  std::vector<VNode> scratch_;  // children of the containers being read
};

}  // namespace modelwatch::parse

#endif  // MODELWATCH_PARSE_VALUE_TREE_H_
