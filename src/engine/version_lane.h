// ModelEngine's per-version windows (split_by_version), private to the engine: the lane of one
// version slot, and the checkpoint section that saves the lanes (version_windows.cc).
#ifndef MODELWATCH_SRC_ENGINE_VERSION_LANE_H_
#define MODELWATCH_SRC_ENGINE_VERSION_LANE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <modelwatch/engine/model_engine.h>

namespace modelwatch::engine {

// One version's windows: rings like the model's (same windows, same bucket layout) and its own
// staging bucket for the engine's current staging period (staging_index_ is shared).
struct ModelEngine::VersionLane {
  std::vector<window::WindowRing<Bucket>> rings;
  Bucket staging;
};

// The version-windows section of a checkpoint, read and checked before anything is applied.
struct ModelEngine::SavedLanes {
  struct Bucket {
    std::int64_t index = 0;
    std::uint64_t records = 0;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> counts;  // (index, count), sparse
    std::vector<double> sums;
    std::vector<std::uint32_t> invalid;
  };
  struct Ring {
    std::string label;
    double seconds = 0;
    std::uint64_t buckets = 0;
    std::vector<Bucket> list;
  };
  struct Lane {
    std::string version;
    std::vector<Ring> rings;
    bool staged = false;
    double staged_mid = 0;
    Bucket staging;
  };
  bool usable = false;  // the section was there, and saved with this engine's bucket layout
  std::vector<Lane> lanes;
};

}  // namespace modelwatch::engine

#endif  // MODELWATCH_SRC_ENGINE_VERSION_LANE_H_
