#include "app/resource_options.h"

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

}  // namespace modelwatch::app
