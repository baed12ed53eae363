// Pointers of the shaped parser, compiled to key ids: absolute RFC 6901 pointers, Relative JSON
// Pointers from the batch row ("0", "0/age"; only the 0 prefix), and the `{index}` segment
// that stands for the batch row's index in an absolute pointer.
#ifndef MODELWATCH_PARSE_SHAPED_POINTER_H_
#define MODELWATCH_PARSE_SHAPED_POINTER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "parse/value_tree.h"

namespace modelwatch::parse {

struct PointerStep {
  std::uint32_t key = kNoKey;  // the segment as an object key
  std::int64_t index = -1;     // the segment as an array index, or -1
  bool row_index = false;      // "{index}": the batch row's index
};

struct CompiledPointer {
  bool valid = false;  // configured and well-formed
  bool relative = false;
  std::vector<PointerStep> steps;
};

CompiledPointer CompilePointer(const std::string& text,
                               const std::function<std::uint32_t(std::string_view)>& intern);

// The node the pointer names, or kNoNode. Relative pointers start at `row` (kNoNode: nothing);
// at the row, an array is indexed by position or, when `names` is not empty, by the column
// whose header key id equals the segment's.
std::uint32_t ResolvePointer(const ValueTree& tree, const CompiledPointer& p, std::uint32_t root,
                             std::uint32_t row, std::uint64_t row_index,
                             const std::vector<std::uint32_t>& names);

}  // namespace modelwatch::parse

#endif  // MODELWATCH_PARSE_SHAPED_POINTER_H_
