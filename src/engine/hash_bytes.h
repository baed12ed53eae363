// Word-at-a-time hashing and comparison of short byte strings (categories, request ids) for the
// engine's per-value lookups: inline, with no library call, since a call per value showed in
// the bench profile (std::_Hash_bytes, memcmp, a byte-at-a-time FNV-1a).
#ifndef MODELWATCH_ENGINE_HASH_BYTES_H_
#define MODELWATCH_ENGINE_HASH_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace modelwatch::engine {

template <typename W>
inline W LoadWord(const char* p) {
  W w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// A 64-bit hash of n bytes, reading whole words (two overlapping ones for 8-16 bytes, the usual
// size), mixed with multiply-xorshift steps; the length is part of the seed.
inline std::uint64_t HashBytes(const char* p, std::size_t n) {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  std::uint64_t h = (n + 1) * kMul;
  auto mix = [&h](std::uint64_t w) {
    h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 32;
  };
  if (n >= 8) {
    std::size_t i = 0;
    for (; i + 8 < n; i += 8) mix(LoadWord<std::uint64_t>(p + i));
    mix(LoadWord<std::uint64_t>(p + n - 8));
  } else if (n >= 4) {
    mix(LoadWord<std::uint32_t>(p) | (std::uint64_t{LoadWord<std::uint32_t>(p + n - 4)} << 32));
  } else if (n > 0) {
    mix(static_cast<unsigned char>(p[0]) |
        (std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
        (std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16));
  }
  h *= kMul;
  return h ^ (h >> 29);
}

// a[0, n) == b[0, n), with loads that stay inside both (the last word overlaps the one before).
inline bool BytesEqual(const char* a, const char* b, std::size_t n) {
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (LoadWord<std::uint64_t>(a + i) != LoadWord<std::uint64_t>(b + i)) return false;
    }
    return LoadWord<std::uint64_t>(a + n - 8) == LoadWord<std::uint64_t>(b + n - 8);
  }
  if (n >= 4) {
    return LoadWord<std::uint32_t>(a) == LoadWord<std::uint32_t>(b) &&
           LoadWord<std::uint32_t>(a + n - 4) == LoadWord<std::uint32_t>(b + n - 4);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace modelwatch::engine

#endif  // MODELWATCH_ENGINE_HASH_BYTES_H_
