// ReadBaselineFile: a parsed baseline document checked against the model and turned into the
// engine's Baseline, bins rebuilt by the same code that builds them from raw rows.
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <modelwatch/parse/baseline_json.h>
#include <modelwatch/state/baseline_file.h>

namespace modelwatch::state {
namespace {

using config::FeatureType;

const char* TypeName(FeatureType t) {
  return t == FeatureType::kNumeric ? "numeric" : "categorical";
}

// A written summary against the recomputed one: the same bits, or null where it is not finite.
bool Same(const std::optional<double>& written, double computed) {
  if (!written) return !std::isfinite(computed);
  return std::bit_cast<std::uint64_t>(*written) == std::bit_cast<std::uint64_t>(computed);
}

// Rebuilds one field's profile; "" on success, else what is wrong.
std::string BuildField(parse::BaselineFieldDoc& doc, std::int64_t rows,
                       const config::ModelSettings& s, engine::FieldBaseline* out) {
  std::int64_t states = 0;
  for (std::size_t i = 0; i < doc.states.size(); ++i) {
    out->states[i] = doc.states[i];
    states += doc.states[i];
  }
  if (states != rows) {
    return "value states add up to " + std::to_string(states) + ", the file has " +
           std::to_string(rows) + " rows";
  }
  if (doc.states[0] != doc.count) {
    return "count " + std::to_string(doc.count) + " is not the number of valid values " +
           std::to_string(doc.states[0]);
  }
  if (out->type == FeatureType::kCategorical) {
    std::vector<std::string> values;
    values.reserve(static_cast<std::size_t>(doc.count));
    for (const auto& [category, n] : doc.categories) {
      values.insert(values.end(), static_cast<std::size_t>(n), category);
    }
    out->categorical = drift::BuildCategoricalReference(values, s.max_categories);
    return "";
  }
  out->numeric =
      drift::BuildNumericReference(std::move(doc.values), s.drift.bin_kind, s.drift.bin_count);
  const drift::NumericReference& r = out->numeric;
  const bool any = r.count > 0;
  if (r.distinct != doc.distinct || !Same(doc.min, any ? r.min : NAN) ||
      !Same(doc.max, any ? r.max : NAN) || !Same(doc.mean, any ? r.mean : NAN) ||
      !Same(doc.std, any ? r.std : NAN)) {
    return "its distinct/min/max/mean/std do not match its values (edited or corrupt)";
  }
  return "";
}

}  // namespace

Result<LoadedBaseline> ParseBaselineFile(std::string_view json, const config::ModelConfig& model,
                                         const std::string& name) {
  Result<parse::BaselineDocument> parsed = parse::ParseBaselineDocument(json);
  if (!parsed.ok()) return Status::Error(name + ": " + parsed.status().message());
  parse::BaselineDocument& d = parsed.value();
  LoadedBaseline loaded;
  BaselineFile& f = loaded.file;
  auto warn = [&](const std::string& m) { loaded.warnings.push_back(name + ": " + m); };
  f.model = d.model;
  f.creator = d.creator;
  f.created = d.created;
  f.reference_path = d.reference_path;
  f.reference_format = d.reference_format;
  f.rejected_lines = static_cast<std::uint64_t>(d.rejected_lines);
  f.baseline.rows = d.rows;
  if (d.model != model.name) {
    warn("written for model " + d.model + ", used for model " + model.name);
  }

  std::string errors;
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < d.fields.size(); ++i) {
    if (!index.emplace(d.fields[i].name, i).second) {
      errors += "field " + d.fields[i].name + " appears twice\n";
    }
  }
  std::vector<bool> used(d.fields.size(), false);
  const std::size_t n = model.features.size() + model.outputs.size();
  for (std::size_t i = 0; i < n; ++i) {
    const bool out = i >= model.features.size();
    const auto& fc = out ? model.outputs[i - model.features.size()] : model.features[i];
    const std::string what = std::string(out ? "output " : "feature ") + fc.name;
    engine::FieldBaseline fb;
    fb.type = fc.type;
    const auto it = index.find(fc.name);
    if (it == index.end()) {
      errors += "no " + what + " (the model configures it; write the baseline again)\n";
      f.baseline.fields.push_back(std::move(fb));
      continue;
    }
    parse::BaselineFieldDoc& doc = d.fields[it->second];
    used[it->second] = true;
    if (doc.type != TypeName(fc.type)) {
      errors +=
          what + " is " + TypeName(fc.type) + " in the model but " + doc.type + " in the file\n";
    } else if (std::string e = BuildField(doc, d.rows, model.settings, &fb); !e.empty()) {
      errors += what + ": " + e + "\n";
    }
    if (doc.role != (out ? "output" : "feature")) {
      warn(what + " was written as " + (doc.role.empty() ? "?" : doc.role));
    }
    if (doc.path != fc.path) warn(what + " had path " + doc.path + " when written");
    f.baseline.fields.push_back(std::move(fb));
  }
  for (std::size_t i = 0; i < d.fields.size(); ++i) {
    if (!used[i]) warn("field " + d.fields[i].name + " is not configured and is ignored");
  }
  if (d.target) {
    TargetProfile t;
    t.name = d.target->name;
    t.profile.type =
        d.target->type == "numeric" ? FeatureType::kNumeric : FeatureType::kCategorical;
    if (std::string e = BuildField(*d.target, d.rows, model.settings, &t.profile); !e.empty()) {
      errors += "target " + t.name + ": " + e + "\n";
    }
    f.target = std::move(t);
  }
  if (!errors.empty()) {
    errors.pop_back();
    std::string message;
    std::size_t start = 0;
    while (start <= errors.size()) {  // prefix every line with the file's name
      const std::size_t end = std::min(errors.find('\n', start), errors.size());
      message += name + ": " + errors.substr(start, end - start) + "\n";
      start = end + 1;
    }
    message.pop_back();
    return Status::Error(message);
  }
  return loaded;
}

Result<LoadedBaseline> ReadBaselineFile(const std::string& path, const config::ModelConfig& model) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": " + std::strerror(errno ? errno : ENOENT));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::Error(path + ": read error");
  return ParseBaselineFile(text, model, "baseline file " + path);
}

bool IsBaselineFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[64] = {};
  in.read(head, sizeof head);
  std::string_view text(head, static_cast<std::size_t>(in.gcount()));
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\r' ||
                           text.front() == '\t')) {
    text.remove_prefix(1);
  }
  const std::string prefix = "{\"format\":\"" + std::string(parse::kBaselineFormat) + "\"";
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace modelwatch::state
