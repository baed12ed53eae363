#include "parse/key_matcher.h"

#include <algorithm>
#include <cstring>

namespace modelwatch::parse {
namespace {

constexpr std::uint64_t Repeat(unsigned char byte) { return 0x0101010101010101ULL * byte; }

// Whether the key starting at raw holds a backslash before its closing quote. Reads whole
// 8-byte words; the last one ends at most 7 bytes past the quote, inside the padding.
bool HasEscape(const char* raw) {
  constexpr std::uint64_t kLow = Repeat(0x01);
  constexpr std::uint64_t kHigh = Repeat(0x80);
  for (std::size_t i = 0;; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, raw + i, 8);
    const std::uint64_t q = w ^ Repeat('"');
    const std::uint64_t b = w ^ Repeat('\\');
    const std::uint64_t zq = (q - kLow) & ~q & kHigh;  // high bit set where a byte was '"'
    const std::uint64_t zb = (b - kLow) & ~b & kHigh;
    if ((zq | zb) == 0) continue;
    // Only the lowest flagged byte is exact; compare the first quote and backslash positions
    // byte by byte within this word.
    for (std::size_t j = 0; j < 8; ++j) {
      if (raw[i + j] == '"') return false;
      if (raw[i + j] == '\\') return true;
    }
  }
}

}  // namespace

void KeyMatcher::Add(std::string_view name, std::uint32_t node) {
  Key key;
  key.node = node;
  key.name = std::string(name);
  key.fast = name.size() < kWords * 8 && name.find_first_of("\"\\") == std::string_view::npos;
  if (key.fast) {
    unsigned char bytes[kWords * 8] = {};
    unsigned char mask[kWords * 8] = {};
    std::memcpy(bytes, name.data(), name.size());
    bytes[name.size()] = '"';
    const std::size_t n = name.size() + 1;
    std::memset(mask, 0xFF, n);
    key.words = static_cast<std::uint8_t>((n + 7) / 8);
    std::memcpy(key.expected, bytes, sizeof key.expected);
    std::memcpy(&key.last_mask, mask + (key.words - 1) * 8, 8);
  } else {
    has_slow_keys_ = true;
  }
  keys_.push_back(std::move(key));
}

void KeyMatcher::AddHere(std::string_view name, std::uint32_t node) {
  Add(name, node);
  const std::uint32_t at =
      std::min<std::uint32_t>(next_, static_cast<std::uint32_t>(keys_.size() - 1));
  std::rotate(keys_.begin() + at, keys_.end() - 1, keys_.end());
  next_ = at + 1;
}

std::int64_t KeyMatcher::MatchRawSearch(const char* raw) {
  const std::uint32_t count = static_cast<std::uint32_t>(keys_.size());
  for (std::uint32_t at = 0; at < count; ++at) {
    const Key& key = keys_[at];
    if (key.fast && RawEquals(raw, key)) {
      next_ = at + 1;
      return key.node;
    }
  }
  return has_slow_keys_ || HasEscape(raw) ? kUnescape : kNoMatch;
}

std::int64_t KeyMatcher::MatchUnescaped(std::string_view key) const {
  for (const Key& k : keys_) {
    if (k.name == key) return k.node;
  }
  return kNoMatch;
}

}  // namespace modelwatch::parse
