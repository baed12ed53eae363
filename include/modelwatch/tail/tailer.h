// Follows every file matching a source's globs and hands their complete lines to a LineSink.
//
// A file is known by its identity (device, inode), never by its path; the path is just where it
// was last seen. Each Poll() is one cycle (reliability.md, Files; reference §7 A, B9, C):
// - The globs are evaluated again; paths matching an exclude pattern (fnmatch on the basename or
//   on the full path) and non-regular files are ignored; a file reachable by two matching paths
//   (a symlink) is read once.
// - A file first seen at the first Poll (the first whose scan completed) starts at its end
// (StartAt::kEnd, backed up to the start
//   of a line in progress, so no fragment is delivered) or at 0 (kBeginning); files seen later
//   start at 0. After RestorePositions() files start at their restored position, unknown ones
//   at 0.
// - Every file is read from its position to the size fstat reports, in chunks of
//   read_chunk_bytes; only complete lines are delivered. Files that are gone (deleted, or
//   renamed to a path the globs no longer match) are read to their end first, then closed.
// - Rotation: a file's path now names another file, or the file shows up under another matching
//   path. The old file keeps being read through its open descriptor (no loss, no duplicate);
//   the new file starts at 0.
// - Truncation: the file is smaller than what was read from it. Reading restarts at 0; the partial
//   line and any bytes seen but not read are counted as lost.
// - At most max_open_files are open; files beyond the cap wait (with their start position) until
//   others close. A file that vanishes before it could be opened counts its bytes as lost.
// - A Glob failure (unreadable directory, EMFILE) makes the scan incomplete: nothing is closed
//   as gone in that cycle. An Open failure is retried next cycle.
//
// Memory: one LineSplitter buffer (max_line_bytes + read_chunk_bytes) shared by all files; each
// file keeps only its partial last line (a string, usually short) between cycles, so 256 files
// cost 256 small strings, not 256 chunk buffers. Not thread-safe; Poll() blocks on file I/O only.
//
// Not yet: content fingerprints (inode reuse, copytruncate with regrowth past the old offset), a
// grace period before closing a rotated file, inotify wake-ups.
#ifndef MODELWATCH_TAIL_TAILER_H_
#define MODELWATCH_TAIL_TAILER_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <modelwatch/tail/file_system.h>
#include <modelwatch/tail/line_sink.h>
#include <modelwatch/tail/line_splitter.h>

namespace modelwatch::tail {

enum class StartAt { kEnd, kBeginning };

struct TailerOptions {
  std::vector<std::string> paths;    // globs
  std::vector<std::string> exclude;  // fnmatch patterns, e.g. "*.gz"
  StartAt start_at = StartAt::kEnd;  // for files present at the first Poll without positions
  std::size_t max_line_bytes = std::size_t{1} << 20;
  std::size_t max_open_files = 256;
  // Bytes per read call; larger amortises syscalls, the buffer is allocated once.
  std::size_t read_chunk_bytes = LineSplitter::kDefaultChunkBytes;
  // Bytes one Poll reads from files still in place (0: no limit), so a daemon facing a large
  // backlog keeps ticking and serving between polls; the rest waits for the next Poll and shows
  // as lag. Files that are gone (rotated away, deleted) are always read to their end.
  std::uint64_t max_bytes_per_poll = 0;
};

// Monotonic totals, except files and lag_bytes (gauges as of the last Poll).
struct TailerStats {
  std::uint64_t files = 0;       // matched files currently known (open, or waiting to open)
  std::uint64_t bytes_read = 0;  // bytes read from files (over-long lines' bytes included)
  std::uint64_t lines = 0;       // complete non-blank lines, over-long ones included
  std::uint64_t lines_too_long = 0;
  std::uint64_t rotations = 0;
  std::uint64_t truncations = 0;
  std::uint64_t bytes_lost_truncated = 0;
  std::uint64_t bytes_lost_deleted = 0;
  std::uint64_t lag_bytes = 0;  // sum over files of size - position
  std::uint64_t io_errors = 0;  // failed Glob, Open, fstat or read calls (all retried)
};

struct FileStatus {
  std::string path;
  FileId id;
  std::uint64_t position = 0;  // committed: every byte before it was delivered or skipped
  std::uint64_t size = 0;      // as of the last Poll
};

// Enough to resume a file exactly where it stopped: reading continues at offset +
// partial.size() with partial as the start of the pending line.
struct FilePosition {
  std::string path;
  FileId id;
  std::uint64_t offset = 0;  // committed offset, as FileStatus::position
  std::string partial;       // the bytes at [offset, offset + partial.size())
  bool skipping = false;     // inside an over-long line (partial is then empty)
};

class Tailer {
 public:
  // fs must outlive the tailer.
  Tailer(FileSystem& fs, TailerOptions options);
  ~Tailer();
  Tailer(const Tailer&) = delete;
  Tailer& operator=(const Tailer&) = delete;

  // One cycle: rescan, open, read everything appended, deliver complete lines to sink.
  void Poll(LineSink& sink);

  TailerStats stats() const;
  // Known files sorted by path.
  std::vector<FileStatus> Files() const;
  std::vector<FilePosition> Positions() const;
  // Call before the first Poll: files are matched to positions by FileId when discovered (by the
  // first complete scan; unmatched positions are then dropped). A file now smaller than its
  // restored position counts as truncated and starts at 0.
  void RestorePositions(std::vector<FilePosition> positions);

 private:
  struct Entry;
  struct Hit;

  void Scan(bool& complete);
  void Reconcile(bool complete);
  void AddEntry(const Hit& hit);
  std::uint64_t InitialOffset(File& file, std::uint64_t size);
  // Opens a waiting entry, returns false if it must keep waiting.
  bool OpenEntry(Entry& e);
  void ReadEntry(Entry& e, LineSink& sink);

  FileSystem& fs_;
  const TailerOptions options_;
  LineSplitter splitter_;
  std::map<FileId, std::unique_ptr<Entry>> entries_;
  std::map<FileId, FilePosition> restored_;
  std::vector<Hit> hits_;             // reused across scans
  std::vector<Entry*> order_;         // reused across polls
  std::vector<std::string> vacated_;  // paths left by known files, see Reconcile
  std::size_t open_files_ = 0;
  std::uint64_t polls_ = 0;
  std::uint64_t poll_bytes_ = 0;  // bytes read in the current Poll (max_bytes_per_poll)
  bool first_poll_ = true;
  bool positions_restored_ = false;
  TailerStats stats_;
};

}  // namespace modelwatch::tail

#endif  // MODELWATCH_TAIL_TAILER_H_
