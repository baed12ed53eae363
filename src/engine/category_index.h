// CategoryIndex: the per-value lookup of a categorical field, built once from its reference:
// a value's drift bin (CategoricalReference::Bin) and whether the reference ever had it
// (CategoricalReference::Seen), in one probe of a flat table with a word-at-a-time hash
// (hash_bytes.h).
// Why not the reference's two std::unordered_map lookups: they cost 6 % of the bench workload's
// time (std::_Hash_bytes and the bucket chains, two per categorical value); this is one probe
// in one array, its strings packed in one buffer. Built from the maps, so it answers as they do.
#ifndef MODELWATCH_ENGINE_CATEGORY_INDEX_H_
#define MODELWATCH_ENGINE_CATEGORY_INDEX_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <modelwatch/drift/binning.h>

#include "engine/hash_bytes.h"

namespace modelwatch::engine {

class CategoryIndex {
 public:
  struct Entry {
    int bin = 0;
    bool seen = false;
  };

  CategoryIndex() = default;
  explicit CategoryIndex(const drift::CategoricalReference& ref) {
    other_ = static_cast<int>(ref.categories.size());
    std::size_t keys = ref.all.size() + ref.bin_of.size();
    std::size_t size = 8;
    while (size < 2 * keys) size *= 2;
    slots_.assign(size, Slot{});
    mask_ = size - 1;
    for (const auto& [name, count] : ref.all) Insert(name, {ref.Bin(name), true});
    for (const auto& [name, bin] : ref.bin_of) {
      if (ref.all.find(name) == ref.all.end()) Insert(name, {bin, false});
    }
  }

  Entry Find(std::string_view v) const {
    if (slots_.empty()) return {other_, false};
    const std::uint64_t h = HashBytes(v.data(), v.size());
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.len == kEmpty) return {other_, false};
      if (s.hash == h && s.len == v.size() &&
          BytesEqual(text_.data() + s.offset, v.data(), v.size())) {
        return {s.bin, s.seen};
      }
    }
  }

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFF;
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t offset = 0;
    std::uint32_t len = kEmpty;
    int bin = 0;
    bool seen = false;
  };

  void Insert(const std::string& name, Entry e) {
    const std::uint64_t h = HashBytes(name.data(), name.size());
    std::size_t i = h & mask_;
    while (slots_[i].len != kEmpty) i = (i + 1) & mask_;
    slots_[i] = Slot{h, static_cast<std::uint32_t>(text_.size()),
                     static_cast<std::uint32_t>(name.size()), e.bin, e.seen};
    text_ += name;
  }

  int other_ = 0;
  std::size_t mask_ = 0;
  std::vector<Slot> slots_;
  std::string text_;
};

}  // namespace modelwatch::engine

#endif  // MODELWATCH_ENGINE_CATEGORY_INDEX_H_
