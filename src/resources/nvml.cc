#include <modelwatch/resources/nvml.h>

#include <dlfcn.h>

#include <cstring>

// The parts of nvml.h this file needs (NVML's public C ABI), with nvml.h's own type names at
// global scope: a call through a function pointer whose parameter types differ from the callee's
// (as the same names inside a namespace would) is undefined behaviour, and UBSan's
// -fsanitize=function stops the daemon at the first GPU scrape (seen with tests/fakes/fake_nvml,
// which declares them the same way).
struct nvmlDevice_st;
struct nvmlUtilization_st {
  unsigned int gpu;
  unsigned int memory;
};
struct nvmlMemory_st {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
};

namespace modelwatch::resources {
namespace {

using nvmlReturn_t = int;
using nvmlDevice_t = ::nvmlDevice_st*;
using nvmlUtilization_t = ::nvmlUtilization_st;
using nvmlMemory_t = ::nvmlMemory_st;
constexpr nvmlReturn_t kNvmlSuccess = 0;
constexpr int kNvmlTemperatureGpu = 0;
constexpr unsigned kUuidBufferSize = 96;  // NVML_DEVICE_UUID_V2_BUFFER_SIZE

}  // namespace

struct Nvml::Api {
  void* handle = nullptr;
  nvmlReturn_t (*init)() = nullptr;
  nvmlReturn_t (*shutdown)() = nullptr;
  const char* (*error_string)(nvmlReturn_t) = nullptr;
  nvmlReturn_t (*count)(unsigned int*) = nullptr;
  nvmlReturn_t (*handle_by_index)(unsigned int, nvmlDevice_t*) = nullptr;
  nvmlReturn_t (*uuid)(nvmlDevice_t, char*, unsigned int) = nullptr;
  nvmlReturn_t (*utilization)(nvmlDevice_t, nvmlUtilization_t*) = nullptr;
  nvmlReturn_t (*memory)(nvmlDevice_t, nvmlMemory_t*) = nullptr;
  nvmlReturn_t (*power)(nvmlDevice_t, unsigned int*) = nullptr;
  nvmlReturn_t (*temperature)(nvmlDevice_t, int, unsigned int*) = nullptr;
  bool initialised = false;

  ~Api() {
    if (initialised && shutdown != nullptr) shutdown();
    if (handle != nullptr) dlclose(handle);
  }
  std::string Error(nvmlReturn_t r) const {
    const char* s = error_string != nullptr ? error_string(r) : nullptr;
    return s != nullptr ? std::string(s) : "NVML error " + std::to_string(r);
  }
};

namespace {

template <typename Fn>
bool Bind(void* handle, const char* name, Fn* out, std::string* missing) {
  void* sym = dlsym(handle, name);
  if (sym == nullptr) {
    if (!missing->empty()) *missing += ", ";
    *missing += name;
    return false;
  }
  *out = reinterpret_cast<Fn>(sym);
  return true;
}

}  // namespace

Nvml::Nvml(std::unique_ptr<Api> api) : api_(std::move(api)) {}
Nvml::~Nvml() = default;

Result<std::unique_ptr<Nvml>> Nvml::Open(const std::string& library) {
  const std::string path = library.empty() ? kDefaultNvmlLibrary : library;
  auto api = std::make_unique<Api>();
  api->handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (api->handle == nullptr) {
    const char* why = dlerror();
    return Status::Error("cannot load " + path + ": " + (why ? why : "unknown error"));
  }
  std::string missing;
  void* h = api->handle;
  Bind(h, "nvmlInit_v2", &api->init, &missing);
  Bind(h, "nvmlShutdown", &api->shutdown, &missing);
  Bind(h, "nvmlErrorString", &api->error_string, &missing);
  Bind(h, "nvmlDeviceGetCount_v2", &api->count, &missing);
  Bind(h, "nvmlDeviceGetHandleByIndex_v2", &api->handle_by_index, &missing);
  Bind(h, "nvmlDeviceGetUUID", &api->uuid, &missing);
  Bind(h, "nvmlDeviceGetUtilizationRates", &api->utilization, &missing);
  Bind(h, "nvmlDeviceGetMemoryInfo", &api->memory, &missing);
  Bind(h, "nvmlDeviceGetPowerUsage", &api->power, &missing);
  Bind(h, "nvmlDeviceGetTemperature", &api->temperature, &missing);
  if (!missing.empty()) return Status::Error(path + " lacks " + missing);
  if (const nvmlReturn_t r = api->init(); r != kNvmlSuccess) {
    return Status::Error("nvmlInit failed: " + api->Error(r));
  }
  api->initialised = true;
  return std::unique_ptr<Nvml>(new Nvml(std::move(api)));
}

std::vector<GpuSample> Nvml::Read(int* errors) const {
  std::vector<GpuSample> out;
  unsigned int n = 0;
  if (api_->count(&n) != kNvmlSuccess) {
    if (errors) ++*errors;
    return out;
  }
  for (unsigned int i = 0; i < n; ++i) {
    nvmlDevice_t dev = nullptr;
    if (api_->handle_by_index(i, &dev) != kNvmlSuccess) {
      if (errors) ++*errors;
      continue;
    }
    GpuSample g;
    g.index = static_cast<int>(i);
    char uuid[kUuidBufferSize] = {};
    if (api_->uuid(dev, uuid, sizeof uuid) == kNvmlSuccess) {
      g.uuid.assign(uuid, strnlen(uuid, sizeof uuid));
    } else {
      ++g.errors;
    }
    nvmlUtilization_t util{};
    if (api_->utilization(dev, &util) == kNvmlSuccess) {
      g.utilization_ratio = util.gpu / 100.0;
    } else {
      ++g.errors;
    }
    nvmlMemory_t mem{};
    if (api_->memory(dev, &mem) == kNvmlSuccess) {
      g.memory_used_bytes = static_cast<double>(mem.used);
      g.memory_total_bytes = static_cast<double>(mem.total);
    } else {
      ++g.errors;
    }
    unsigned int milliwatts = 0;
    if (api_->power(dev, &milliwatts) == kNvmlSuccess) {
      g.power_watts = milliwatts / 1000.0;
    } else {
      ++g.errors;
    }
    unsigned int celsius = 0;
    if (api_->temperature(dev, kNvmlTemperatureGpu, &celsius) == kNvmlSuccess) {
      g.temperature_celsius = celsius;
    } else {
      ++g.errors;
    }
    if (errors) *errors += g.errors;
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace modelwatch::resources
