// JsonWriter: appends JSON text to a string, for the hand-written outputs (status page, check
// report, baseline file). The caller places the structure ('{', ',', ...); the writer escapes
// strings and spells numbers. Standard library only.
#ifndef MODELWATCH_CORE_JSON_WRITER_H_
#define MODELWATCH_CORE_JSON_WRITER_H_

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace modelwatch {

class JsonWriter {
 public:
  JsonWriter& Raw(std::string_view s) {
    out_.append(s);
    return *this;
  }
  // A string literal: quotes, backslashes and control bytes escaped; other bytes as they are
  // (the caller passes valid UTF-8).
  JsonWriter& Str(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out_ += '"';
    for (char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        out_ += '\\';
        out_ += c;
      } else if (c == '\n') {
        out_ += "\\n";
      } else if (u < 0x20) {
        const char esc[] = {'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 15]};
        out_.append(esc, sizeof esc);
      } else {
        out_ += c;
      }
    }
    out_ += '"';
    return *this;
  }
  JsonWriter& Key(std::string_view k) {
    Str(k);
    out_ += ':';
    return *this;
  }
  // Shortest round-trip spelling; null when not finite (JSON has no NaN or infinity).
  JsonWriter& Num(double v) { return Number(v, false); }
  // The same, but always with a '.' or exponent, so that every reader takes it as a double
  // (-0 and integers beyond 2^64 included).
  JsonWriter& Double(double v) { return Number(v, true); }
  JsonWriter& Int(std::int64_t v) { return Raw(std::to_string(v)); }
  JsonWriter& Bool(bool b) { return Raw(b ? "true" : "false"); }
  std::string Take() { return std::move(out_); }

 private:
  JsonWriter& Number(double v, bool mark_double) {
    if (!std::isfinite(v)) return Raw("null");
    char buf[400];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    const std::string_view text(buf, static_cast<std::size_t>(r.ptr - buf));
    out_.append(text);
    if (mark_double && text.find_first_of(".e") == std::string_view::npos) out_ += ".0";
    return *this;
  }

  std::string out_;
};

}  // namespace modelwatch

#endif  // MODELWATCH_CORE_JSON_WRITER_H_
