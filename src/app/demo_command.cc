#include "app/demo_command.h"

#include <cstdio>
#include <string>

#include "app/cli.h"
#include "app/run.h"

namespace modelwatch::app {

int RunDemo(const DemoOptions& options) {
  std::string dir;
  Result<std::string> config = PrepareDemo(options, &dir);
  if (!config.ok()) {
    std::fprintf(stderr, "modelwatch demo: %s\n", config.status().message().c_str());
    return kExitError;
  }
  DemoWriter writer(options, dir);
  if (Status s = writer.Start(); !s.ok()) {
    std::fprintf(stderr, "modelwatch demo: %s\n", s.message().c_str());
    return kExitError;
  }
  RunOptions run;
  run.config_path = config.value();
  run.on_ready = [](int port) {
    std::fprintf(stderr,
                 "modelwatch demo: serving http://localhost:%d/metrics  (Ctrl-C stops; try: "
                 "curl -s localhost:%d/metrics | grep drift_detected)\n",
                 port, port);
  };
  const int rc = Run(run);
  writer.Stop();
  return rc;
}

}  // namespace modelwatch::app
