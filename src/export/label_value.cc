#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include <modelwatch/export/exposition.h>

namespace modelwatch::exposition {

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 if invalid (overlongs, surrogates and
// code points above U+10FFFF are invalid).
std::size_t Utf8Len(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  std::size_t n;
  std::uint32_t cp;
  if ((c & 0xE0) == 0xC0) {
    n = 2, cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (d & 0x3F);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) return 0;
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}
}  // namespace

std::string SanitizeLabelValue(std::string_view v, std::size_t max_bytes) {
  // Every label of every series passes here at each scrape; nearly all are short printable
  // ASCII (names from the configuration, window labels, bin indices), which need no change.
  if (v.size() <= max_bytes && std::all_of(v.begin(), v.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return (c >= 0x20 && c < 0x80) || c == '\t' || c == '\n';
      })) {
    return std::string(v);
  }
  std::string out;
  out.reserve(std::min(v.size(), max_bytes));
  for (std::size_t i = 0; i < v.size();) {
    std::size_t n = Utf8Len(v, i);
    // Control bytes other than tab and newline (NUL above all) end or corrupt the parsers of
    // the text format; they become U+FFFD like invalid bytes.
    const auto c = static_cast<unsigned char>(v[i]);
    if (n == 1 && c < 0x20 && c != '\t' && c != '\n') n = 0;
    std::string_view piece = n ? v.substr(i, n) : std::string_view("\xEF\xBF\xBD");
    if (out.size() + piece.size() > max_bytes) break;
    out.append(piece);
    i += n ? n : 1;
  }
  return out;
}

}  // namespace modelwatch::exposition
