// The baseline file loader (src/state, the daemon's reference.baseline and `check`): any
// document against a model with numeric and categorical features, outputs and a target.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <modelwatch/config/config.h>
#include <modelwatch/state/baseline_file.h>

namespace {

const modelwatch::config::ModelConfig& Model() {
  static const modelwatch::config::ModelConfig model = [] {
    auto r = modelwatch::config::LoadConfigString(
        "models:\n"
        "  - name: m\n"
        "    source: { paths: [p.jsonl] }\n"
        "    record: { timestamp: { path: /ts } }\n"
        "    features:\n"
        "      - { name: x, path: /inputs/x, type: numeric }\n"
        "      - { name: c, path: /inputs/c, type: categorical }\n"
        "    outputs:\n"
        "      - { name: y, path: /outputs/y, type: numeric }\n"
        "    reference: { path: ref.jsonl, target: label }\n",
        "/fuzz/c.yaml");
    if (!r.config) std::abort();
    return r.config->models.at(0);
  }();
  return model;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  auto r = modelwatch::state::ParseBaselineFile(json, Model(), "b.json");
  if (!r.ok() && r.status().message().empty()) std::abort();
  return 0;
}
