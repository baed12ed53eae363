// Approximate detection of repeated request ids in fixed memory (private to the engine).
#ifndef MODELWATCH_ENGINE_DUPLICATE_FILTER_H_
#define MODELWATCH_ENGINE_DUPLICATE_FILTER_H_

#include <cstdint>
#include <string_view>
#include <vector>

namespace modelwatch::engine {

// Remembers the recent ids as 32-bit fingerprints in two generations of an open-addressing table
// (linear probing, kSlots each, filled to half: kPerGeneration ids). When the current generation
// is full the older one is dropped and reused.
//   Horizon: an id repeated with fewer than kPerGeneration (262,144) other distinct ids in
//   between is always reported; with 2·kPerGeneration (524,288) or more, never; in between it
//   depends on where the generation boundary falls.
//   False positives: a new id is reported when a fingerprint it meets while probing equals its
//   own; at load <= 1/2 an unsuccessful probe meets about 1.5 occupied slots per generation, so
//   about 3 / 2^32 ≈ 7e-10 per id (one false duplicate per ~1.4 billion distinct ids).
//   No false negatives within the horizon.
//   Memory: 2 · kSlots · 4 bytes = 4 MiB, allocated at the first id. The two generations'
//   slots are interleaved ([current, previous] pairs, `current_` says which member is which),
//   so a lookup's two probes share a cache line: one memory miss per id instead of two.
//   Rotating the generations clears one member of every pair.
class DuplicateFilter {
 public:
  static constexpr std::uint32_t kSlots = 1u << 19;
  static constexpr std::uint32_t kPerGeneration = kSlots / 2;

  // Where an id lives in the tables. Locate also prefetches those cache lines: the tables are
  // far larger than the caches, so a lookup is a memory miss unless it was asked for early.
  struct Probe {
    std::uint32_t slot;
    std::uint32_t fingerprint;
  };
  Probe Locate(std::string_view id) const;

  // True when the located id was seen within the horizon; otherwise remembers it, false.
  bool SeenBefore(const Probe& probe);
  bool SeenBefore(std::string_view id) { return SeenBefore(Locate(id)); }

 private:
  bool Contains(std::uint32_t generation, std::uint32_t slot, std::uint32_t fingerprint) const;

  std::vector<std::uint32_t> pairs_;  // slot s of generation g at 2·s + g; 0 marks an empty slot
  std::uint32_t current_ = 0;         // the current generation's member of each pair
  std::uint32_t current_size_ = 0;
};

}  // namespace modelwatch::engine

#endif  // MODELWATCH_ENGINE_DUPLICATE_FILTER_H_
