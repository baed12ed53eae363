// The web config loader (exporter-toolkit format): any text gives a WebConfig or errors; an
// accepted config never carries a header value with a line break (header injection).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <modelwatch/config/web_config.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto r = modelwatch::config::LoadWebConfigString(text, "/fuzz/web.yml");
  if (r.config.has_value() == !r.errors.empty()) std::abort();
  if (r.config) {
    for (const auto& [name, value] : r.config->headers) {
      if (value.find_first_of("\r\n") != std::string::npos) std::abort();
    }
    for (const auto& [user, hash] : r.config->basic_auth_users) {
      if (hash.size() != 60 || user.empty()) std::abort();
    }
  }
  return 0;
}
