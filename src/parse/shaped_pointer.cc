#include "parse/shaped_pointer.h"

#include "parse/pointer_tree.h"

namespace modelwatch::parse {
CompiledPointer CompilePointer(const std::string& text,
                               const std::function<std::uint32_t(std::string_view)>& intern) {
  CompiledPointer p;
  std::string rest = text;
  if (text == "0" || text.rfind("0/", 0) == 0) {
    p.relative = true;
    rest = text.substr(1);
  }
  std::vector<std::string> segments;
  if (!rest.empty() && !SplitPointer(rest, &segments)) return p;
  if (rest.empty() && !p.relative) return p;  // the whole document: not addressable
  for (const std::string& s : segments) {
    PointerStep step;
    step.key = intern(s);
    step.index = ArrayIndex(s);
    step.row_index = s == "{index}";
    p.steps.push_back(step);
  }
  p.valid = true;
  return p;
}

std::uint32_t ResolvePointer(const ValueTree& tree, const CompiledPointer& p, std::uint32_t root,
                             std::uint32_t row, std::uint64_t row_index,
                             const std::vector<std::uint32_t>& names) {
  if (!p.valid) return kNoNode;
  std::uint32_t n = p.relative ? row : root;
  bool at_row = p.relative;
  for (const PointerStep& step : p.steps) {
    if (n == kNoNode) return kNoNode;
    const VNode& v = tree.node(n);
    if (v.kind == JsonKind::kObject) {
      n = tree.Child(n, step.key);
    } else if (v.kind == JsonKind::kArray) {
      if (step.row_index) {
        n = tree.Element(n, row_index);
      } else if (at_row && !names.empty()) {
        std::uint32_t found = kNoNode;
        for (std::size_t c = 0; c < names.size(); ++c) {
          if (names[c] == step.key) {
            found = tree.Element(n, c);
            break;
          }
        }
        n = found != kNoNode || step.index < 0 ? found : tree.Element(n, step.index);
      } else if (step.index >= 0) {
        n = tree.Element(n, static_cast<std::uint64_t>(step.index));
      } else {
        return kNoNode;
      }
    } else {
      return kNoNode;
    }
    at_row = false;
  }
  return n;
}

}  // namespace modelwatch::parse
