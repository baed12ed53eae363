// Text helpers for the record parser: JSON string unescaping into fixed buffers, the canonical
// spelling of numbers, and the NaN-like words. Pure functions, no allocation.
#ifndef MODELWATCH_PARSE_JSON_TEXT_H_
#define MODELWATCH_PARSE_JSON_TEXT_H_

#include <cstddef>
#include <string_view>

namespace modelwatch::parse {

// Categorical values, model versions and the like are cut to this many bytes.
inline constexpr std::size_t kMaxTextBytes = 128;
// FormatNumber never writes more than this.
inline constexpr std::size_t kNumberTextBytes = 32;

struct UnescapeResult {
  bool ok = true;          // false: an invalid escape sequence (the line is not valid JSON)
  bool truncated = false;  // the string was longer than the buffer
  std::size_t size = 0;    // bytes written
};

// Unescapes the JSON string whose body starts at raw (just after the opening quote; it must be a
// string that simdjson's stage 1 accepted, so valid UTF-8 and closed by an unescaped quote) into
// out, writing at most cap bytes and never splitting a UTF-8 character. A lone surrogate escape
// becomes U+FFFD. Reading stops once the buffer is full.
UnescapeResult UnescapeJsonString(const char* raw, char* out, std::size_t cap);

// The canonical spelling of a finite number, as ECMAScript's Number::toString: the shortest
// round-trip digits; integers below 1e21 without exponent or ".0" (3, 1000000); 2.5; 1e+21;
// 1.5e-7; -0 as "0". Writes at most kNumberTextBytes into out, returns the length.
std::size_t FormatNumber(double value, char* out);

// "NaN", "inf", "-inf", "Infinity", "-Infinity", in any case.
bool IsNanWord(std::string_view text);

// Whether token (trailing whitespace allowed) follows the JSON number grammar. Used to tell a
// number too large for a double (valid JSON) from a malformed one.
bool IsJsonNumber(std::string_view token);

}  // namespace modelwatch::parse

#endif  // MODELWATCH_PARSE_JSON_TEXT_H_
