// A complete line handed from the tailer to the parser.
#ifndef MODELWATCH_CORE_LINE_H_
#define MODELWATCH_CORE_LINE_H_

#include <cstddef>
#include <string_view>

namespace modelwatch {

// Bytes guaranteed readable after the end of every Line's text (>= simdjson's
// SIMDJSON_PADDING), so the parser can iterate the line in place without copying it.
inline constexpr std::size_t kLinePadding = 64;

struct Line {
  // The line without its terminator (LF or CRLF), without a leading UTF-8 BOM, never empty.
  std::string_view text;
  // Bytes readable from text.data(): always >= text.size() + kLinePadding. The bytes past the
  // text are unspecified (often the next lines).
  std::size_t capacity = 0;
};

}  // namespace modelwatch

#endif  // MODELWATCH_CORE_LINE_H_
