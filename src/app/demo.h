// `modelwatch demo`: a directory with a reference, a configuration and a prediction log that a
// background thread keeps appending realistic traffic to (demo_traffic.h), so that the daemon
// run on that configuration shows drift appearing on /metrics within a minute.
#ifndef MODELWATCH_APP_DEMO_H_
#define MODELWATCH_APP_DEMO_H_

#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include <modelwatch/core/status.h>

#include "app/demo_labels.h"
#include "app/demo_traffic.h"

namespace modelwatch::app {

struct DemoOptions {
  std::string scenario = "drift";  // none|drift|quality|latency|labels
  std::string listen_address = ":10100";
  double rate = 50;         // predictions per second
  double drift_after = 20;  // seconds after start: drift (scenario drift) or faults (quality)
  std::string directory{};  // empty: mkdtemp under $TMPDIR or /tmp
  // Seconds of history written at once on Start() (event times before the start), so the
  // shortest window holds a full sample from the first scrape instead of a noisy handful.
  double backfill = 60;
  std::uint64_t seed = 42;
  // Only write the reference, the configuration and the live log (no daemon): the model-server
  // simulator of deploy/docker/compose.yaml and deploy/kubernetes/.
  bool traffic_only = false;
};

inline constexpr int kDemoReferenceRows = 50000;

// Checks the options, creates the directory (or uses options.directory, creating it if needed),
// writes reference.jsonl (kDemoReferenceRows rows), modelwatch.yaml (interface.md §2; model
// fraud-detector, windows 1m/5m/1h, tick 1s, source <dir>/predictions.jsonl read from the
// beginning) and an empty predictions.jsonl. Returns the configuration's path; the directory
// used is stored in *directory when that is not null.
Result<std::string> PrepareDemo(const DemoOptions& options, std::string* directory);

// The text of the demo's configuration for `directory` (absolute).
std::string DemoConfigYaml(const DemoOptions& options, const std::string& directory);

// Appends traffic to <directory>/predictions.jsonl in real time from a background thread:
// every 100 ms the predictions due at `rate`/s since Start() (event time = their scheduled wall
// clock time, at most 100 ms behind), then a flush. With scenario drift, drift begins
// drift_after seconds after Start(); with scenario quality, the data-quality faults of
// demo_traffic.h do; with scenario latency, its latency spikes.
class DemoWriter {
 public:
  DemoWriter(DemoOptions options, std::string directory);
  ~DemoWriter();  // Stop()
  DemoWriter(const DemoWriter&) = delete;
  DemoWriter& operator=(const DemoWriter&) = delete;

  // Opens the log for appending, writes the backfill, starts the thread and tells stderr what
  // will happen. Error if the file cannot be opened or written, or if already started.
  Status Start();
  // Stops and joins the thread (idempotent); the log keeps what was written.
  void Stop();

 private:
  void Run(TrafficGenerator generator, double start);

  DemoOptions options_;
  std::string directory_;
  std::FILE* file_ = nullptr;
  // Scenario labels: the delayed label log (labels.jsonl) and its schedule.
  std::FILE* label_file_ = nullptr;
  std::unique_ptr<DemoLabels> labels_;
  void WriteLabels(std::string_view predictions, double now, std::string* buf);
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace modelwatch::app

#endif  // MODELWATCH_APP_DEMO_H_
