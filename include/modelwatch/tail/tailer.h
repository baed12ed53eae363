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
// - Fingerprints (identity beyond the inode): every file keeps a hash of its first bytes (up to
//   kHeadBytes of what was read) and the last bytes read. A restored position is trusted only if
//   the head, the bytes just before the offset and the saved partial line still match: a reused
//   inode (new content) is read from 0; a file truncated and regrown while we were down
//   (copytruncate) counts as truncated and restarts at 0. While running, the last bytes read are
//   compared again before reading more, so a truncation followed by regrowth past the old offset
//   between two polls is caught too.
// - copytruncate: a new file whose first bytes equal a known file's head is a copy of it (the
//   rotated sibling). While the original is intact the copy is shadowed (not read: its lines are
//   read through the original); once the original is truncated (or gone) the copy is read from
//   where the original stopped, so the lines written between our last read and the copy are
//   recovered, not lost, and none is read twice. Bytes the original had and the copy lacks (written
//   between the copy and the truncation) count as lost (truncated).
// - Restored files that no complete scan finds (rotated away and compressed or deleted while we
//   were down): the bytes between the saved offset and their size at the checkpoint count as lost
//   (rotated_away); growth after the checkpoint cannot be known.
// Not yet: a grace period before closing a rotated file. (inotify wake-ups live in the daemon:
// src/app/dir_watch.h.)
#ifndef MODELWATCH_TAIL_TAILER_H_
#define MODELWATCH_TAIL_TAILER_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
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
  std::uint64_t bytes_lost_rotated_away = 0;
  std::uint64_t copies = 0;     // new files recognised as copies of a known one (copytruncate)
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
  std::uint64_t size = 0;    // the file's size when the position was taken
  // Fingerprints (FNV-1a 64): of [0, head_len) and of [offset - tail_len, offset). A length of 0
  // checks nothing (a file that was never opened, or a position from an older version).
  std::uint32_t head_len = 0;
  std::uint64_t head_hash = 0;
  std::uint32_t tail_len = 0;
  std::uint64_t tail_hash = 0;
  // A copy of another known file (copytruncate) that is not read while the original is intact.
  bool shadowed = false;
  FileId shadow_of;
};

// The fingerprint hash (FNV-1a, 64 bits).
std::uint64_t FingerprintHash(std::string_view bytes);

class Tailer {
 public:
  static constexpr std::uint32_t kHeadBytes = 1024;  // head fingerprint
  // How many polls a truncated content waits for its copy (copytruncate) before its unread
  // bytes count as lost, and how many such contents a file keeps besides the newest.
  static constexpr std::uint64_t kPriorPolls = 5;
  static constexpr std::size_t kOlderPriors = 3;
  static constexpr std::uint32_t kTailBytes = 256;  // checkpoint fingerprint before the offset
  static constexpr std::uint32_t kLastBytes = 256;  // live check before reading more
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
  // Positions with fingerprints (reads a few hundred bytes of every open file).
  std::vector<FilePosition> Positions() const;
  // Call before the first Poll: files are matched to positions by FileId when discovered (by the
  // first complete scan; unmatched positions are then dropped). A file now smaller than its
  // restored position counts as truncated and starts at 0.
  void RestorePositions(std::vector<FilePosition> positions);
  // Before the first Poll: where files found without a position start (state.on_corrupt).
  void set_start_at(StartAt start_at) { options_.start_at = start_at; }

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
  // Restored fingerprints checked on open; false: the content is not what the position saw.
  bool VerifyRestored(Entry& e);
  // A new file whose head equals a known file's: shadow it, or start it where the original's
  // truncated content stopped.
  void DetectCopy(Entry& e);
  // The content of e before offset 0 again (truncation): its shadows start where e stopped.
  void OnTruncated(Entry& e, std::uint64_t new_size);
  void ReleaseShadows(Entry& e, bool gone);
  void MaybeReleaseShadow(Entry& n, bool complete);
  void UpdateHead(Entry& e);
  void FillLast(Entry& e);
  FilePosition PositionOf(const Entry& e) const;
  // A file dropped as gone after it was read to its end is remembered for kDepartedPolls polls:
  // a directory listing taken while a file is renamed within it may report neither name
  // (readdir leaves that unspecified), and a file found again after such a miss resumes where
  // it stopped (fingerprints verified) instead of being read a second time from 0.
  void RememberDeparted(const Entry& e);
  static constexpr std::uint64_t kDepartedPolls = 25;

  FileSystem& fs_;
  TailerOptions options_;
  LineSplitter splitter_;
  std::map<FileId, std::unique_ptr<Entry>> entries_;
  std::map<FileId, FilePosition> restored_;
  struct Departed {
    FilePosition position;
    std::uint64_t expires = 0;  // the poll after which it is forgotten
  };
  std::map<FileId, Departed> departed_;
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
