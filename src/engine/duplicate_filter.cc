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

bool DuplicateFilter::Contains(std::uint32_t generation, std::uint32_t slot,
                               std::uint32_t fingerprint) const {
  if (pairs_.empty()) return false;
  for (;; slot = (slot + 1) & (kSlots - 1)) {
    const std::uint32_t v = pairs_[2 * static_cast<std::size_t>(slot) + generation];
    if (v == 0) return false;
    if (v == fingerprint) return true;
  }
}

DuplicateFilter::Probe DuplicateFilter::Locate(std::string_view id) const {
  const std::uint64_t h = Mix(HashBytes(id.data(), id.size()));
  const auto slot = static_cast<std::uint32_t>(h) & (kSlots - 1);
  if (!pairs_.empty()) __builtin_prefetch(pairs_.data() + 2 * static_cast<std::size_t>(slot));
  return {slot, std::max<std::uint32_t>(static_cast<std::uint32_t>(h >> 32), 1)};
}

bool DuplicateFilter::SeenBefore(const Probe& probe) {
  const std::uint32_t slot = probe.slot;
  const std::uint32_t fingerprint = probe.fingerprint;
  if (Contains(current_, slot, fingerprint) || Contains(current_ ^ 1, slot, fingerprint)) {
    return true;
  }
  // Both generations at once: memory stays flat from the first id.
  if (pairs_.empty()) pairs_.assign(2 * static_cast<std::size_t>(kSlots), 0);
  if (current_size_ == kPerGeneration) {  // the previous generation is dropped and reused
    current_ ^= 1;
    for (std::size_t s = current_; s < pairs_.size(); s += 2) pairs_[s] = 0;
    current_size_ = 0;
  }
  std::uint32_t s = slot;
  while (pairs_[2 * static_cast<std::size_t>(s) + current_] != 0) s = (s + 1) & (kSlots - 1);
  pairs_[2 * static_cast<std::size_t>(s) + current_] = fingerprint;
  ++current_size_;
  return false;
}

}  // namespace modelwatch::engine
