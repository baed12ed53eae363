#include "parse/json_text.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace modelwatch::parse {
namespace {

// Reads four hex digits; stops at the first non-hex byte, so never reads past a closing quote.
bool ReadHex4(const unsigned char* p, char32_t* out) {
  char32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    const unsigned char c = p[i];
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return false;
    }
    v = v * 16 + static_cast<char32_t>(d);
  }
  *out = v;
  return true;
}

std::size_t EncodeUtf8(char32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

// Decodes the escape at p (p[0] == '\\'); advances p. False on an invalid escape.
bool DecodeEscape(const unsigned char*& p, char32_t* cp) {
  switch (p[1]) {
    case '"':
      *cp = '"';
      break;
    case '\\':
      *cp = '\\';
      break;
    case '/':
      *cp = '/';
      break;
    case 'b':
      *cp = '\b';
      break;
    case 'f':
      *cp = '\f';
      break;
    case 'n':
      *cp = '\n';
      break;
    case 'r':
      *cp = '\r';
      break;
    case 't':
      *cp = '\t';
      break;
    case 'u': {
      if (!ReadHex4(p + 2, cp)) return false;
      p += 6;
      char32_t low;
      if (*cp >= 0xD800 && *cp <= 0xDBFF && p[0] == '\\' && p[1] == 'u' && ReadHex4(p + 2, &low) &&
          low >= 0xDC00 && low <= 0xDFFF) {
        *cp = 0x10000 + ((*cp - 0xD800) << 10) + (low - 0xDC00);
        p += 6;
      } else if (*cp >= 0xD800 && *cp <= 0xDFFF) {
        *cp = 0xFFFD;  // a lone surrogate cannot be UTF-8: replaced, as invalid bytes are
      }
      return true;
    }
    default:
      return false;
  }
  p += 2;
  return true;
}

constexpr std::uint64_t Repeat(unsigned char byte) { return 0x0101010101010101ULL * byte; }

// The high bit of each byte of w that is '"', '\\' or not ASCII. The lowest flagged byte is exact
// (the zero-byte trick may flag bytes above it spuriously).
std::uint64_t SpecialBytes(std::uint64_t w) {
  constexpr std::uint64_t kLow = Repeat(0x01);
  const std::uint64_t q = w ^ Repeat('"');
  const std::uint64_t b = w ^ Repeat('\\');
  return (((q - kLow) & ~q) | ((b - kLow) & ~b) | w) & Repeat(0x80);
}

// How many plain bytes start p, given SpecialBytes of the word at p (non-zero).
std::size_t PlainPrefix(const unsigned char* p, std::uint64_t special) {
  if constexpr (std::endian::native == std::endian::little) {
    return static_cast<std::size_t>(std::countr_zero(special)) / 8;
  } else {
    std::size_t k = 0;
    while (p[k] < 0x80 && p[k] != '"' && p[k] != '\\') ++k;
    return k;
  }
}

}  // namespace

UnescapeResult UnescapeJsonString(const char* raw, char* out, std::size_t cap) {
  UnescapeResult r;
  const auto* p = reinterpret_cast<const unsigned char*>(raw);
  std::size_t n = 0;
  for (;;) {
    unsigned char c;
    if (n + 8 <= cap) {
      // A word of plain ASCII at a time. The load may pass the closing quote by up to 7 bytes,
      // which stay inside the input's padding; the store stays inside out.
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      const std::uint64_t special = SpecialBytes(w);
      std::memcpy(out + n, &w, 8);
      if (special == 0) {
        n += 8;
        p += 8;
        continue;
      }
      const std::size_t plain = PlainPrefix(p, special);
      n += plain;
      p += plain;
      c = *p;
    } else {
      c = *p;
      if (c < 0x80 && c != '"' && c != '\\') {
        if (n == cap) {
          r.truncated = true;
          break;
        }
        out[n++] = static_cast<char>(c);
        ++p;
        continue;
      }
    }
    if (c == '"') break;
    char tmp[4];
    const char* bytes = tmp;
    std::size_t len;
    if (c == '\\') {
      char32_t cp;
      if (!DecodeEscape(p, &cp)) {
        r.ok = false;
        break;
      }
      len = EncodeUtf8(cp, tmp);
    } else {
      // Stage 1 validated the UTF-8, so the lead byte tells the character's length.
      len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      bytes = reinterpret_cast<const char*>(p);
      p += len;
    }
    if (n + len > cap) {
      r.truncated = true;
      break;
    }
    for (std::size_t i = 0; i < len; ++i) out[n + i] = bytes[i];
    n += len;
  }
  r.size = n;
  return r;
}

std::size_t FormatNumber(double value, char* out) {
  if (value == 0) {  // also -0
    out[0] = '0';
    return 1;
  }
  // Shortest round-trip digits and the decimal exponent, e.g. "-1.2345e+19".
  char sci[kNumberTextBytes];
  const auto res = std::to_chars(sci, sci + sizeof sci, value, std::chars_format::scientific);
  const char* p = sci;
  char* o = out;
  if (*p == '-') {
    *o++ = '-';
    ++p;
  }
  char digits[24];
  int k = 0;
  for (; *p != 'e'; ++p) {
    if (*p != '.') digits[k++] = *p;
  }
  ++p;
  const bool exp_negative = *p++ == '-';
  int exp = 0;
  for (; p < res.ptr; ++p) exp = exp * 10 + (*p - '0');
  if (exp_negative) exp = -exp;
  const int n = exp + 1;  // the position of the decimal point relative to the digits
  if (k <= n && n <= 21) {
    o = std::copy(digits, digits + k, o);
    o = std::fill_n(o, n - k, '0');
  } else if (0 < n && n <= 21) {
    o = std::copy(digits, digits + n, o);
    *o++ = '.';
    o = std::copy(digits + n, digits + k, o);
  } else if (-6 < n && n <= 0) {
    *o++ = '0';
    *o++ = '.';
    o = std::fill_n(o, -n, '0');
    o = std::copy(digits, digits + k, o);
  } else {
    *o++ = digits[0];
    if (k > 1) {
      *o++ = '.';
      o = std::copy(digits + 1, digits + k, o);
    }
    *o++ = 'e';
    *o++ = exp < 0 ? '-' : '+';
    o = std::to_chars(o, out + kNumberTextBytes, exp < 0 ? -exp : exp).ptr;
  }
  return static_cast<std::size_t>(o - out);
}

bool IsNanWord(std::string_view text) {
  if (text.size() < 3 || text.size() > 9) return false;
  switch (text[0]) {  // most values fail here
    case 'n':
    case 'N':
    case 'i':
    case 'I':
    case '-':
      break;
    default:
      return false;
  }
  char lower[9];
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const std::string_view s(lower, text.size());
  return s == "nan" || s == "inf" || s == "-inf" || s == "infinity" || s == "-infinity";
}

bool IsJsonNumber(std::string_view token) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' ||
                            token.back() == '\r')) {
    token.remove_suffix(1);
  }
  std::size_t i = 0;
  const std::size_t n = token.size();
  auto digits = [&] {
    const std::size_t start = i;
    while (i < n && token[i] >= '0' && token[i] <= '9') ++i;
    return i - start;
  };
  if (i < n && token[i] == '-') ++i;
  if (i < n && token[i] == '0') {
    ++i;
  } else if (digits() == 0) {
    return false;
  }
  if (i < n && token[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  }
  if (i < n && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    if (i < n && (token[i] == '+' || token[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == n;
}

}  // namespace modelwatch::parse
