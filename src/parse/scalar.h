// Scalar: one JSON value as the walker found it, and the conversions from it to what a Record
// slot holds (statistics.md §4 value states). Independent of simdjson, so testable on its own.
#ifndef MODELWATCH_PARSE_SCALAR_H_
#define MODELWATCH_PARSE_SCALAR_H_

#include <cstddef>
#include <optional>
#include <string_view>

#include <modelwatch/config/config.h>
#include <modelwatch/core/record.h>

namespace modelwatch::parse {

enum class JsonKind : std::uint8_t { kObject, kArray, kNumber, kString, kBool, kNull };

struct Scalar {
  JsonKind kind = JsonKind::kNull;
  // kNumber: the value; ±inf when the literal overflows a double (e.g. 1e400). Integers beyond
  // 2^53 are rounded to the nearest double.
  double number = 0;
  bool boolean = false;
  // kString: the raw body, just after the opening quote, in the padded input (see
  // UnescapeJsonString).
  const char* raw = nullptr;
};

// Every Read* returns false only when a string holds an invalid escape: the line is then
// rejected as invalid JSON.

// Numeric field. A number -> kValid (non-finite -> kNan); "NaN"-like strings -> kNan; "" ->
// kEmpty; null -> kNull; any other string, numeric-looking ones like "12.5" included (strict:
// the log writer should emit numbers), a bool, an object or an array -> kTypeMismatch.
// numbers_in_strings (parse.numbers_in_strings): a string holding a whole decimal number ("0.91",
// " 3" is not) counts as that number.
bool ReadNumeric(const Scalar& s, FieldValue* out, bool numbers_in_strings = false);

// Categorical field, written into buf (kMaxTextBytes, owned by the caller). Strings unescaped
// and truncated to 128 bytes at a character boundary ("" -> kEmpty, "NaN"-like -> kNan);
// numbers in FormatNumber's spelling (non-finite -> kNan); true/false; null -> kNull;
// object/array -> kTypeMismatch.
bool ReadCategorical(const Scalar& s, char* buf, FieldValue* out);

// A timestamp in seconds since the epoch, or nullopt when unusable: rfc3339 takes a string;
// unix_seconds and unix_millis take a number or a numeric string ("1700000000.5"). Non-finite
// values, and strings over 256 bytes, are unusable.
// iso8601 takes a string (ParseIso8601, zone-less text at timezone_offset); unix_micros and
// unix_nanos take numbers or numeric strings like unix_seconds.
bool ReadTimestamp(const Scalar& s, config::TimestampFormat format, std::optional<double>* out,
                   double timezone_offset = 0);

// A label as text: ReadCategorical, then with numbers_in_strings a numeric string is spelled
// canonically ("1.0" -> "1"), so labels and positive_class compare as numbers do.
bool ReadLabel(const Scalar& s, char* buf, bool numbers_in_strings, FieldValue* out);

// Latency: a number or a numeric string, divided by units_per_second. null -> kNull; "" ->
// kEmpty; non-finite or "NaN"-like -> kNan; negative, bool, object, array or a non-numeric
// string -> kTypeMismatch.
// How many of `unit` make a second (record.latency.unit).
double UnitsPerSecond(config::LatencyUnit unit);
bool ReadLatency(const Scalar& s, double units_per_second, ValueState* state, double* seconds);

// request_id: a string unescaped into buf (up to cap bytes, cap >= kNumberTextBytes), or a number
// in FormatNumber's spelling; anything else leaves *out empty.
bool ReadIdentifier(const Scalar& s, char* buf, std::size_t cap, std::string_view* out);

}  // namespace modelwatch::parse

#endif  // MODELWATCH_PARSE_SCALAR_H_
