// `modelwatch run`: the daemon and its one-shot form (interface.md §1).
#ifndef MODELWATCH_APP_RUN_H_
#define MODELWATCH_APP_RUN_H_

#include <functional>
#include <optional>
#include <string>

namespace modelwatch::app {

struct RunOptions {
  std::string config_path;
  bool one_shot = false;
  // Command-line overrides of the file (exporter conventions).
  std::optional<std::string> listen_address;
  std::optional<std::string> web_config_file;
  std::optional<std::string> log_level;
  std::optional<std::string> log_format;
  // Called once the daemon is ready and serving, with its bound port (tests, demo).
  std::function<void(int port)> on_ready;
};

// Returns the process exit code. Stops on SIGTERM/SIGINT (or RequestStop()).
int Run(const RunOptions& options);
// Asks a running daemon in this process to stop (async-signal-safe).
void RequestStop();

}  // namespace modelwatch::app

#endif  // MODELWATCH_APP_RUN_H_
