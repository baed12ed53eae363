// Bounded per-feature category counts and the stable hash of a category (private to the engine).
#ifndef MODELWATCH_ENGINE_CATEGORY_TABLE_H_
#define MODELWATCH_ENGINE_CATEGORY_TABLE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <modelwatch/drift/binning.h>

namespace modelwatch::engine {

// FNV-1a 64 of the bytes: stable across builds, platforms and restarts.
std::uint64_t Fnv1a64(std::string_view bytes);

// The `hash` spelling of a category for expose_categories: hash, the first 8 hex digits of
// Fnv1a64 of its canonical value ("d58b3fa5").
std::string CategoryHash(std::string_view value);

// The category series of one categorical feature (interface.md §4.4): at most max_categories
// names, the reference's top categories first (drift-bin order), then the first values seen in
// traffic; every other observation is overflow (`__other__`). Memory is bounded by the cap: only
// the names that own a slot are stored, never the set of values seen.
class CategoryTable {
 public:
  // reference_top: the reference's drift-bin categories, most frequent first.
  CategoryTable(const std::vector<std::string>& reference_top, int max_categories);

  // Counts one observation of value. ref_bin: the value's drift bin when a reference exists
  // (CategoricalReference::Bin: < reference_top.size() for a top category), else -1. Allocates
  // only when a traffic value takes a free slot, so at most max_categories times in all.
  void Observe(std::string_view value, int ref_bin);

  const std::vector<std::string>& names() const { return names_; }
  const std::vector<std::uint64_t>& counts() const { return counts_; }
  std::uint64_t overflow() const { return overflow_; }
  // Replaces the counts with saved ones (a checkpoint). The reference categories must come first
  // as this table has them; returns false (and changes nothing) otherwise.
  bool Restore(const std::vector<std::string>& names, const std::vector<std::uint64_t>& counts,
               std::uint64_t overflow);

 private:
  std::size_t cap_;
  std::size_t reference_count_;  // reference top categories, slots or not
  std::size_t reference_slots_;  // min(reference_count_, cap_)
  std::vector<std::string> names_;
  std::vector<std::uint64_t> counts_;
  std::uint64_t overflow_ = 0;
  drift::StringMap<std::uint32_t> traffic_;  // traffic name -> slot
};

}  // namespace modelwatch::engine

#endif  // MODELWATCH_ENGINE_CATEGORY_TABLE_H_
