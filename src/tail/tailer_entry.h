// Private to src/tail: the tailer's per-file state and the byte helpers shared by tailer.cc
// (scan, reconcile, read) and fingerprints.cc (identity checks and copytruncate).
#ifndef MODELWATCH_SRC_TAIL_TAILER_ENTRY_H_
#define MODELWATCH_SRC_TAIL_TAILER_ENTRY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <modelwatch/tail/tailer.h>

namespace modelwatch::tail {

// Reads exactly n bytes at offset; false on an error or a short file.
bool ReadExact(File& file, std::uint64_t offset, char* buf, std::size_t n);
// The fingerprint of [offset, offset + n) (n <= kHeadBytes); false when unreadable.
bool HashRange(File& file, std::uint64_t offset, std::uint32_t n, std::uint64_t* out);

struct Tailer::Hit {
  FileId id;
  std::uint64_t size = 0;
  std::string path;
};

struct Tailer::Entry {
  FileId id;
  std::string path;               // where the last scan saw it
  std::uint64_t seq = 0;          // the Poll that found it (restored: 0): older files first
  std::unique_ptr<File> file;     // null while waiting for a slot or after an Open failure
  std::uint64_t read_offset = 0;  // next byte to read
  std::uint64_t size = 0;         // last size seen
  std::string partial;            // bytes [read_offset - partial.size(), read_offset)
  bool skipping = false;
  bool back_up = false;      // start_at end: move read_offset back to the start of its line on open
  bool seen = false;         // found by the current scan
  bool departed = false;     // resumed from Tailer::departed_, not from a checkpoint
  bool gone = false;         // not found by a complete scan: read to the end, then close
  bool detect_copy = false;  // found after start-up (or after a restore): may be a copy

  // Fingerprints of what was read.
  std::uint32_t head_len = 0;
  std::uint64_t head_hash = 0;
  char last[kLastBytes] = {};
  std::uint32_t last_len = 0;

  // A restored position, checked when the file is opened.
  bool verify = false;
  FilePosition saved;  // without its partial (moved into `partial`)

  // copytruncate: this file is a copy of `shadow_of`, read through the original until that one
  // is truncated or gone.
  bool shadowed = false;
  FileId shadow_of;
  bool restored_shadow = false;  // shadowed per a restored position (see MaybeReleaseShadow)

  // Content this file held before a truncation, for a copy that shows up later: where reading
  // stopped. The copy precedes the truncation, but a listing taken while the rotation renames
  // files can miss it, and a starved daemon may see several truncations before it lists the
  // directory again, so a prior waits Tailer::kPriorPolls polls for its copy.
  struct Prior {
    bool valid = false;
    std::uint32_t head_len = 0;
    std::uint64_t head_hash = 0;
    std::uint64_t read_offset = 0;
    std::string partial;
    bool skipping = false;
    std::uint64_t size = 0;     // its size when last seen
    std::uint64_t expires = 0;  // the Poll after which its unread bytes count as lost
    std::uint64_t committed() const { return read_offset - partial.size(); }
    // Seen but not read: what counts as lost when no copy of this content shows up.
    std::uint64_t unread() const { return size > committed() ? size - committed() : 0; }
  } prior;
  // The priors before it, newest last (at most Tailer::kOlderPriors), when the file was
  // truncated again before the copy of the earlier content was seen: each copy must still
  // continue where reading stopped, not start again at 0.
  std::vector<Prior> older;

  std::uint64_t committed() const { return read_offset - partial.size(); }
};

}  // namespace modelwatch::tail

#endif  // MODELWATCH_SRC_TAIL_TAILER_ENTRY_H_
