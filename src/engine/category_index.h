// CategoryIndex: the per-value lookup of a categorical field, built once from its reference:
// a value's drift bin (CategoricalReference::Bin) and whether the reference ever had it
// (CategoricalReference::Seen), in one probe of a flat table with a word-at-a-time hash.
// Why not the reference's two std::unordered_map lookups: they cost 6 % of the bench workload's
// time (std::_Hash_bytes and the bucket chains, two per categorical value); this is one probe
// in one array, its strings packed in one buffer. Built from the maps, so it answers as they do.
#ifndef MODELWATCH_ENGINE_CATEGORY_INDEX_H_
#define MODELWATCH_ENGINE_CATEGORY_INDEX_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <modelwatch/drift/binning.h>

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
    const std::uint64_t h = Hash(v.data(), v.size());
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.len == kEmpty) return {other_, false};
      if (s.hash == h && s.len == v.size() &&
          std::memcmp(text_.data() + s.offset, v.data(), v.size()) == 0) {
        return {s.bin, s.seen};
      }
    }
  }

  // A 64-bit hash of n bytes, reading whole words (two overlapping ones for 8-16 bytes, the
  // usual category), mixed with multiply-xorshift steps.
  static std::uint64_t Hash(const char* p, std::size_t n) {
    constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
    std::uint64_t h = (n + 1) * kMul;
    auto mix = [&](std::uint64_t w) {
      h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
      h ^= h >> 32;
    };
    if (n >= 8) {
      std::size_t i = 0;
      for (; i + 8 < n; i += 8) mix(Load<std::uint64_t>(p + i));
      mix(Load<std::uint64_t>(p + n - 8));
    } else if (n >= 4) {
      mix(Load<std::uint32_t>(p) | (std::uint64_t{Load<std::uint32_t>(p + n - 4)} << 32));
    } else if (n > 0) {
      mix(static_cast<unsigned char>(p[0]) |
          (std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
          (std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16));
    }
    h *= kMul;
    return h ^ (h >> 29);
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

  template <typename W>
  static W Load(const char* p) {
    W w;
    std::memcpy(&w, p, sizeof w);
    return w;
  }

  void Insert(const std::string& name, Entry e) {
    const std::uint64_t h = Hash(name.data(), name.size());
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
