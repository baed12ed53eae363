#include "app/resource_options.h"

#include <spdlog/spdlog.h>

namespace modelwatch::app {

resources::MonitorOptions ResourceOptions(const config::Config& cfg) {
  resources::MonitorOptions o;
  o.gpu = cfg.resources.gpu != "none";
  o.gpu_library = cfg.resources.gpu_library;
  o.filesystems = cfg.resources.filesystems;
  for (const config::ModelConfig& m : cfg.models) {
    resources::ModelResources r;
    r.model = m.name;
    if (m.process) {
      using Kind = resources::ProcessTarget::Kind;
      const config::ProcessConfig& p = *m.process;
      if (!p.pid_file.empty()) {
        r.process = resources::ProcessTarget{Kind::kPidFile, p.pid_file};
      } else if (!p.name.empty()) {
        r.process = resources::ProcessTarget{Kind::kName, p.name};
      } else {
        r.process = resources::ProcessTarget{Kind::kCgroup, p.cgroup};
      }
    }
    if (m.cost_per_hour) {
      r.has_cost = true;
      r.cost_per_hour = m.cost_per_hour->amount;
      r.currency = m.cost_per_hour->currency;
    }
    if (r.process || r.has_cost) o.models.push_back(std::move(r));
  }
  return o;
}

std::shared_ptr<resources::ResourceMonitor> MakeMonitor(
    const config::Config& cfg, const resources::ResourceMonitor* previous) {
  auto m = std::make_shared<resources::ResourceMonitor>(ResourceOptions(cfg));
  auto said = [](const resources::ResourceMonitor& x) {
    return x.gpu_status().ok() ? std::string("on") : x.gpu_status().message();
  };
  if (previous != nullptr && said(*previous) == said(*m)) return m;
  if (cfg.resources.gpu == "none") {
    if (previous != nullptr) spdlog::info("GPU metrics off (resources.gpu: none)");
  } else if (m->gpu_status().ok()) {
    spdlog::info("NVML loaded: GPU metrics on");
  } else {
    spdlog::info("no GPU metrics, NVML not loaded: {}", m->gpu_status().message());
  }
  return m;
}

}  // namespace modelwatch::app
