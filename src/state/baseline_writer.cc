// SerializeBaselineFile and the atomic file write.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <modelwatch/core/json_writer.h>
#include <modelwatch/parse/baseline_json.h>
#include <modelwatch/state/baseline_file.h>

namespace modelwatch::state {
namespace {

const char* BinKindName(config::BinKind k) {
  switch (k) {
    case config::BinKind::kQuantile:
      return "quantile";
    case config::BinKind::kEqualWidth:
      return "equal_width";
    case config::BinKind::kSturges:
      return "sturges";
    case config::BinKind::kDoane:
      return "doane";
  }
  return "quantile";
}

template <typename T, typename Fn>
JsonWriter& List(JsonWriter& w, const std::vector<T>& items, Fn&& each) {
  w.Raw("[");
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) w.Raw(",");
    each(items[i]);
  }
  return w.Raw("]");
}

void WriteValues(JsonWriter& w, const std::vector<double>& sorted, std::int64_t distinct) {
  const auto count = static_cast<std::int64_t>(sorted.size());
  if (distinct * 2 > count) {
    w.Key("values");
    List(w, sorted, [&](double v) { w.Double(v); });
    return;
  }
  // Discrete data: [value, repeats] pairs.
  w.Key("value_runs").Raw("[");
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    if (i) w.Raw(",");
    w.Raw("[").Double(sorted[i]).Raw(",").Int(static_cast<std::int64_t>(j - i)).Raw("]");
    i = j;
  }
  w.Raw("]");
}

void WriteNumeric(JsonWriter& w, const drift::NumericReference& r, const config::DriftConfig& d) {
  w.Raw(",").Key("count").Int(r.count).Raw(",").Key("distinct").Int(r.distinct);
  const bool any = r.count > 0;
  w.Raw(",").Key("min").Double(any ? r.min : NAN).Raw(",").Key("max").Double(any ? r.max : NAN);
  w.Raw(",").Key("mean").Double(any ? r.mean : NAN).Raw(",").Key("std").Double(any ? r.std : NAN);
  // For people and tools only: rebuilt from the values on load.
  w.Raw(",").Key("bins").Raw("{").Key("kind").Str(BinKindName(d.bin_kind));
  w.Raw(",").Key("count").Int(d.bin_count).Raw(",").Key("edges");
  List(w, r.bins.coarse_edges, [&](double v) { w.Double(v); }).Raw(",").Key("names");
  List(w, r.bins.coarse_names, [&](const std::string& s) { w.Str(s); }).Raw(",");
  w.Key("ref_share");
  List(w, r.bins.coarse_ref_share, [&](double v) { w.Double(v); }).Raw("},");
  WriteValues(w, r.sorted, r.distinct);
}

void WriteCategorical(JsonWriter& w, const drift::CategoricalReference& r, int max_categories) {
  std::vector<std::pair<std::string_view, std::int64_t>> all(r.all.begin(), r.all.end());
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  w.Raw(",").Key("count").Int(r.count).Raw(",").Key("max_categories").Int(max_categories);
  w.Raw(",").Key("categories").Raw("{");
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i) w.Raw(",");
    w.Key(all[i].first).Int(all[i].second);
  }
  w.Raw("}");
}

void WriteField(JsonWriter& w, std::string_view name, std::string_view role, std::string_view path,
                const engine::FieldBaseline& f, const config::ModelSettings& s) {
  const bool numeric = f.type == config::FeatureType::kNumeric;
  w.Raw("{").Key("name").Str(name).Raw(",").Key("role").Str(role);
  w.Raw(",").Key("type").Str(numeric ? "numeric" : "categorical");
  w.Raw(",").Key("path").Str(path).Raw(",").Key("states").Raw("{");
  for (std::size_t i = 0; i < parse::kValueStateNames.size(); ++i) {
    if (i) w.Raw(",");
    w.Key(parse::kValueStateNames[i]).Int(f.states[i]);
  }
  w.Raw("}");
  if (numeric) {
    WriteNumeric(w, f.numeric, s.drift);
  } else {
    WriteCategorical(w, f.categorical, s.max_categories);
  }
  w.Raw("}");
}

}  // namespace

std::string SerializeBaselineFile(const config::ModelConfig& model, const BaselineFile& file) {
  JsonWriter w;
  w.Raw("{").Key("format").Str(parse::kBaselineFormat).Raw(",");
  w.Key("format_version").Int(parse::kBaselineFormatVersion).Raw(",\n");
  w.Key("creator").Str(file.creator).Raw(",").Key("created").Str(file.created).Raw(",\n");
  w.Key("model").Str(file.model).Raw(",\n").Key("reference").Raw("{");
  w.Key("path").Str(file.reference_path).Raw(",").Key("format").Str(file.reference_format);
  w.Raw(",").Key("rejected_lines").Int(static_cast<std::int64_t>(file.rejected_lines));
  w.Raw("},\n").Key("rows").Int(file.baseline.rows).Raw(",\n").Key("fields").Raw("[\n");
  const std::size_t n = model.features.size() + model.outputs.size();
  for (std::size_t i = 0; i < n && i < file.baseline.fields.size(); ++i) {
    const bool out = i >= model.features.size();
    const auto& fc = out ? model.outputs[i - model.features.size()] : model.features[i];
    if (i) w.Raw(",\n");
    WriteField(w, fc.name, out ? "output" : "feature", fc.path, file.baseline.fields[i],
               model.settings);
  }
  w.Raw("\n],\n").Key("target");
  if (file.target) {
    WriteField(w, file.target->name, "target", "", file.target->profile, model.settings);
  } else {
    w.Raw("null");
  }
  w.Raw("\n}\n");
  return w.Take();
}

Status WriteFileAtomically(const std::string& path, std::string_view content) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string tmp =
      (dir / ("." + target.filename().string() + ".tmp." + std::to_string(::getpid()))).string();
  auto fail = [&](const std::string& what, int err) {
    ::unlink(tmp.c_str());
    return Status::Error(path + ": " + what + ": " + std::strerror(err));
  };
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Error(path + ": cannot create " + tmp + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return fail("write", err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    return fail("fsync", err);
  }
  if (::close(fd) != 0) return fail("close", errno);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("rename", errno);
  // The rename is durable only once the directory is.
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

Status WriteBaselineFile(const std::string& path, const config::ModelConfig& model,
                         const BaselineFile& file) {
  return WriteFileAtomically(path, SerializeBaselineFile(model, file));
}

}  // namespace modelwatch::state
