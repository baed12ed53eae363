// RecordParser: one JSON line -> Record, with simdjson On-Demand, in one pass over the document.
// The configured JSON Pointers are compiled once (at configuration time) into a small tree; each
// line is walked once, and the values found are written into the Record's preallocated slots.
// No allocation and no string-keyed map lookup per value. Not thread-safe: one parser per thread.
#ifndef MODELWATCH_PARSE_RECORD_PARSER_H_
#define MODELWATCH_PARSE_RECORD_PARSER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <modelwatch/config/config.h>
#include <modelwatch/core/line.h>
#include <modelwatch/core/record.h>
#include <modelwatch/core/status.h>

namespace modelwatch::parse {

// Why a line was rejected; kOk when it became a Record. The names are the `reason` label values.
enum class ParseOutcome : std::uint8_t {
  kOk = 0,
  kInvalidJson,   // "invalid_json"
  kNotAnObject,   // "not_an_object": valid JSON whose root is not an object
  kInvalidUtf8,   // "invalid_utf8"
  kBadTimestamp,  // "bad_timestamp": absent or unparseable, only when timestamp_required
};
const char* ParseOutcomeName(ParseOutcome o);

struct FieldSpec {
  std::string pointer;  // RFC 6901, e.g. "/inputs/amount"; "" is the whole document (rejected)
  config::FeatureType type = config::FeatureType::kNumeric;
};

// What to extract from each line. Build it with LayoutFor (the source's record pointers) or
// LayoutForRows (flat reference rows keyed by name).
struct RecordLayout {
  std::optional<config::TimestampField> timestamp;
  bool timestamp_required = false;  // time: event and a timestamp is configured
  std::string request_id;           // pointer or empty
  std::string model_version;        // pointer or empty
  std::optional<config::LatencyField> latency;
  std::vector<FieldSpec> fields;  // features then outputs
  // Log shapes: more request id pointers (the first present wins, like timestamp's
  // fallback_paths) and parse.numbers_in_strings.
  std::vector<std::string> request_id_fallbacks;
  bool numbers_in_strings = false;
};

RecordLayout LayoutFor(const config::ModelConfig& model);
// Reference rows: each feature/output at "/<name>" (escaped per RFC 6901); the target, when
// named, is appended as one more categorical field at the end.
RecordLayout LayoutForRows(const config::ModelConfig& model);

class RecordParser {
 public:
  // Fails on an invalid pointer (the configuration loader should have caught it).
  static Result<std::unique_ptr<RecordParser>> Create(const RecordLayout& layout);
  ~RecordParser();

  // A Record with one slot per layout field; reuse it for every Parse.
  Record NewRecord() const;
  // Parses line into *record (all slots overwritten). On anything but kOk the record's content
  // is unspecified. Texts in the record point into this parser, never into the line, and stay
  // valid until the next Parse. Policies:
  // - Strictness: every key of the root object and of the objects/arrays on configured paths is
  //   read, and every value at a configured path is parsed; other values are skipped by
  //   structure only (a malformed number inside an unread value goes unnoticed). Trailing
  //   content after the root object is invalid_json; a non-object root is validated fully
  //   (nesting over 512 is invalid_json) before it is called not_an_object.
  // - Duplicate keys: every occurrence is read in order, so the last one wins.
  // - Numeric fields are strict: "12.5" (a string) is kTypeMismatch unless numbers_in_strings.
  // - Pointer lists (timestamp, request_id): the first pointer, in configuration order, that
  //   gives a usable value wins, wherever it is in the line. Numbers too large for a
  //   double (1e400) are kNan; large integers are rounded to the nearest double.
  // - Categoricals, model_version and numeric request ids use the canonical spelling of
  //   interface.md §2 (ECMAScript's number-to-string: 3, 2.5, 1e+21); lone surrogate escapes
  //   become U+FFFD; an invalid escape in a string that is read makes the line invalid_json.
  // - Latency: negative -> kTypeMismatch, non-finite or "NaN"-like -> kNan.
  // - Unexpected fields: every key of an object holding a configured feature or output that no
  //   configured pointer names is counted in record->unexpected_fields (duplicates each time);
  //   each distinct key is named once per object, on the line where this parser first meets it
  //   (up to Record::kMaxUnexpectedNames per line and 64 in all; keys over 128 bytes are named
  //   every time); the names point into this parser.
  ParseOutcome Parse(const Line& line, Record* record);

 private:
  RecordParser();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// RFC 3339 ("2026-11-28T05:00:00.123Z", "+02:00" offsets, "T" or " " separator, fraction of
// any length) -> seconds since the epoch. nullopt when malformed.
std::optional<double> ParseRfc3339(std::string_view text);
// ISO 8601 as Python and loggers write it (format: iso8601): RFC 3339 plus a ',' fraction,
// ±HHMM or ±HH offsets, and no zone at all, read as default_offset seconds east of UTC.
std::optional<double> ParseIso8601(std::string_view text, double default_offset);

// Reads a JSON-lines file (every line, LF or CRLF, BOM stripped, blank lines skipped) and calls
// fn(line_number, outcome, record) for each. Used for reference rows. Fails if unreadable.
// Lines over 1 MiB are reported once as kInvalidJson and skipped. line_number counts physical
// lines from 1, blank ones included; lines of only spaces and tabs are blank; a BOM is stripped
// from the first line only. Reads 4 MiB at a time and parses each line in place.
Status ForEachJsonLine(const std::string& path, RecordParser& parser,
                       const std::function<void(std::uint64_t line_number, ParseOutcome outcome,
                                                const Record& record)>& fn);

// parse.nan_literals: Python's json.dumps(allow_nan=True) writes bare NaN, Infinity and
// -Infinity, which JSON does not allow. Copies `in` into *out with each such token outside
// strings quoted ("NaN"), which every reader counts as nan. Returns false (and leaves *out
// unspecified) when there was none to repair; the caller then keeps its first verdict.
bool QuoteNanLiterals(std::string_view in, std::string* out);

// The simdjson release linked in, and the kernel it chose for this CPU ("haswell", ...).
const char* SimdjsonVersion();
const char* SimdjsonImplementation();

}  // namespace modelwatch::parse

#endif  // MODELWATCH_PARSE_RECORD_PARSER_H_
