// ResourceMonitor: everything `resources:` and the models' `process:` / `cost_per_hour:` ask
// for, read live (never per log line): at scrape time, at most once per min_interval (a second
// scrape within it gets the same Readings). Thread-safe: any number of scrape threads.
//
// GPU: with gpu "auto", NVML is opened once at construction; when it cannot be, there are no GPU
// series and gpu_status() says why (the caller logs it once). "none" never tries.
#ifndef MODELWATCH_RESOURCES_MONITOR_H_
#define MODELWATCH_RESOURCES_MONITOR_H_

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <modelwatch/core/status.h>
#include <modelwatch/resources/model_server.h>
#include <modelwatch/resources/nvml.h>

namespace modelwatch::resources {

// The environment variable that names the NVML library when resources.gpu_library is empty
// (tests point it at a fake; operators at a driver outside the loader path).
inline constexpr const char* kNvmlLibraryEnv = "MODELWATCH_NVML_LIBRARY";

struct ModelResources {
  std::string model;
  std::optional<ProcessTarget> process;
  bool has_cost = false;
  double cost_per_hour = 0;
  std::string currency;
};

struct MonitorOptions {
  std::vector<ModelResources> models;
  bool gpu = true;          // resources.gpu: auto (true) | none
  std::string gpu_library;  // resources.gpu_library; empty: $MODELWATCH_NVML_LIBRARY, else the
                            // driver's libnvidia-ml.so.1
  std::vector<std::string> filesystems;
  double min_interval = 1;  // seconds
  std::string proc_root = "/proc";
  std::string cgroup_root;  // empty: the cgroup2 mount in /proc/self/mountinfo
};

struct ModelServerReading {
  std::string model;
  ModelServerSample sample;
  std::array<std::uint64_t, kReadParts> errors{};  // cumulative
};

struct FilesystemReading {
  std::string path;
  bool ok = false;        // statvfs succeeded
  double free_bytes = 0;  // available to an unprivileged user (f_bavail)
  double size_bytes = 0;
  std::uint64_t errors = 0;  // cumulative failed reads
};

struct CostReading {
  std::string model, currency;
  double per_hour = 0;
};

struct Readings {
  std::vector<ModelServerReading> servers;  // models with `process:`
  bool gpu_open = false;                    // NVML is loaded (then gpu_errors is exported)
  std::vector<GpuSample> gpus;
  std::uint64_t gpu_errors = 0;  // cumulative NVML calls that failed
  std::vector<FilesystemReading> filesystems;
  std::vector<CostReading> costs;
};

class ResourceMonitor {
 public:
  explicit ResourceMonitor(MonitorOptions options);
  ~ResourceMonitor();

  // Ok when NVML is open; otherwise why there are no GPU series ("disabled" with gpu: none).
  const Status& gpu_status() const { return gpu_status_; }
  // The readings at `now` (seconds, any monotonic or wall clock).
  std::shared_ptr<const Readings> Read(double now);

 private:
  MonitorOptions options_;
  Status gpu_status_;
  std::unique_ptr<Nvml> nvml_;
  std::mutex mu_;
  std::vector<ModelServerReader> readers_;  // per entry of options_.models with a process
  std::shared_ptr<const Readings> last_;
  double last_time_ = 0;
  std::uint64_t gpu_errors_ = 0;
  std::vector<std::uint64_t> fs_errors_;
};

}  // namespace modelwatch::resources

#endif  // MODELWATCH_RESOURCES_MONITOR_H_
