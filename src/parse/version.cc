#include <modelwatch/parse/record_parser.h>

#include <simdjson.h>

namespace modelwatch::parse {

const char* SimdjsonVersion() { return SIMDJSON_STRINGIFY(SIMDJSON_VERSION); }

const char* SimdjsonImplementation() {
  return simdjson::get_active_implementation()->name().c_str();
}

}  // namespace modelwatch::parse
