#include <modelwatch/resources/monitor.h>

#include <sys/statvfs.h>

#include <cstdlib>
#include <utility>

namespace modelwatch::resources {

ResourceMonitor::ResourceMonitor(MonitorOptions options)
    : options_(std::move(options)), gpu_status_(Status::Error("disabled (resources.gpu: none)")) {
  for (const ModelResources& m : options_.models) {
    if (m.process) readers_.emplace_back(*m.process, options_.proc_root, options_.cgroup_root);
  }
  fs_errors_.assign(options_.filesystems.size(), 0);
  if (!options_.gpu) return;
  std::string library = options_.gpu_library;
  if (library.empty()) {
    if (const char* env = std::getenv(kNvmlLibraryEnv)) library = env;
  }
  Result<std::unique_ptr<Nvml>> nvml = Nvml::Open(library);
  if (nvml.ok()) {
    nvml_ = std::move(nvml).value();
    gpu_status_ = Status::Ok();
  } else {
    gpu_status_ = nvml.status();
  }
}

ResourceMonitor::~ResourceMonitor() = default;

std::shared_ptr<const Readings> ResourceMonitor::Read(double now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (last_ && now >= last_time_ && now - last_time_ < options_.min_interval) return last_;
  auto r = std::make_shared<Readings>();
  std::size_t reader = 0;
  for (const ModelResources& m : options_.models) {
    if (m.has_cost) r->costs.push_back({m.model, m.currency, m.cost_per_hour});
    if (!m.process) continue;
    ModelServerReader& rd = readers_[reader++];
    ModelServerReading out;
    out.model = m.model;
    out.sample = rd.Read();
    out.errors = rd.errors();
    r->servers.push_back(std::move(out));
  }
  if (nvml_) {
    r->gpu_open = true;
    int errors = 0;
    r->gpus = nvml_->Read(&errors);
    gpu_errors_ += static_cast<std::uint64_t>(errors);
    r->gpu_errors = gpu_errors_;
  }
  for (std::size_t i = 0; i < options_.filesystems.size(); ++i) {
    FilesystemReading f;
    f.path = options_.filesystems[i];
    struct statvfs st {};
    if (::statvfs(f.path.c_str(), &st) == 0) {
      f.ok = true;
      const auto unit = static_cast<double>(st.f_frsize);
      f.free_bytes = static_cast<double>(st.f_bavail) * unit;
      f.size_bytes = static_cast<double>(st.f_blocks) * unit;
    } else {
      ++fs_errors_[i];
    }
    f.errors = fs_errors_[i];
    r->filesystems.push_back(std::move(f));
  }
  last_ = r;
  last_time_ = now;
  return last_;
}

}  // namespace modelwatch::resources
