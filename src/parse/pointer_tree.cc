#include "parse/pointer_tree.h"

namespace modelwatch::parse {
std::int64_t ArrayIndex(const std::string& segment) {
  if (segment.empty() || segment.size() > 9) return -1;
  if (segment.size() > 1 && segment[0] == '0') return -1;
  std::int64_t v = 0;
  for (char c : segment) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

bool SplitPointer(std::string_view pointer, std::vector<std::string>* segments) {
  segments->clear();
  if (pointer.empty() || pointer[0] != '/') return false;
  std::string current;
  for (std::size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      segments->push_back(std::move(current));
      current.clear();
      continue;
    }
    const char c = pointer[i];
    if (c != '~') {
      current.push_back(c);
      continue;
    }
    if (i + 1 >= pointer.size()) return false;
    const char next = pointer[++i];
    if (next == '0') {
      current.push_back('~');
    } else if (next == '1') {
      current.push_back('/');
    } else {
      return false;
    }
  }
  return true;
}

std::string EscapePointerSegment(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

PointerTree::PointerTree() : nodes_(1) {}

bool PointerTree::Add(std::string_view pointer, PointerTarget target) {
  std::vector<std::string> segments;
  if (!SplitPointer(pointer, &segments)) return false;
  std::uint32_t at = 0;
  for (const std::string& segment : segments) at = Child(at, segment);
  nodes_[at].targets.push_back(target);
  return true;
}

std::uint32_t PointerTree::Child(std::uint32_t parent, const std::string& segment) {
  for (std::uint32_t c : nodes_[parent].children) {
    if (nodes_[c].name == segment) return c;
  }
  PointerNode node;
  node.name = segment;
  node.array_index = ArrayIndex(segment);
  const auto index = static_cast<std::uint32_t>(nodes_.size());
  nodes_.push_back(std::move(node));  // may reallocate: index, not reference, from here on
  nodes_[parent].children.push_back(index);
  return index;
}

}  // namespace modelwatch::parse
