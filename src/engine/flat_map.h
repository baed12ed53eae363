// FlatMap: an open-addressing hash table from a non-zero 64-bit key (already a good hash) to V,
// with linear probing and backward-shift deletion, so it needs no tombstones. Grows by doubling
// at 70% load; never allocates per insertion otherwise. Not thread-safe.
#ifndef MODELWATCH_ENGINE_FLAT_MAP_H_
#define MODELWATCH_ENGINE_FLAT_MAP_H_

#include <cstdint>
#include <cstdlib>
#include <vector>

namespace modelwatch::engine {

template <typename V>
class FlatMap {
 public:
  std::size_t size() const { return size_; }

  V* Find(std::uint64_t key) {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = key & mask_;; i = (i + 1) & mask_) {
      if (slots_[i].key == key) return &slots_[i].value;
      if (slots_[i].key == 0) return nullptr;
    }
  }
  const V* Find(std::uint64_t key) const { return const_cast<FlatMap*>(this)->Find(key); }

  // key must not be present (and not 0). The reference is valid until the next Insert or Erase.
  V& Insert(std::uint64_t key) {
    if ((size_ + 1) * 10 > slots_.size() * 7) Grow();
    std::size_t i = key & mask_;
    while (slots_[i].key != 0) i = (i + 1) & mask_;
    slots_[i].key = key;
    slots_[i].value = V{};
    ++size_;
    return slots_[i].value;
  }

  void Erase(std::uint64_t key) {
    if (slots_.empty()) return;
    std::size_t i = key & mask_;
    while (slots_[i].key != key) {
      if (slots_[i].key == 0) return;
      i = (i + 1) & mask_;
    }
    // Backward shift: move later members of the probe run into the hole.
    for (std::size_t j = (i + 1) & mask_; slots_[j].key != 0; j = (j + 1) & mask_) {
      const std::size_t home = slots_[j].key & mask_;
      // Move j to i when its home is not cyclically within (i, j].
      const bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (stays) continue;
      slots_[i] = slots_[j];
      i = j;
    }
    slots_[i].key = 0;
    --size_;
  }

  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (const Slot& s : slots_) {
      if (s.key != 0) fn(s.key, s.value);
    }
  }

  void Clear() {
    slots_.clear();
    mask_ = 0;
    size_ = 0;
  }

 private:
  struct Slot {
    std::uint64_t key = 0;
    V value{};
  };
  void Grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    size_ = 0;
    for (const Slot& s : old) {
      if (s.key == 0) continue;
      std::size_t i = s.key & mask_;
      while (slots_[i].key != 0) i = (i + 1) & mask_;
      slots_[i] = s;
      ++size_;
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace modelwatch::engine

#endif  // MODELWATCH_ENGINE_FLAT_MAP_H_
