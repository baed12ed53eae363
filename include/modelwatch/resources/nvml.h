// Nvml: the GPUs of the machine through NVIDIA's NVML, loaded with dlopen at run time, so the
// build needs no CUDA and a machine without a driver simply has no GPU series. Only these
// entry points are used (present in every NVML since the R418 drivers): nvmlInit_v2,
// nvmlShutdown, nvmlErrorString, nvmlDeviceGetCount_v2, nvmlDeviceGetHandleByIndex_v2,
// nvmlDeviceGetUUID, nvmlDeviceGetUtilizationRates, nvmlDeviceGetMemoryInfo,
// nvmlDeviceGetPowerUsage, nvmlDeviceGetTemperature.
//
// Thread-safe (NVML is); Open once, Read from any collector.
#ifndef MODELWATCH_RESOURCES_NVML_H_
#define MODELWATCH_RESOURCES_NVML_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <modelwatch/core/status.h>

namespace modelwatch::resources {

struct GpuSample {
  int index = 0;
  std::string uuid;                         // "GPU-..."; "" when NVML does not say
  std::optional<double> utilization_ratio;  // 0..1, over NVML's last sample period
  std::optional<double> memory_used_bytes;
  std::optional<double> memory_total_bytes;
  std::optional<double> power_watts;
  std::optional<double> temperature_celsius;  // the GPU die sensor
  int errors = 0;  // values NVML could not give (not supported, lost GPU, ...)
};

// The library opened when no path is given (the driver's own soname).
inline constexpr const char* kDefaultNvmlLibrary = "libnvidia-ml.so.1";

class Nvml {
 public:
  // dlopen(library) (kDefaultNvmlLibrary when empty), resolve the entry points, nvmlInit_v2.
  // Fails with the reason (no library, a missing symbol, init failed) and leaves nothing open.
  static Result<std::unique_ptr<Nvml>> Open(const std::string& library);
  ~Nvml();  // nvmlShutdown, dlclose
  Nvml(const Nvml&) = delete;
  Nvml& operator=(const Nvml&) = delete;

  // One sample per GPU. A GPU whose handle cannot be had is left out (counted in *errors).
  std::vector<GpuSample> Read(int* errors = nullptr) const;

 private:
  struct Api;
  explicit Nvml(std::unique_ptr<Api> api);
  std::unique_ptr<Api> api_;
};

}  // namespace modelwatch::resources

#endif  // MODELWATCH_RESOURCES_NVML_H_
