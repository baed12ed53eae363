// ParseBaselineDocument: the baseline file through simdjson's DOM (one document, read once at
// start; the DOM keeps the shape checks short). Unknown keys are ignored (forward compatible).
#include <cmath>
#include <string>
#include <unordered_set>

#include <simdjson.h>

#include <modelwatch/parse/baseline_json.h>

namespace modelwatch::parse {
namespace {

namespace sj = simdjson;
using sj::dom::element;
using sj::dom::object;

// Collects the first shape error with its place in the document.
class Shape {
 public:
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  bool Fail(const std::string& where, const std::string& what) {
    if (error_.empty()) error_ = where + ": " + what;
    return false;
  }

  bool Object(element e, const std::string& where, object* out) {
    return e.get_object().get(*out) == sj::SUCCESS || Fail(where, "expected an object");
  }
  // Looks up a required key.
  bool Key(object o, std::string_view key, const std::string& where, element* out) {
    return o.at_key(key).get(*out) == sj::SUCCESS ||
           Fail(where, "missing key \"" + std::string(key) + "\"");
  }
  bool String(object o, std::string_view key, const std::string& where, std::string* out) {
    element e;
    if (!Key(o, key, where, &e)) return false;
    std::string_view s;
    if (e.get_string().get(s) != sj::SUCCESS)
      return Fail(where + "." + std::string(key), "expected a string");
    *out = std::string(s);
    return true;
  }
  bool Count(element e, const std::string& where, std::int64_t* out) {
    return (e.get_int64().get(*out) == sj::SUCCESS && *out >= 0) ||
           Fail(where, "expected a non-negative integer");
  }
  bool Count(object o, std::string_view key, const std::string& where, std::int64_t* out) {
    element e;
    return Key(o, key, where, &e) && Count(e, where + "." + std::string(key), out);
  }
  bool Finite(element e, const std::string& where, double* out) {
    return (e.get_double().get(*out) == sj::SUCCESS && std::isfinite(*out)) ||
           Fail(where, "not a finite number");
  }
  // A number, or null (nullopt).
  bool OptionalNumber(object o, std::string_view key, const std::string& where,
                      std::optional<double>* out) {
    element e;
    if (!Key(o, key, where, &e)) return false;
    if (e.is_null()) {
      out->reset();
      return true;
    }
    double d = 0;
    if (!Finite(e, where + "." + std::string(key), &d)) return false;
    *out = d;
    return true;
  }

 private:
  std::string error_;
};

bool ReadStates(Shape& s, object field, const std::string& where, BaselineFieldDoc* f) {
  element e;
  object states;
  if (!s.Key(field, "states", where, &e) || !s.Object(e, where + ".states", &states)) return false;
  for (auto [key, value] : states) {
    std::size_t i = 0;
    while (i < kValueStateNames.size() && kValueStateNames[i] != key) ++i;
    const std::string at = where + ".states." + std::string(key);
    if (i == kValueStateNames.size()) return s.Fail(at, "unknown value state");
    if (!s.Count(value, at, &f->states[i])) return false;
  }
  return true;
}

// "values": [v, ...] or "value_runs": [[v, n], ...], ascending either way.
bool ReadValues(Shape& s, object field, const std::string& where, BaselineFieldDoc* f) {
  sj::dom::array list;
  element e;
  const bool runs = field.at_key("value_runs").get(e) == sj::SUCCESS;
  const std::string key = runs ? ".value_runs" : ".values";
  if (!runs && !s.Key(field, "values", where, &e)) return false;
  if (e.get_array().get(list) != sj::SUCCESS) return s.Fail(where + key, "expected an array");
  f->values.reserve(static_cast<std::size_t>(f->count));
  std::size_t i = 0;
  for (element item : list) {
    const std::string at = where + key + "[" + std::to_string(i++) + "]";
    double v = 0;
    std::int64_t n = 1;
    if (runs) {
      sj::dom::array pair;
      element first, second;
      if (item.get_array().get(pair) != sj::SUCCESS || pair.size() != 2 ||
          pair.at(0).get(first) != sj::SUCCESS || pair.at(1).get(second) != sj::SUCCESS) {
        return s.Fail(at, "expected [value, count]");
      }
      if (!s.Finite(first, at, &v) || !s.Count(second, at, &n)) return false;
      if (n == 0) return s.Fail(at, "a run of 0 values");
    } else if (!s.Finite(item, at, &v)) {
      return false;
    }
    if (!f->values.empty() && v < f->values.back()) return s.Fail(at, "values are not ascending");
    if (static_cast<std::int64_t>(f->values.size()) + n > f->count) {
      return s.Fail(where + key, "more values than count (" + std::to_string(f->count) + ")");
    }
    f->values.insert(f->values.end(), static_cast<std::size_t>(n), v);
  }
  if (static_cast<std::int64_t>(f->values.size()) != f->count) {
    return s.Fail(where + key, std::to_string(f->values.size()) + " values, count says " +
                                   std::to_string(f->count));
  }
  return true;
}

bool ReadNumeric(Shape& s, object field, const std::string& where, BaselineFieldDoc* f) {
  if (!s.Count(field, "distinct", where, &f->distinct) ||
      !s.OptionalNumber(field, "min", where, &f->min) ||
      !s.OptionalNumber(field, "max", where, &f->max) ||
      !s.OptionalNumber(field, "mean", where, &f->mean) ||
      !s.OptionalNumber(field, "std", where, &f->std)) {
    return false;
  }
  element e;
  object bins;
  if (field.at_key("bins").get(e) == sj::SUCCESS) {
    if (!s.Object(e, where + ".bins", &bins) ||
        !s.String(bins, "kind", where + ".bins", &f->bin_kind) ||
        !s.Count(bins, "count", where + ".bins", &f->bin_count)) {
      return false;
    }
  }
  return ReadValues(s, field, where, f);
}

bool ReadCategorical(Shape& s, object field, const std::string& where, BaselineFieldDoc* f) {
  element e;
  object categories;
  if (!s.Key(field, "categories", where, &e) || !s.Object(e, where + ".categories", &categories)) {
    return false;
  }
  std::unordered_set<std::string_view> seen;
  std::int64_t total = 0;
  for (auto [key, value] : categories) {
    const std::string at = where + ".categories[\"" + std::string(key) + "\"]";
    std::int64_t n = 0;
    if (!s.Count(value, at, &n)) return false;
    if (n == 0) return s.Fail(at, "a category with count 0");
    if (!seen.insert(key).second) return s.Fail(at, "duplicate category");
    f->categories.emplace_back(std::string(key), n);
    total += n;
  }
  if (total != f->count) {
    return s.Fail(where + ".categories", "counts add up to " + std::to_string(total) +
                                             ", count says " + std::to_string(f->count));
  }
  return true;
}

bool ReadField(Shape& s, element e, const std::string& at, BaselineFieldDoc* f) {
  object field;
  if (!s.Object(e, at, &field) || !s.String(field, "name", at, &f->name)) return false;
  const std::string where = at + " (" + f->name + ")";
  if (!s.String(field, "type", where, &f->type) || !ReadStates(s, field, where, f) ||
      !s.Count(field, "count", where, &f->count)) {
    return false;
  }
  std::string_view text;
  if (field["role"].get_string().get(text) == sj::SUCCESS) f->role = std::string(text);
  if (field["path"].get_string().get(text) == sj::SUCCESS) f->path = std::string(text);
  if (f->type == "numeric") return ReadNumeric(s, field, where, f);
  if (f->type == "categorical") return ReadCategorical(s, field, where, f);
  return s.Fail(where + ".type", "\"" + f->type + "\" is neither numeric nor categorical");
}

}  // namespace

Result<BaselineDocument> ParseBaselineDocument(std::string_view json) {
  sj::dom::parser parser;
  const sj::padded_string padded(json);
  element root;
  if (const auto err = parser.parse(padded).get(root); err != sj::SUCCESS) {
    if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      return Status::Error("empty file");
    }
    if (json.substr(0, 200).find(kBaselineFormat) == std::string_view::npos) {
      return Status::Error(std::string("not a modelwatch baseline file (not one JSON document: ") +
                           sj::error_message(err) + ")");
    }
    return Status::Error(std::string("not valid JSON (") + sj::error_message(err) +
                         "): truncated or corrupt");
  }
  Shape s;
  BaselineDocument d;
  object top;
  std::string format;
  if (!s.Object(root, "document", &top) || !s.String(top, "format", "document", &format)) {
    return Status::Error(s.error());
  }
  if (format != kBaselineFormat) {
    return Status::Error("not a modelwatch baseline file (format \"" + format + "\")");
  }
  if (!s.Count(top, "format_version", "document", &d.format_version)) {
    return Status::Error(s.error());
  }
  if (d.format_version != kBaselineFormatVersion) {
    return Status::Error("format_version " + std::to_string(d.format_version) +
                         " is not supported by this modelwatch (it reads version " +
                         std::to_string(kBaselineFormatVersion) +
                         "); write the baseline again with this version");
  }
  element fields;
  sj::dom::array list;
  if (!s.String(top, "model", "document", &d.model) || !s.Count(top, "rows", "document", &d.rows) ||
      !s.Key(top, "fields", "document", &fields)) {
    return Status::Error(s.error());
  }
  if (fields.get_array().get(list) != sj::SUCCESS)
    return Status::Error("fields: expected an array");
  std::size_t i = 0;
  for (element e : list) {
    BaselineFieldDoc f;
    if (!ReadField(s, e, "fields[" + std::to_string(i++) + "]", &f)) break;
    d.fields.push_back(std::move(f));
  }
  element target;
  if (s.ok() && top.at_key("target").get(target) == sj::SUCCESS && !target.is_null()) {
    BaselineFieldDoc f;
    if (ReadField(s, target, "target", &f)) d.target = std::move(f);
  }
  if (!s.ok()) return Status::Error(s.error());
  std::string_view text;
  if (top["creator"].get_string().get(text) == sj::SUCCESS) d.creator = std::string(text);
  if (top["created"].get_string().get(text) == sj::SUCCESS) d.created = std::string(text);
  object ref;
  if (top["reference"].get_object().get(ref) == sj::SUCCESS) {
    if (ref["path"].get_string().get(text) == sj::SUCCESS) d.reference_path = std::string(text);
    if (ref["format"].get_string().get(text) == sj::SUCCESS) d.reference_format = std::string(text);
    std::int64_t n = 0;
    if (ref["rejected_lines"].get_int64().get(n) == sj::SUCCESS) d.rejected_lines = n;
  }
  return d;
}

}  // namespace modelwatch::parse
