// Record: the configured fields of one parsed log line, as plain values.
// A Record is sized once per model at configuration time (one FieldValue per feature, then per
// output, in configuration order) and reused for every line: parsing allocates nothing.
#ifndef MODELWATCH_CORE_RECORD_H_
#define MODELWATCH_CORE_RECORD_H_

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace modelwatch {

// Exactly one state per looked-at value (statistics.md §4). The parser decides kValid, kMissing,
// kNull, kNan, kEmpty and kTypeMismatch; range and category checks come later, in the engine.
enum class ValueState : std::uint8_t {
  kValid = 0,
  kMissing,       // the JSON Pointer does not resolve
  kNull,          // JSON null
  kNan,           // "NaN", "inf", "-inf" (any case) or a non-finite number
  kEmpty,         // empty string
  kTypeMismatch,  // numeric field not a number; categorical not a string/number/bool
};

struct FieldValue {
  ValueState state = ValueState::kMissing;
  // Numeric fields: the value. Unused for categoricals.
  double number = 0;
  // Categorical fields: the canonical spelling (numbers in shortest round-trip form, true/false,
  // strings unescaped, truncated to 128 bytes at a UTF-8 boundary). Points into parser-owned
  // memory; valid until the next line is parsed with the same parser.
  std::string_view text;
};

struct Record {
  // Event time in seconds since the epoch; has_timestamp is false when no timestamp is
  // configured (the caller then uses arrival time).
  bool has_timestamp = false;
  double timestamp = 0;
  // Empty when not configured or absent. Valid until the next parse.
  std::string_view request_id;
  std::string_view model_version;
  // Latency in seconds; kMissing when not configured or absent.
  ValueState latency_state = ValueState::kMissing;
  double latency_seconds = 0;
  // features first, then outputs, in configuration order.
  std::vector<FieldValue> fields;
  // Schema drift: keys directly under an object that holds a configured feature or output which
  // no configured pointer names (a new key under /inputs), every occurrence counted. The parser
  // names each such key once, on the first line it meets it in (at most kMaxUnexpectedNames per
  // line; unescaped, cut to 128 bytes); the names are valid until the next parse.
  static constexpr int kMaxUnexpectedNames = 4;
  std::uint32_t unexpected_fields = 0;
  std::uint32_t unexpected_named = 0;  // <= kMaxUnexpectedNames
  std::array<std::string_view, kMaxUnexpectedNames> unexpected_names{};
  // Log shapes (issue #8), filled by the shaped parser only. With ground_truth.source:
  // predictions the label read from this record's line (canonical text, like a categorical; a
  // number for task: regression; kMissing when absent or not configured); GroundTruth credits it
  // with the record's prediction.
  FieldValue label;
  // type: probabilities outputs, in configuration order, each with one score per configured
  // class (NaN where the class is absent or not a number), concatenated.
  std::vector<double> probabilities;
};

}  // namespace modelwatch

#endif  // MODELWATCH_CORE_RECORD_H_
