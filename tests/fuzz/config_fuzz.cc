// The configuration loader: any YAML text must give a Config or errors, never a crash, an
// exception or a hang (yaml-cpp exceptions are caught at the adapter).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <modelwatch/config/config.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  modelwatch::config::LoadResult r = modelwatch::config::LoadConfigString(text, "/fuzz/c.yaml");
  if (r.config.has_value() == !r.errors.empty()) std::abort();
  for (const auto& e : r.errors) {
    if (e.message.empty()) std::abort();
  }
  return 0;
}
