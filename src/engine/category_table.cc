#include "engine/category_table.h"

#include <algorithm>
#include <cstdio>

namespace modelwatch::engine {

std::uint64_t Fnv1a64(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string CategoryHash(std::string_view value) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(Fnv1a64(value) >> 32));
  return buf;
}

CategoryTable::CategoryTable(const std::vector<std::string>& reference_top, int max_categories)
    : cap_(static_cast<std::size_t>(std::max(max_categories, 0))),
      reference_count_(reference_top.size()),
      reference_slots_(std::min(reference_top.size(), cap_)) {
  names_.assign(reference_top.begin(),
                reference_top.begin() + static_cast<std::ptrdiff_t>(reference_slots_));
  counts_.assign(reference_slots_, 0);
  names_.reserve(cap_);
  counts_.reserve(cap_);
}

void CategoryTable::Observe(std::string_view value, int ref_bin) {
  if (ref_bin >= 0 && static_cast<std::size_t>(ref_bin) < reference_count_) {
    if (static_cast<std::size_t>(ref_bin) < reference_slots_) {
      ++counts_[static_cast<std::size_t>(ref_bin)];
    } else {
      ++overflow_;
    }
    return;
  }
  if (reference_slots_ == cap_) {  // no slot was ever free for traffic
    ++overflow_;
    return;
  }
  if (const auto it = traffic_.find(value); it != traffic_.end()) {
    ++counts_[it->second];
    return;
  }
  if (names_.size() == cap_) {
    ++overflow_;
    return;
  }
  traffic_.emplace(std::string(value), static_cast<std::uint32_t>(names_.size()));
  names_.emplace_back(value);
  counts_.push_back(1);
}

bool CategoryTable::Restore(const std::vector<std::string>& names,
                            const std::vector<std::uint64_t>& counts, std::uint64_t overflow) {
  if (names.size() != counts.size() || names.size() > cap_ || names.size() < reference_slots_) {
    return false;
  }
  for (std::size_t i = 0; i < reference_slots_; ++i) {
    if (names[i] != names_[i]) return false;
  }
  names_ = names;
  counts_ = counts;
  overflow_ = overflow;
  traffic_.clear();
  for (std::size_t i = reference_slots_; i < names_.size(); ++i) {
    traffic_.emplace(names_[i], static_cast<std::uint32_t>(i));
  }
  return true;
}

}  // namespace modelwatch::engine
