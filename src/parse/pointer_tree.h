// PointerTree: the configured JSON Pointers merged into one tree of path segments, so a line can
// be walked once and only the configured branches descended into. Built at configuration time.
#ifndef MODELWATCH_PARSE_POINTER_TREE_H_
#define MODELWATCH_PARSE_POINTER_TREE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace modelwatch::parse {

// What a pointer feeds. index is the field slot for kField.
struct PointerTarget {
  enum class Kind : std::uint8_t { kField, kTimestamp, kRequestId, kModelVersion, kLatency };
  Kind kind = Kind::kField;
  std::uint32_t index = 0;
};

struct PointerNode {
  std::string name;               // the unescaped segment (the object key it matches)
  std::int64_t array_index = -1;  // >= 0: the segment also addresses this array element
  std::vector<std::uint32_t> children;
  std::vector<PointerTarget> targets;  // several pointers may name the same place
};

class PointerTree {
 public:
  PointerTree();  // just the root (index 0)

  // Adds an RFC 6901 pointer. False when it is malformed: empty (the whole document), not
  // starting with '/', or with a '~' not followed by '0' or '1'.
  bool Add(std::string_view pointer, PointerTarget target);

  const PointerNode& node(std::uint32_t i) const { return nodes_[i]; }
  const PointerNode& root() const { return nodes_[0]; }
  std::uint32_t size() const { return static_cast<std::uint32_t>(nodes_.size()); }

 private:
  std::uint32_t Child(std::uint32_t parent, const std::string& segment);
  std::vector<PointerNode> nodes_;
};

// A canonical array index: "0" or digits without a leading zero, small enough to matter;
// -1 for any other segment.
std::int64_t ArrayIndex(const std::string& segment);

// Splits a pointer into unescaped segments ("~1" -> '/', "~0" -> '~'). False when malformed.
bool SplitPointer(std::string_view pointer, std::vector<std::string>* segments);

// The RFC 6901 escaping of one key: '~' -> "~0", '/' -> "~1".
std::string EscapePointerSegment(std::string_view key);

}  // namespace modelwatch::parse

#endif  // MODELWATCH_PARSE_POINTER_TREE_H_
