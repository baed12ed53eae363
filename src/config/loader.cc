// LoadConfigString/LoadConfigFile: YAML text -> validated Config, every problem collected.
// yaml-cpp exceptions stop here: a syntax error becomes one ConfigError at its position.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <string>

#include <yaml-cpp/yaml.h>

#include <modelwatch/config/config.h>

#include "config/enums.h"
#include "config/parsers.h"
#include "config/validate.h"
#include "config/yaml_reader.h"

namespace modelwatch::config {
namespace {

namespace fs = std::filesystem;
using internal::Context;
using internal::MapReader;

void ParseServer(const MapReader& top, ServerConfig* s) {
  if (!top.Has("server")) return;
  MapReader r(top.ctx(), top.Get("server"), "server",
              {"listen_address", "web_config_file", "protect_health_endpoints", "max_connections",
               "max_concurrent_requests", "read_header_timeout", "idle_timeout"});
  r.NonEmptyString("listen_address", &s->listen_address);
  r.String("web_config_file", &s->web_config_file);
  r.Bool("protect_health_endpoints", &s->protect_health_endpoints);
  r.Int("max_connections", &s->max_connections, 1, 1000000);
  r.Int("max_concurrent_requests", &s->max_concurrent_requests, 1, 1000000);
  r.Duration("read_header_timeout", &s->read_header_timeout);
  r.Duration("idle_timeout", &s->idle_timeout);
}

void ParseSections(const MapReader& top, Config* c) {
  ParseServer(top, &c->server);
  if (top.Has("state")) {
    MapReader r(top.ctx(), top.Get("state"), "state",
                {"directory", "checkpoint_interval", "on_corrupt"});
    r.String("directory", &c->state.directory);
    r.Duration("checkpoint_interval", &c->state.checkpoint_interval);
    r.Enum<OnCorrupt>("on_corrupt", &c->state.on_corrupt, internal::kOnCorrupts);
  }
  if (top.Has("engine")) {
    MapReader r(top.ctx(), top.Get("engine"), "engine", {"tick_interval"});
    r.Duration("tick_interval", &c->tick_interval);
  }
  if (top.Has("limits")) {
    MapReader r(top.ctx(), top.Get("limits"), "limits", {"max_series"});
    r.Uint("max_series", &c->max_series, 1);
  }
  if (top.Has("log")) {
    MapReader r(top.ctx(), top.Get("log"), "log", {"level", "format"});
    std::string_view v;
    if (r.Enum<std::string_view>("level", &v, internal::kLogLevels)) c->log.level = v;
    if (r.Enum<std::string_view>("format", &v, internal::kLogFormats)) c->log.format = v;
  }
  if (top.Has("resources")) {
    MapReader r(top.ctx(), top.Get("resources"), "resources",
                {"gpu", "filesystems", "gpu_library"});
    std::string_view gpu;
    if (r.Enum<std::string_view>("gpu", &gpu, internal::kGpuModes)) c->resources.gpu = gpu;
    r.StringList("filesystems", &c->resources.filesystems);
    r.String("gpu_library", &c->resources.gpu_library);
  }
}

void ParseModels(const MapReader& top, Config* c) {
  ModelSettings defaults;
  if (top.Has("defaults")) {
    MapReader r(top.ctx(), top.Get("defaults"), "defaults", internal::kSettingsKeys);
    internal::ApplySettings(r, &defaults);
  }
  if (!top.Has("models")) {
    top.ctx().errors->Add(top.mark(), "models: at least one model is required");
    return;
  }
  auto seq = top.Sequence("models");
  if (!seq) return;
  if (seq->size() == 0) top.Error("models", "at least one model is required");
  for (std::size_t i = 0; i < seq->size(); ++i) {
    std::string where = "models[" + std::to_string(i) + "]";
    YAML::Node node = (*seq)[i];
    if (!node.IsMap()) {
      top.ctx().errors->Add(node.Mark(), where + ": expected a mapping (name, source, ...)");
      continue;
    }
    c->models.push_back(internal::ParseModel(top.ctx(), node, where, defaults));
  }
}

// Lexical only: the files need not exist yet (logs appear later, references are checked when
// they are read).
std::string Resolve(const fs::path& base, const std::string& p) {
  if (p.empty()) return p;
  fs::path path(p);
  if (path.is_relative()) path = base / path;
  return path.lexically_normal().string();
}

void ResolvePaths(const fs::path& base, Config* c) {
  c->server.web_config_file = Resolve(base, c->server.web_config_file);
  c->state.directory = Resolve(base, c->state.directory);
  for (ModelConfig& m : c->models) {
    for (std::string& p : m.source.paths) p = Resolve(base, p);
    m.reference.path = Resolve(base, m.reference.path);
    m.reference.baseline = Resolve(base, m.reference.baseline);
    if (m.ground_truth) {
      for (std::string& p : m.ground_truth->source.paths) p = Resolve(base, p);
    }
    if (m.process) m.process->pid_file = Resolve(base, m.process->pid_file);
  }
  for (std::string& p : c->resources.filesystems) p = Resolve(base, p);
}

void Parse(const std::string& text, Config* c, internal::ErrorSink* errors) {
  internal::MarkIndex marks;
  Context ctx{errors, &marks};
  YAML::Node root = YAML::Load(text);
  MapReader top(ctx, root, "",
                {"server", "state", "engine", "limits", "log", "resources", "defaults", "models"});
  if (!top.ok()) return;
  ParseSections(top, c);
  ParseModels(top, c);
  internal::Validate(*c, marks, errors);
}

}  // namespace

LoadResult LoadConfigString(const std::string& text, const std::string& file) {
  LoadResult result;
  internal::ErrorSink errors(file);
  Config config;
  try {
    Parse(text, &config, &errors);
    std::error_code ec;
    fs::path absolute = fs::absolute(fs::path(file), ec);
    if (ec) absolute = fs::path(file);
    config.file = absolute.lexically_normal().string();
    ResolvePaths(absolute.parent_path(), &config);
  } catch (const YAML::Exception& e) {
    errors.Add(e.mark, "invalid YAML: " + e.msg);
  } catch (const std::exception& e) {
    errors.Add(YAML::Mark::null_mark(), std::string("cannot load configuration: ") + e.what());
  } catch (...) {
    errors.Add(YAML::Mark::null_mark(), "cannot load configuration: unknown error");
  }
  result.errors = errors.Take();
  if (result.errors.empty()) result.config = std::move(config);
  return result;
}

LoadResult LoadConfigFile(const std::string& path) {
  auto fail = [&](int err) {
    LoadResult r;
    r.errors.push_back({path, 0, 0, std::string("cannot read file: ") + std::strerror(err)});
    return r;
  };
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return fail(errno);
  std::string text;
  char buf[65536];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  int err = std::ferror(f) ? errno : 0;
  std::fclose(f);
  if (err != 0) return fail(err);
  return LoadConfigString(text, path);
}

}  // namespace modelwatch::config
