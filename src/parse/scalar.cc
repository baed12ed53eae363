#include "parse/scalar.h"

#include <charconv>
#include <cmath>

#include <modelwatch/parse/record_parser.h>

#include "parse/json_text.h"

namespace modelwatch::parse {
namespace {

// Long enough for any number spelled as a string, and for any sensible timestamp; longer ones
// are unusable.
constexpr std::size_t kScratchBytes = 64;
constexpr std::size_t kTimestampBytes = 256;

// A whole-string decimal number ("12.5", "-3", "1e3"); nullopt otherwise.
std::optional<double> NumberFromText(std::string_view text) {
  double v;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

// parse.numbers_in_strings: "0.91" -> 0.91; kept out of ReadNumeric's strict path.
[[gnu::noinline]] bool ReadNumericString(const Scalar& s, FieldValue* out) {
  char buf[kScratchBytes];
  const UnescapeResult r = UnescapeJsonString(s.raw, buf, sizeof buf);
  if (!r.ok) return false;
  const std::string_view text(buf, r.size);
  if (r.truncated) {
    out->state = ValueState::kTypeMismatch;
  } else if (text.empty()) {
    out->state = ValueState::kEmpty;
  } else if (IsNanWord(text)) {
    out->state = ValueState::kNan;
  } else if (text[0] == '-' || (text[0] >= '0' && text[0] <= '9')) {
    const std::optional<double> v = NumberFromText(text);
    out->state = !v                  ? ValueState::kTypeMismatch
                 : std::isfinite(*v) ? ValueState::kValid
                                     : ValueState::kNan;
    out->number = v.value_or(0);
  } else {
    out->state = ValueState::kTypeMismatch;
  }
  return true;
}

}  // namespace

bool ReadNumeric(const Scalar& s, FieldValue* out, bool numbers_in_strings) {
  out->text = {};
  switch (s.kind) {
    case JsonKind::kNumber:
      out->number = s.number;
      out->state = std::isfinite(s.number) ? ValueState::kValid : ValueState::kNan;
      return true;
    case JsonKind::kString: {
      if (numbers_in_strings) return ReadNumericString(s, out);
      char buf[16];
      const UnescapeResult r = UnescapeJsonString(s.raw, buf, sizeof buf);
      if (!r.ok) return false;
      const std::string_view text(buf, r.size);
      if (r.truncated) {
        out->state = ValueState::kTypeMismatch;
      } else if (text.empty()) {
        out->state = ValueState::kEmpty;
      } else {
        out->state = IsNanWord(text) ? ValueState::kNan : ValueState::kTypeMismatch;
      }
      return true;
    }
    case JsonKind::kNull:
      out->state = ValueState::kNull;
      return true;
    default:
      out->state = ValueState::kTypeMismatch;
      return true;
  }
}

bool ReadCategorical(const Scalar& s, char* buf, FieldValue* out) {
  out->text = {};
  switch (s.kind) {
    case JsonKind::kString: {
      const UnescapeResult r = UnescapeJsonString(s.raw, buf, kMaxTextBytes);
      if (!r.ok) return false;
      const std::string_view text(buf, r.size);
      if (text.empty()) {
        out->state = ValueState::kEmpty;
      } else if (!r.truncated && IsNanWord(text)) {
        out->state = ValueState::kNan;
      } else {
        out->state = ValueState::kValid;
        out->text = text;
      }
      return true;
    }
    case JsonKind::kNumber:
      if (!std::isfinite(s.number)) {
        out->state = ValueState::kNan;
      } else {
        out->state = ValueState::kValid;
        out->text = std::string_view(buf, FormatNumber(s.number, buf));
      }
      return true;
    case JsonKind::kBool:
      out->state = ValueState::kValid;
      out->text = s.boolean ? "true" : "false";
      return true;
    case JsonKind::kNull:
      out->state = ValueState::kNull;
      return true;
    default:
      out->state = ValueState::kTypeMismatch;
      return true;
  }
}

bool ReadTimestamp(const Scalar& s, config::TimestampFormat format, std::optional<double>* out,
                   double timezone_offset) {
  using F = config::TimestampFormat;
  *out = std::nullopt;
  const bool text_format = format == F::kRfc3339 || format == F::kIso8601;
  std::optional<double> v;
  if (s.kind == JsonKind::kString) {
    char buf[kTimestampBytes];
    const UnescapeResult r = UnescapeJsonString(s.raw, buf, sizeof buf);
    if (!r.ok) return false;
    if (r.truncated) return true;
    const std::string_view text(buf, r.size);
    if (format == F::kRfc3339) {
      v = ParseRfc3339(text);
    } else if (format == F::kIso8601) {
      v = ParseIso8601(text, timezone_offset);
    } else {
      v = NumberFromText(text);
    }
  } else if (s.kind == JsonKind::kNumber && !text_format) {
    v = s.number;
  }
  if (!v || !std::isfinite(*v)) return true;
  switch (format) {
    case F::kUnixMillis:
      *out = *v / 1e3;
      break;
    case F::kUnixMicros:
      *out = *v / 1e6;
      break;
    case F::kUnixNanos:
      *out = *v / 1e9;
      break;
    default:
      *out = *v;
  }
  return true;
}

bool ReadLabel(const Scalar& s, char* buf, bool numbers_in_strings, FieldValue* out) {
  if (!ReadCategorical(s, buf, out)) return false;
  if (numbers_in_strings && s.kind == JsonKind::kString && out->state == ValueState::kValid) {
    if (const std::optional<double> v = NumberFromText(out->text); v && std::isfinite(*v)) {
      out->text = std::string_view(buf, FormatNumber(*v, buf));
    }
  }
  return true;
}

bool ReadLatency(const Scalar& s, double units_per_second, ValueState* state, double* seconds) {
  *seconds = 0;
  std::optional<double> v;
  if (s.kind == JsonKind::kNumber) {
    v = s.number;
  } else if (s.kind == JsonKind::kString) {
    char buf[kScratchBytes];
    const UnescapeResult r = UnescapeJsonString(s.raw, buf, sizeof buf);
    if (!r.ok) return false;
    const std::string_view text(buf, r.size);
    if (r.size == 0) {
      *state = ValueState::kEmpty;
      return true;
    }
    if (!r.truncated && IsNanWord(text)) {
      *state = ValueState::kNan;
      return true;
    }
    if (!r.truncated) v = NumberFromText(text);
  } else if (s.kind == JsonKind::kNull) {
    *state = ValueState::kNull;
    return true;
  }
  if (!v) {
    *state = ValueState::kTypeMismatch;
  } else if (!std::isfinite(*v)) {
    *state = ValueState::kNan;
  } else if (*v < 0) {
    *state = ValueState::kTypeMismatch;  // a duration cannot be negative: not a latency
  } else {
    *state = ValueState::kValid;
    *seconds = *v / units_per_second;
  }
  return true;
}

bool ReadIdentifier(const Scalar& s, char* buf, std::size_t cap, std::string_view* out) {
  *out = {};
  if (s.kind == JsonKind::kString) {
    const UnescapeResult r = UnescapeJsonString(s.raw, buf, cap);
    if (!r.ok) return false;
    *out = std::string_view(buf, r.size);
  } else if (s.kind == JsonKind::kNumber && std::isfinite(s.number)) {
    *out = std::string_view(buf, FormatNumber(s.number, buf));
  }
  return true;
}

double UnitsPerSecond(config::LatencyUnit unit) {
  switch (unit) {
    case config::LatencyUnit::kSeconds:
      return 1;
    case config::LatencyUnit::kMilliseconds:
      return 1e3;
    case config::LatencyUnit::kMicroseconds:
      return 1e6;
    case config::LatencyUnit::kNanoseconds:
      return 1e9;
  }
  return 1;
}

}  // namespace modelwatch::parse
