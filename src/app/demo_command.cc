#include "app/demo_command.h"

#include <signal.h>

#include <cstdio>
#include <string>

#include "app/cli.h"
#include "app/run.h"

namespace modelwatch::app {

namespace {

// --traffic-only: the writer thread appends until SIGINT or SIGTERM. Both are blocked before the
// thread starts (it inherits the mask) and taken here with sigwait, so that a container's PID 1
// stops at `docker stop` instead of ignoring SIGTERM.
int WriteTrafficOnly(const DemoOptions& options, const std::string& dir,
                     const std::string& config) {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  DemoWriter writer(options, dir);
  if (Status s = writer.Start(); !s.ok()) {
    std::fprintf(stderr, "modelwatch demo: %s\n", s.message().c_str());
    return kExitError;
  }
  std::fprintf(stderr,
               "modelwatch demo: traffic only (no daemon); run `modelwatch run --config %s` "
               "or your own configuration on %s/predictions.jsonl. SIGTERM stops.\n",
               config.c_str(), dir.c_str());
  int sig = 0;
  sigwait(&stop, &sig);
  writer.Stop();
  std::fprintf(stderr, "modelwatch demo: stopped by signal %d\n", sig);
  return kExitOk;
}

}  // namespace

int RunDemo(const DemoOptions& options) {
  std::string dir;
  Result<std::string> config = PrepareDemo(options, &dir);
  if (!config.ok()) {
    std::fprintf(stderr, "modelwatch demo: %s\n", config.status().message().c_str());
    return kExitError;
  }
  if (options.traffic_only) return WriteTrafficOnly(options, dir, config.value());
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
