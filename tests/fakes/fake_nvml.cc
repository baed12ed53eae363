// A fake libnvidia-ml for tests: the NVML entry points modelwatch loads, over two made-up GPUs,
// so the dlopen path and the mapping to metrics are tested on machines without a GPU.
//   GPU 0: uuid GPU-11111111-2222-3333-4444-555555555555, utilization 37 %, memory 12 GiB used
//          of 80 GiB, power 123.456 W, temperature 61 °C.
//   GPU 1: uuid GPU-66666666-7777-8888-9999-000000000000, utilization 0 %, memory 0 of 16 GiB,
//          temperature 35 °C; power NOT_SUPPORTED (as on many boards), so it has no power series.
// FAKE_NVML_INIT_FAIL=1 in the environment makes nvmlInit_v2 fail (DRIVER_NOT_LOADED).
#include <cstdlib>
#include <cstring>

extern "C" {

// nvml.h's declarations (type names included: src/resources/nvml.cc calls these functions through
// pointers of the same types, which UBSan's -fsanitize=function checks).
typedef int nvmlReturn_t;
typedef struct nvmlDevice_st* nvmlDevice_t;
typedef struct nvmlUtilization_st {
  unsigned int gpu;
  unsigned int memory;
} nvmlUtilization_t;
typedef struct nvmlMemory_st {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
} nvmlMemory_t;

namespace {
constexpr nvmlReturn_t kSuccess = 0;
constexpr nvmlReturn_t kInvalidArgument = 2;
constexpr nvmlReturn_t kNotSupported = 3;
constexpr nvmlReturn_t kUninitialized = 1;
constexpr nvmlReturn_t kDriverNotLoaded = 9;
constexpr unsigned long long kGiB = 1ull << 30;
int g_init = 0;
// Handles are the addresses of these.
int g_devices[2];
int Index(nvmlDevice_t d) {
  for (int i = 0; i < 2; ++i) {
    if (reinterpret_cast<int*>(d) == &g_devices[i]) return i;
  }
  return -1;
}
}  // namespace

__attribute__((visibility("default"))) nvmlReturn_t nvmlInit_v2() {
  const char* fail = std::getenv("FAKE_NVML_INIT_FAIL");
  if (fail != nullptr && std::strcmp(fail, "1") == 0) return kDriverNotLoaded;
  ++g_init;
  return kSuccess;
}
__attribute__((visibility("default"))) nvmlReturn_t nvmlShutdown() {
  if (g_init == 0) return kUninitialized;
  --g_init;
  return kSuccess;
}
__attribute__((visibility("default"))) const char* nvmlErrorString(nvmlReturn_t r) {
  return r == kDriverNotLoaded ? "Driver Not Loaded" : "Fake NVML error";
}
__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int* n) {
  if (g_init == 0) return kUninitialized;
  *n = 2;
  return kSuccess;
}
__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int i,
                                                                                  nvmlDevice_t* d) {
  if (g_init == 0) return kUninitialized;
  if (i >= 2) return kInvalidArgument;
  *d = reinterpret_cast<nvmlDevice_t>(&g_devices[i]);
  return kSuccess;
}
__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t d, char* out,
                                                                      unsigned int length) {
  const char* uuid[] = {"GPU-11111111-2222-3333-4444-555555555555",
                        "GPU-66666666-7777-8888-9999-000000000000"};
  const int i = Index(d);
  if (i < 0 || length < 41) return kInvalidArgument;
  std::strcpy(out, uuid[i]);
  return kSuccess;
}
__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetUtilizationRates(
    nvmlDevice_t d, nvmlUtilization_t* u) {
  const int i = Index(d);
  if (i < 0) return kInvalidArgument;
  u->gpu = i == 0 ? 37 : 0;
  u->memory = i == 0 ? 20 : 0;
  return kSuccess;
}
__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t d,
                                                                            nvmlMemory_t* m) {
  const int i = Index(d);
  if (i < 0) return kInvalidArgument;
  m->total = i == 0 ? 80 * kGiB : 16 * kGiB;
  m->used = i == 0 ? 12 * kGiB : 0;
  m->free = m->total - m->used;
  return kSuccess;
}
__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t d,
                                                                            unsigned int* mw) {
  const int i = Index(d);
  if (i < 0) return kInvalidArgument;
  if (i == 1) return kNotSupported;
  *mw = 123456;
  return kSuccess;
}
__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t d,
                                                                             int sensor,
                                                                             unsigned int* t) {
  const int i = Index(d);
  if (i < 0 || sensor != 0) return kInvalidArgument;
  *t = i == 0 ? 61 : 35;
  return kSuccess;
}

}  // extern "C"
