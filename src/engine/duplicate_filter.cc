#include "engine/duplicate_filter.h"

#include <algorithm>

#include "engine/hash_bytes.h"

namespace modelwatch::engine {

namespace {
// splitmix64's finalizer: the slot and the fingerprint come from independent-looking halves.
std::uint64_t Mix(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
}  // namespace

bool DuplicateFilter::Contains(const std::vector<std::uint32_t>& table, std::uint32_t slot,
                               std::uint32_t fingerprint) const {
  if (table.empty()) return false;
  for (;; slot = (slot + 1) & (kSlots - 1)) {
    if (table[slot] == 0) return false;
    if (table[slot] == fingerprint) return true;
  }
}

DuplicateFilter::Probe DuplicateFilter::Locate(std::string_view id) const {
  const std::uint64_t h = Mix(HashBytes(id.data(), id.size()));
  const auto slot = static_cast<std::uint32_t>(h) & (kSlots - 1);
  if (!current_.empty()) __builtin_prefetch(current_.data() + slot);
  if (!previous_.empty()) __builtin_prefetch(previous_.data() + slot);
  return {slot, std::max<std::uint32_t>(static_cast<std::uint32_t>(h >> 32), 1)};
}

bool DuplicateFilter::SeenBefore(const Probe& probe) {
  const std::uint32_t slot = probe.slot;
  const std::uint32_t fingerprint = probe.fingerprint;
  if (Contains(current_, slot, fingerprint) || Contains(previous_, slot, fingerprint)) {
    return true;
  }
  if (current_.empty()) {  // both generations at once: memory stays flat from the first id
    current_.assign(kSlots, 0);
    previous_.assign(kSlots, 0);
  }
  if (current_size_ == kPerGeneration) {
    previous_.swap(current_);
    std::fill(current_.begin(), current_.end(), 0u);
    current_size_ = 0;
  }
  std::uint32_t s = slot;
  while (current_[s] != 0) s = (s + 1) & (kSlots - 1);
  current_[s] = fingerprint;
  ++current_size_;
  return false;
}

}  // namespace modelwatch::engine
