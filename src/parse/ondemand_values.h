// Value readers over simdjson On-Demand shared by the record walker and the validator.
#ifndef MODELWATCH_PARSE_ONDEMAND_VALUES_H_
#define MODELWATCH_PARSE_ONDEMAND_VALUES_H_

#include <limits>
#include <string_view>

#include <simdjson.h>

#include "parse/json_text.h"

namespace modelwatch::parse {

namespace sj = simdjson;
namespace od = simdjson::ondemand;

inline std::string_view Token(od::value& v) { return v.raw_json_token(); }
inline std::string_view Token(od::document& d) {
  std::string_view token;
  return d.raw_json_token().get(token) == sj::SUCCESS ? token : std::string_view();
}

// A number's value; a literal too large for a double (valid JSON, e.g. 1e400) becomes ±inf.
// V is od::value or od::document.
template <typename V>
sj::error_code ReadDouble(V& v, double* out) {
  if (v.get_double().get(*out) == sj::SUCCESS) return sj::SUCCESS;
  // A failed get_double leaves the value unconsumed, so its token can still be read.
  const std::string_view token = Token(v);
  if (!IsJsonNumber(token)) return sj::NUMBER_ERROR;
  *out = token[0] == '-' ? -std::numeric_limits<double>::infinity()
                         : std::numeric_limits<double>::infinity();
  return sj::SUCCESS;
}

// Reads the whole document and everything in it; SUCCESS when it is valid JSON nested at most
// 512 deep. Trailing content is the caller's to check.
sj::error_code ValidateDocument(od::document& doc);

}  // namespace modelwatch::parse

#endif  // MODELWATCH_PARSE_ONDEMAND_VALUES_H_
