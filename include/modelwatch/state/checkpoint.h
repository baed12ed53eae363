// The checkpoint file (reliability.md §State): one file in state.directory with two sections,
// the positions of every file (with identities, fingerprints and partial lines) and the
// aggregates of every model (ModelEngine::SaveAggregates bytes, matched by model name). Each
// section has its own version and CRC-32, so aggregates that an upgrade cannot read never cost
// the positions. Written to a temporary file, fsync'ed, renamed over the old one, and the
// directory fsync'ed: a crash leaves the old or the new checkpoint, never a mix.
//
// Also the state directory's exclusive lock (one instance per directory). Not thread-safe.
#ifndef MODELWATCH_STATE_CHECKPOINT_H_
#define MODELWATCH_STATE_CHECKPOINT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <modelwatch/core/status.h>
#include <modelwatch/tail/tailer.h>

namespace modelwatch::state {

inline constexpr const char* kCheckpointFile = "checkpoint";
inline constexpr const char* kLockFile = "lock";

struct SourcePositions {
  std::string model;
  std::string source;  // "predictions", "labels"
  std::vector<tail::FilePosition> files;
};

struct ModelAggregates {
  std::string model;
  std::string bytes;  // ModelEngine::SaveAggregates
};

struct Checkpoint {
  double written_at = 0;  // wall clock, seconds
  std::vector<SourcePositions> positions;
  std::vector<ModelAggregates> aggregates;
};

std::string EncodeCheckpoint(const Checkpoint& c);

struct Decoded {
  Checkpoint checkpoint;
  // Why the aggregates section was dropped (unknown version, bad checksum), "" if it was read:
  // the positions still hold.
  std::string aggregates_problem;
};
// Fails when the header or the positions section is unreadable (the file is then corrupt).
Result<Decoded> DecodeCheckpoint(std::string_view bytes);

// Atomically replaces dir/checkpoint with bytes (temporary file, fsync, rename, fsync of dir).
Status WriteCheckpointFile(const std::string& dir, std::string_view bytes);

// The bytes of dir/checkpoint; *absent is set (and the result is ok and empty) when there is none.
Result<std::string> ReadCheckpointFile(const std::string& dir, bool* absent);

// Renames dir/checkpoint to dir/checkpoint.corrupt.<unix seconds> so that the next start does
// not trip over it again and an operator can inspect it; returns the new path.
Result<std::string> MoveCheckpointAside(const std::string& dir, double now);

// Holds the exclusive lock of a state directory (flock on dir/lock, with the holder's pid
// written inside) until destroyed.
class DirectoryLock {
 public:
  ~DirectoryLock();
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;
  // Creates dir if needed. Fails, naming the directory and the holder's pid, when another
  // process holds the lock.
  static Result<std::unique_ptr<DirectoryLock>> Acquire(const std::string& dir);

 private:
  explicit DirectoryLock(int fd) : fd_(fd) {}
  int fd_;
};

// CRC-32 (IEEE, as zlib's crc32).
std::uint32_t Crc32(std::string_view bytes);

}  // namespace modelwatch::state

#endif  // MODELWATCH_STATE_CHECKPOINT_H_
