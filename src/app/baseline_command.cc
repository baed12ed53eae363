#include "app/baseline_command.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include <modelwatch/config/config.h>
#include <modelwatch/state/baseline_file.h>

#include "app/build_info.h"
#include "app/cli.h"
#include "app/reference.h"

namespace modelwatch::app {

namespace {

std::string NowRfc3339() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void Error(const std::string& message) {
  std::fprintf(stderr, "modelwatch baseline: %s\n", message.c_str());
}

}  // namespace

int BaselineCommand(const BaselineOptions& o) {
  config::ModelConfig m;
  std::optional<Reference> ref;
  if (int rc = LoadModelForCommand("baseline", o.config_path, o.model, o.reference, &m, &ref);
      rc != kExitOk) {
    return rc;
  }
  state::BaselineFile& file = ref->file;
  file.model = m.name;
  file.creator = std::string("modelwatch ") + kVersion + " (revision " + kRevision + ")";
  file.created = NowRfc3339();
  if (Status s = state::WriteBaselineFile(o.out, m, file); !s.ok()) {
    Error(s.message());
    return kExitError;
  }
  std::printf("%s: model %s, %lld reference rows, %zu features, %zu outputs%s (from %s)\n",
              o.out.c_str(), m.name.c_str(), static_cast<long long>(file.baseline.rows),
              m.features.size(), m.outputs.size(), file.target ? ", target" : "",
              file.reference_path.c_str());
  return kExitOk;
}

}  // namespace modelwatch::app
