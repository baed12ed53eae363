#include "app/run.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include <modelwatch/config/config.h>
#include <modelwatch/config/web_config.h>
#include <modelwatch/export/exposition.h>
#include <modelwatch/resources/process_metrics.h>
#include <modelwatch/server/http_server.h>

#include "app/build_info.h"
#include "app/cli.h"
#include "app/dir_watch.h"
#include "app/label_pipeline.h"
#include "app/logging.h"
#include "app/pipeline.h"
#include "app/resource_options.h"
#include "app/state_keeper.h"

namespace modelwatch::app {

namespace {

std::atomic<bool> g_stop{false};

std::atomic<bool> g_reload{false};

void OnStopSignal(int) { g_stop.store(true); }
void OnReloadSignal(int) { g_reload.store(true); }

double WallNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The state of the configuration as /metrics reports it (read by scrape threads).
struct ConfigStatus {
  std::atomic<bool> successful{true};
  std::atomic<double> success_timestamp{0};
};

constexpr double kPollSeconds = 0.2;
constexpr double kConfigCheckSeconds = 1;

struct Models {
  std::unique_ptr<tail::FileSystem> fs = tail::MakeRealFileSystem();
  std::vector<std::unique_ptr<ModelPipeline>> pipelines;
};

Status BuildModels(const config::Config& cfg, bool one_shot, Models* out) {
  std::string errors;
  const bool persistent = !one_shot && !cfg.state.directory.empty();
  for (const config::ModelConfig& m : cfg.models) {
    auto p = ModelPipeline::Create(m, *out->fs, one_shot, persistent);
    if (!p.ok()) {
      errors += p.status().message() + "\n";
      continue;
    }
    out->pipelines.push_back(std::move(p).value());
  }
  if (!errors.empty()) {
    errors.pop_back();
    return Status::Error(errors);
  }
  ModelPipeline::ShareSources(out->pipelines, *out->fs);  // a file shared by models: read once
  return Status::Ok();
}

std::shared_ptr<const engine::Snapshot> Evaluate(const Models& models, double T, bool committed) {
  auto s = std::make_shared<engine::Snapshot>();
  s->time = T;
  for (const auto& p : models.pipelines) s->models.push_back(p->Evaluate(T, committed));
  return s;
}

// A new configuration while running (SIGHUP or the file changed): a valid one is applied,
// keeping the positions, windows and counters of every model and field that stays the same
// (matched by name and shape); an invalid one is logged and the running one stays. Settings
// that need a restart (server, state, engine.tick_interval, limits) are reported and kept.
void Reload(const std::string& path, std::string* running_text, config::Config* cfg, Models* models,
            ConfigStatus* status) {
  const std::string text = ReadText(path);
  config::LoadResult r = config::LoadConfigFile(path);
  *running_text = text;  // a broken file is reported once, not at every check
  if (!r.errors.empty()) {
    for (const auto& e : r.errors) spdlog::error("reload rejected: {}", e.ToString());
    status->successful = false;
    return;
  }
  config::Config next = std::move(*r.config);
  Models fresh;
  fresh.fs = std::move(models->fs);
  if (Status s = BuildModels(next, false, &fresh); !s.ok()) {
    spdlog::error("reload rejected: {}", s.message());
    models->fs = std::move(fresh.fs);
    status->successful = false;
    return;
  }
  for (auto& p : fresh.pipelines) {
    for (const auto& old : models->pipelines) {
      if (old->engine().name() == p->engine().name()) p->TakeStateFrom(*old);
    }
  }
  if (next.server.listen_address != cfg->server.listen_address ||
      next.state.directory != cfg->state.directory || next.tick_interval != cfg->tick_interval ||
      next.max_series != cfg->max_series) {
    spdlog::warn("reload: server, state, engine and limits settings apply only at restart");
    next.server = cfg->server;
    next.state = cfg->state;
    next.tick_interval = cfg->tick_interval;
    next.max_series = cfg->max_series;
  }
  *models = std::move(fresh);
  *cfg = std::move(next);
  spdlog::info("reload: configuration applied ({} model(s))", cfg->models.size());
  status->successful = true;
  status->success_timestamp = WallNow();
}

exposition::SelfHealth Health(bool config_ok, double config_loaded_at, bool with_process,
                              const StateKeeper* keeper = nullptr) {
  exposition::SelfHealth h;
  h.version = kVersion;
  h.revision = kRevision;
  h.compiler = kCompiler;
  h.config_reload_successful = config_ok;
  h.config_reload_timestamp = config_loaded_at;
  if (with_process) {
    Result<resources::ProcessSample> p = resources::ReadProcess(0);
    if (p.ok()) {
      const auto& v = p.value();
      h.has_process = true;
      h.cpu_seconds = v.cpu_seconds;
      h.resident_bytes = v.resident_bytes;
      h.virtual_bytes = v.virtual_bytes;
      h.start_time_seconds = v.start_time_seconds;
      h.has_fds = v.open_fds.has_value() && v.max_fds.has_value();
      h.open_fds = v.open_fds.value_or(0);
      h.max_fds = v.max_fds.value_or(0);
    }
  }
  if (keeper != nullptr && keeper->enabled()) {
    h.has_checkpoint = true;
    h.checkpoint_last_success = keeper->last_success();
    h.checkpoint_load_errors = keeper->load_errors();
    h.checkpoint_write_errors = keeper->write_errors();
    h.publishing_live = keeper->suspended();
  }
  return h;
}

int RunOneShot(const config::Config& cfg, Models& models) {
  const double now = WallNow();
  double T = 0;
  auto snapshot = std::make_shared<engine::Snapshot>();
  for (auto& p : models.pipelines) {
    p->Poll(now);
    // interface.md §1: a configured source that cannot be opened is an error in one-shot.
    if (p->files() == 0) {
      std::fprintf(stderr, "model %s: no readable file matches source.paths\n",
                   p->engine().name().c_str());
      return kExitError;
    }
    if (p->labels() != nullptr && !p->labels()->in_line() && p->labels()->files() == 0) {
      std::fprintf(stderr, "model %s: no readable file matches ground_truth.source.paths\n",
                   p->engine().name().c_str());
      return kExitError;
    }
    const config::ModelConfig* m = nullptr;
    for (const auto& mc : cfg.models) {
      if (mc.name == p->engine().name()) m = &mc;
    }
    // statistics.md §1: T is the newest event time of the model's records (arrival: now).
    const bool event = m->settings.time == config::TimeMode::kEvent;
    const double t = event ? p->engine().newest_event_time() : now;
    snapshot->models.push_back(p->Evaluate(t));
    T = std::max(T, t);
  }
  snapshot->time = T;
  exposition::SelfHealth h = Health(true, 0, false);
  std::fputs(exposition::RenderSnapshot(*snapshot, h, cfg.max_series, nullptr).c_str(), stdout);
  return std::fflush(stdout) == 0 ? kExitOk : kExitError;
}

}  // namespace

void RequestStop() { g_stop.store(true); }

int Run(const RunOptions& options) {
  config::LoadResult loaded = config::LoadConfigFile(options.config_path);
  if (!loaded.errors.empty()) {
    for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
    return kExitError;
  }
  config::Config cfg = std::move(*loaded.config);
  if (options.listen_address) cfg.server.listen_address = *options.listen_address;
  if (options.web_config_file) cfg.server.web_config_file = *options.web_config_file;
  if (options.log_level) cfg.log.level = *options.log_level;
  if (options.log_format) cfg.log.format = *options.log_format;
  if (Status s = SetUpLogging(cfg.log.level, cfg.log.format); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return kExitUsage;
  }
  std::string config_text = ReadText(options.config_path);
  ConfigStatus config_status;
  config_status.success_timestamp = WallNow();

  // The lock comes first: a second instance must not even read the checkpoint.
  StateKeeper keeper(cfg.state);
  if (!options.one_shot) {
    if (Status s = keeper.Lock(); !s.ok()) {
      spdlog::error("{}", s.message());
      return kExitError;
    }
  }
  Models models;
  if (Status s = BuildModels(cfg, options.one_shot, &models); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return kExitError;
  }
  if (options.one_shot) return RunOneShot(cfg, models);

  std::optional<config::WebConfig> web_config;
  if (!cfg.server.web_config_file.empty()) {
    config::WebConfigResult web = config::LoadWebConfigFile(cfg.server.web_config_file);
    for (const auto& e : web.errors) spdlog::error("web config: {}", e.ToString());
    if (!web.config) return kExitError;
    web_config = std::move(web.config);
  }
  if (cfg.state.directory.empty()) {
    spdlog::warn(
        "state.directory is empty: no persistence; lines written while modelwatch is down "
        "are not counted, and counters restart at 0");
  }
  keeper.Restore(models.pipelines, WallNow());
  if (geteuid() == 0) spdlog::warn("running as root; an unprivileged user is enough");

  exposition::Exporter exporter(cfg.max_series);
  // Model servers, GPUs, filesystems, cost: read at scrape time, at most once a second; a new
  // monitor when a reload may have changed them.
  std::mutex monitor_mu;
  std::shared_ptr<resources::ResourceMonitor> monitor = MakeMonitor(cfg, nullptr);
  std::atomic<bool> ready{false};
  server::ServerOptions so;
  so.listen_address = cfg.server.listen_address;
  so.max_connections = cfg.server.max_connections;
  so.max_concurrent_requests = cfg.server.max_concurrent_requests;
  so.read_header_timeout = cfg.server.read_header_timeout;
  so.idle_timeout = cfg.server.idle_timeout;
  so.protect_health_endpoints = cfg.server.protect_health_endpoints;
  if (web_config) {
    // Names of the files and users only: hashes and keys never reach the log.
    spdlog::info("web config {}: TLS {}, basic auth for {} user(s){}", web_config->file,
                 web_config->tls ? "on (" + web_config->tls->cert_file + ")" : std::string("off"),
                 web_config->basic_auth_users.size(),
                 web_config->basic_auth_users.empty() || cfg.server.protect_health_endpoints
                     ? ""
                     : ", health paths open");
  }
  const bool serves_tls = web_config && web_config->tls;
  so.web_config = std::move(web_config);
  server::Handlers handlers;
  handlers.version = kVersion;
  handlers.ready = [&] { return ready.load(); };
  handlers.metrics = [&] {
    exposition::SelfHealth h =
        Health(config_status.successful, config_status.success_timestamp, true, &keeper);
    std::shared_ptr<resources::ResourceMonitor> m;
    {
      std::lock_guard<std::mutex> lock(monitor_mu);
      m = monitor;
    }
    h.resources = m->Read(WallNow());
    return exporter.Render(h);
  };
  handlers.status_json = [&] {
    auto s = exporter.Current();
    return s ? exposition::StatusJson(*s, kVersion) : std::string("{\"models\":[]}");
  };
  auto server = server::HttpServer::Start(so, handlers);
  if (!server.ok()) {
    spdlog::error("{}", server.status().message());
    return kExitError;
  }
  spdlog::info("modelwatch {} listening on {} (port {}), {} model(s)", kVersion,
               cfg.server.listen_address, server.value()->port(), cfg.models.size());

  g_stop.store(false);
  struct sigaction sa = {};
  sa.sa_handler = OnStopSignal;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  struct sigaction hup = {};
  hup.sa_handler = OnReloadSignal;
  sigaction(SIGHUP, &hup, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // Directory events wake the loop early so that new and rotated files are found at once.
  std::vector<std::string> globs;
  for (const config::ModelConfig& m : cfg.models) {
    globs.insert(globs.end(), m.source.paths.begin(), m.source.paths.end());
  }
  DirWatch watch(globs);
  double next_tick = 0;
  double next_config_check = WallNow() + kConfigCheckSeconds;
  uint64_t tls_reload_errors = 0;
  while (!g_stop.load()) {
    bool reload = g_reload.exchange(false);
    if (reload) spdlog::info("reload: SIGHUP received");
    if (!reload && WallNow() >= next_config_check) {
      // Kubernetes ConfigMaps cannot send signals: a changed file counts as a SIGHUP.
      next_config_check = WallNow() + kConfigCheckSeconds;
      reload = ReadText(options.config_path) != config_text;
      if (reload) spdlog::info("reload: {} changed", options.config_path);
    }
    if (reload) {
      // Positions and aggregates move from the old pipelines to the new ones in memory; a
      // checkpoint right after makes the new layout durable.
      Reload(options.config_path, &config_text, &cfg, &models, &config_status);
      auto next = MakeMonitor(cfg, monitor.get());
      {
        std::lock_guard<std::mutex> lock(monitor_mu);
        monitor.swap(next);
      }
      keeper.MaybeCheckpoint(models.pipelines, WallNow(), true);
    }
    const double now = WallNow();
    for (auto& p : models.pipelines) p->Poll(now);
    keeper.MaybeCheckpoint(models.pipelines, now);
    if (now >= next_tick) {
      exporter.Publish(Evaluate(models, now, keeper.publish_committed()));
      next_tick = now + cfg.tick_interval;
      if (serves_tls) {
        // Certificate rotation that failed: the previous certificate keeps serving.
        const server::Stats st = server.value()->stats();
        if (st.tls_reload_errors > tls_reload_errors) {
          spdlog::error(
              "TLS files changed but cannot be loaded, still serving the previous ones: {}",
              st.tls_last_reload_error);
        }
        tls_reload_errors = st.tls_reload_errors;
      }
      if (!ready.exchange(true)) {
        spdlog::info("ready");
        if (options.on_ready) options.on_ready(server.value()->port());
      }
    }
    watch.Wait(kPollSeconds);
  }
  spdlog::info("stopping");
  keeper.MaybeCheckpoint(models.pipelines, WallNow(), true);
  server.value()->Stop();
  return kExitOk;
}

}  // namespace modelwatch::app
