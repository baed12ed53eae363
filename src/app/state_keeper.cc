#include "app/state_keeper.h"

#include <malloc.h>

#include <algorithm>
#include <map>

#include <spdlog/spdlog.h>

namespace modelwatch::app {

namespace {
constexpr const char* kPredictions = "predictions";
constexpr const char* kLabels = "labels";
}  // namespace

Status StateKeeper::Lock() {
  if (!enabled()) return Status::Ok();
  auto lock = state::DirectoryLock::Acquire(cfg_.directory);
  if (!lock.ok()) return lock.status();
  lock_ = std::move(lock).value();
  return Status::Ok();
}

void StateKeeper::Restore(const std::vector<std::unique_ptr<ModelPipeline>>& pipelines,
                          double now) {
  if (!enabled()) return;
  bool absent = false;
  Result<std::string> bytes = state::ReadCheckpointFile(cfg_.directory, &absent);
  if (absent) {
    spdlog::info("state: no checkpoint in {}; starting fresh", cfg_.directory);
    return;
  }
  std::string problem;
  Result<state::Decoded> decoded = Status::Error("unread");
  if (!bytes.ok()) {
    problem = bytes.status().message();
  } else {
    decoded = state::DecodeCheckpoint(bytes.value());
    if (!decoded.ok()) problem = decoded.status().message();
  }
  if (!problem.empty()) {
    load_errors_.fetch_add(1);
    Result<std::string> aside = state::MoveCheckpointAside(cfg_.directory, now);
    spdlog::error("state: checkpoint in {} is unusable ({}); moved to {}; files start at their {}",
                  cfg_.directory, problem, aside.ok() ? aside.value() : aside.status().message(),
                  cfg_.on_corrupt == config::OnCorrupt::kEnd ? "end" : "beginning");
    const tail::StartAt start = cfg_.on_corrupt == config::OnCorrupt::kEnd
                                    ? tail::StartAt::kEnd
                                    : tail::StartAt::kBeginning;
    for (const auto& p : pipelines) p->SetStartAt(start);
    return;
  }
  const state::Checkpoint& c = decoded.value().checkpoint;
  if (!decoded.value().aggregates_problem.empty()) {
    load_errors_.fetch_add(1);
    spdlog::error(
        "state: the checkpoint's statistics are unusable ({}); positions kept, "
        "statistics start empty",
        decoded.value().aggregates_problem);
  }
  std::map<std::string, const state::SourcePositions*> positions;
  std::map<std::string, const state::SourcePositions*> label_positions;
  for (const state::SourcePositions& s : c.positions) {
    if (s.source == kPredictions) positions[s.model] = &s;
    if (s.source == kLabels) label_positions[s.model] = &s;
  }
  std::map<std::string, const std::string*> aggregates;
  for (const state::ModelAggregates& a : c.aggregates) aggregates[a.model] = &a.bytes;
  for (const auto& p : pipelines) {
    const std::string& name = p->engine().name();
    if (auto it = positions.find(name); it != positions.end()) {
      p->RestorePositions(it->second->files);
    }
    if (auto it = label_positions.find(name); it != label_positions.end()) {
      p->RestoreLabelPositions(it->second->files);
    }
    if (auto it = aggregates.find(name); it != aggregates.end()) {
      auto report = p->LoadAggregates(*it->second);
      if (!report.ok()) {
        load_errors_.fetch_add(1);
        spdlog::error("state: model {}: statistics not restored ({})", name,
                      report.status().message());
      } else if (report.value().fields_reset > 0 || report.value().windows_reset > 0) {
        spdlog::warn(
            "state: model {}: {} field(s) and {} window(s) restored; {} field(s) and {} "
            "window(s) changed since the checkpoint and start empty",
            name, report.value().fields_kept, report.value().windows_kept,
            report.value().fields_reset, report.value().windows_reset);
      }
    }
  }
  last_success_ = c.written_at;
  spdlog::info("state: restored the checkpoint of {:.0f} from {}", c.written_at, cfg_.directory);
}

void StateKeeper::MaybeCheckpoint(const std::vector<std::unique_ptr<ModelPipeline>>& pipelines,
                                  double now, bool force) {
  if (!enabled() || (!force && now < next_)) return;
  state::Checkpoint c;
  c.written_at = now;
  for (const auto& p : pipelines) {
    c.positions.push_back({p->engine().name(), kPredictions, p->Positions()});
    if (p->labels() != nullptr) {
      c.positions.push_back({p->engine().name(), kLabels, p->LabelPositions()});
    }
    state::ModelAggregates a;
    a.model = p->engine().name();
    p->SaveAggregates(&a.bytes);
    c.aggregates.push_back(std::move(a));
  }
  const Status s = state::WriteCheckpointFile(cfg_.directory, state::EncodeCheckpoint(c));
  if (!s.ok()) {
    write_errors_.fetch_add(1);
    ++failed_intervals_;
    // Retry with backoff: one interval, doubling up to eight.
    backoff_ = backoff_ == 0 ? cfg_.checkpoint_interval
                             : std::min(backoff_ * 2, 8 * cfg_.checkpoint_interval);
    next_ = now + backoff_;
    if (failed_intervals_ >= kFailedIntervalsBeforeLive && !suspended_.exchange(true)) {
      spdlog::error(
          "state: {} checkpoints failed in a row ({}); publishing live statistics: counters may "
          "go back after a crash until a checkpoint succeeds",
          failed_intervals_, s.message());
    } else {
      spdlog::warn("state: checkpoint failed ({}); the last good one is kept", s.message());
    }
    return;
  }
  for (std::size_t i = 0; i < pipelines.size(); ++i) {
    if (Status cs = pipelines[i]->Commit(c.aggregates[i].bytes); !cs.ok()) {
      spdlog::error("state: model {}: commit failed: {}", c.aggregates[i].model, cs.message());
    }
  }
  if (suspended_.exchange(false)) spdlog::info("state: checkpoints succeed again");
  // The checkpoint's blobs (a few MiB once the 24h window fills) were just freed; glibc keeps
  // such freed heap, so the daemon's RSS grew with the checkpoint's size (+9.5 % between 1 M and
  // 10 M lines of the workload, bench/memory.sh). Handing it back costs well under a
  // millisecond every checkpoint_interval.
  malloc_trim(0);
  failed_intervals_ = 0;
  backoff_ = 0;
  last_success_ = now;
  next_ = now + cfg_.checkpoint_interval;
}

}  // namespace modelwatch::app
