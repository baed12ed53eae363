// The daemon's persistence (reliability.md §State): the state directory's lock, restoring the
// last checkpoint at start-up, writing one every state.checkpoint_interval and at SIGTERM, and
// the commit-then-publish rule. Owned and called by the ingest thread only; the counters it
// reports for /metrics are atomics read by scrape threads.
#ifndef MODELWATCH_APP_STATE_KEEPER_H_
#define MODELWATCH_APP_STATE_KEEPER_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <modelwatch/config/config.h>
#include <modelwatch/state/checkpoint.h>

#include "app/pipeline.h"

namespace modelwatch::app {

class StateKeeper {
 public:
  static constexpr int kFailedIntervalsBeforeLive = 3;

  explicit StateKeeper(const config::StateConfig& cfg) : cfg_(cfg) {}
  bool enabled() const { return !cfg_.directory.empty(); }

  // Takes the directory's exclusive lock (persistence on); fails naming the holder.
  Status Lock();
  // Restores positions and aggregates into pipelines (before their first Poll). A corrupt or
  // unreadable checkpoint is moved aside, logged and counted (op="load"); files then start per
  // state.on_corrupt. Never fails: the daemon always starts.
  void Restore(const std::vector<std::unique_ptr<ModelPipeline>>& pipelines, double now);
  // Writes a checkpoint when one is due (or force), then commits it to the pipelines.
  void MaybeCheckpoint(const std::vector<std::unique_ptr<ModelPipeline>>& pipelines, double now,
                       bool force = false);
  // Whether /metrics publishes committed state (persistence on, checkpoints succeeding) or live.
  bool publish_committed() const { return enabled() && !suspended_; }

  double last_success() const { return last_success_.load(); }
  std::uint64_t load_errors() const { return load_errors_.load(); }
  std::uint64_t write_errors() const { return write_errors_.load(); }
  bool suspended() const { return suspended_.load(); }

 private:
  config::StateConfig cfg_;
  std::unique_ptr<state::DirectoryLock> lock_;
  double next_ = 0;
  double backoff_ = 0;
  int failed_intervals_ = 0;
  std::atomic<double> last_success_{0};
  std::atomic<std::uint64_t> load_errors_{0};
  std::atomic<std::uint64_t> write_errors_{0};
  std::atomic<bool> suspended_{false};
};

}  // namespace modelwatch::app

#endif  // MODELWATCH_APP_STATE_KEEPER_H_
