#include "parse/ondemand_values.h"

#include <type_traits>

namespace modelwatch::parse {
namespace {

// Below the parser's max_depth (simdjson's default, 1024), which its development checks assert.
constexpr int kMaxValidateDepth = 512;

sj::error_code ValidateValue(od::value& v, int depth);

template <typename Container>
sj::error_code ValidateElements(Container& c, int depth) {
  if constexpr (std::is_same_v<Container, od::object>) {
    for (auto result : c) {
      SIMDJSON_TRY(result.error());
      // By reference: RecordParser::Impl::VisitObject says why.
      od::field& field = result.value_unsafe();
      std::string_view key;
      SIMDJSON_TRY(field.unescaped_key().get(key));
      SIMDJSON_TRY(ValidateValue(field.value(), depth + 1));
    }
  } else {
    for (auto result : c) {
      SIMDJSON_TRY(result.error());
      // By reference: RecordParser::Impl::VisitObject says why.
      od::value& element = result.value_unsafe();
      SIMDJSON_TRY(ValidateValue(element, depth + 1));
    }
  }
  return sj::SUCCESS;
}

// Reads v and everything in it. V is od::value or od::document (root scalars parse differently).
template <typename V>
sj::error_code ValidateAny(V& v, int depth) {
  if (depth > kMaxValidateDepth) return sj::DEPTH_ERROR;
  od::json_type type;
  SIMDJSON_TRY(v.type().get(type));
  switch (type) {
    case od::json_type::object: {
      od::object o;
      SIMDJSON_TRY(v.get_object().get(o));
      return ValidateElements(o, depth);
    }
    case od::json_type::array: {
      od::array a;
      SIMDJSON_TRY(v.get_array().get(a));
      return ValidateElements(a, depth);
    }
    case od::json_type::number: {
      double d;
      return ReadDouble(v, &d);
    }
    case od::json_type::string: {
      std::string_view s;
      return v.get_string().get(s);
    }
    case od::json_type::boolean: {
      bool b;
      return v.get_bool().get(b);
    }
    case od::json_type::null: {
      bool is_null = false;
      SIMDJSON_TRY(v.is_null().get(is_null));
      return is_null ? sj::SUCCESS : sj::N_ATOM_ERROR;
    }
  }
  return sj::TAPE_ERROR;
}

sj::error_code ValidateValue(od::value& v, int depth) { return ValidateAny(v, depth); }

}  // namespace

sj::error_code ValidateDocument(od::document& doc) { return ValidateAny(doc, 0); }

}  // namespace modelwatch::parse
