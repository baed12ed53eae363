// Field discovery for `features: { infer: { under, max } }`: the keys of one object in every line
// of a JSON-lines reference, with the type their values suggest. Read once at start-up, off the
// hot path; the policy (which keys become features, the cap) is the caller's.
#ifndef MODELWATCH_PARSE_INFER_FIELDS_H_
#define MODELWATCH_PARSE_INFER_FIELDS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <modelwatch/config/config.h>
#include <modelwatch/core/status.h>

namespace modelwatch::parse {

struct InferredField {
  std::string key;  // the object key, unescaped
  // kNumeric when every deciding value is a JSON number (vacuously so when there is none);
  // kCategorical when any is a string or a boolean. null, "" and the NaN words ("NaN", "inf",
  // ...) decide nothing: they are the value states the parser reports for either type.
  config::FeatureType type = config::FeatureType::kNumeric;
  std::uint64_t lines = 0;  // lines in which the key was present
};

struct InferredFields {
  // Every key whose values are all scalars or null, ascending by bytes; each key once.
  std::vector<InferredField> fields;
  // Keys holding an object or an array in at least one line (not scalars: not in fields),
  // ascending.
  std::vector<std::string> non_scalar;
  std::uint64_t objects = 0;         // lines in which `under` held an object
  std::uint64_t rejected_lines = 0;  // lines that are not JSON objects, or over 1 MiB
};

// Reads the JSON-lines file at `path` (LF or CRLF, a leading BOM and blank lines skipped) and
// collects the keys of the object at the JSON Pointer `under` in each line ("" = the line's root
// object, as for reference rows). Lines where `under` does not resolve to an object add nothing.
// Fails when the file cannot be read or `under` is not a valid pointer. Memory grows with the
// number of distinct keys.
Result<InferredFields> InferFields(const std::string& path, std::string_view under);

// `base` + "/" + key escaped per RFC 6901 ('~' -> "~0", '/' -> "~1"): the pointer of a key
// of the object at `base`.
std::string ChildPointer(std::string_view base, std::string_view key);

}  // namespace modelwatch::parse

#endif  // MODELWATCH_PARSE_INFER_FIELDS_H_
