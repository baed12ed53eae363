// KeyMatcher: finds which configured child of a pointer-tree node an object key names, by
// comparing the key's raw JSON bytes a word at a time, so the usual key costs one or two 8-byte
// compares and is never copied or unescaped.
#ifndef MODELWATCH_PARSE_KEY_MATCHER_H_
#define MODELWATCH_PARSE_KEY_MATCHER_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace modelwatch::parse {

class KeyMatcher {
 public:
  static constexpr std::int64_t kNoMatch = -1;
  static constexpr std::int64_t kUnescape = -2;  // only the unescaped key can tell

  void Add(std::string_view name, std::uint32_t node);
  // Add, placed where the last MatchRaw that found nothing was looking: a key learned from a
  // line then sits in that line's key order, so the likely-next check keeps hitting.
  void AddHere(std::string_view name, std::uint32_t node);

  // raw: the key's body just after its opening quote, inside a padded simdjson input (the key is
  // closed by an unescaped quote and at least 32 bytes are readable from raw). Returns the
  // child's node, kNoMatch, or kUnescape when the key holds an escape or a child's name cannot be
  // compared raw; then call MatchUnescaped. Keys are tried from where the last match ended, since
  // the lines of one log usually share their key order.
  std::int64_t MatchRaw(const char* raw) {
    if (next_ < keys_.size()) {  // the likely one first, inline
      const Key& key = keys_[next_];
      if (key.fast && RawEquals(raw, key)) {
        ++next_;
        return key.node;
      }
    }
    return MatchRawSearch(raw);
  }
  std::int64_t MatchUnescaped(std::string_view key) const;

 private:
  static constexpr std::size_t kWords = 4;  // names up to 31 bytes (plus the closing quote)

  struct Key {
    std::uint32_t node = 0;
    bool fast = false;  // short, and no '"' or '\\': the raw bytes are the name
    std::uint8_t words = 0;
    std::uint64_t expected[kWords] = {};  // name, then '"', then zeros
    std::uint64_t last_mask = 0;          // which bytes of the last word count
    std::string name;
  };

  bool RawEquals(const char* raw, const Key& key) const {
    const std::size_t last = key.words - 1;
    for (std::size_t i = 0; i < last; ++i) {
      std::uint64_t w;
      std::memcpy(&w, raw + i * 8, 8);
      if (w != key.expected[i]) return false;
    }
    std::uint64_t w;
    std::memcpy(&w, raw + last * 8, 8);
    return (w & key.last_mask) == key.expected[last];
  }
  std::int64_t MatchRawSearch(const char* raw);

  std::vector<Key> keys_;
  bool has_slow_keys_ = false;
  std::uint32_t next_ = 0;
};

}  // namespace modelwatch::parse

#endif  // MODELWATCH_PARSE_KEY_MATCHER_H_
