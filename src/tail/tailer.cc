#include <modelwatch/tail/tailer.h>

#include <algorithm>
#include <utility>

#include "tail/scan_util.h"

namespace modelwatch::tail {

struct Tailer::Hit {
  FileId id;
  std::uint64_t size = 0;
  std::string path;
};

struct Tailer::Entry {
  FileId id;
  std::string path;               // where the last scan saw it
  std::uint64_t seq = 0;          // the Poll that found it: older files are read first
  std::unique_ptr<File> file;     // null while waiting for a slot or after an Open failure
  std::uint64_t read_offset = 0;  // next byte to read
  std::uint64_t size = 0;         // last size seen
  std::string partial;            // bytes [read_offset - partial.size(), read_offset)
  bool skipping = false;
  bool back_up = false;  // start_at end: move read_offset back to the start of its line on open
  bool seen = false;     // found by the current scan
  bool gone = false;     // not found by a complete scan: read to the end, then close

  std::uint64_t committed() const { return read_offset - partial.size(); }
};

Tailer::Tailer(FileSystem& fs, TailerOptions options)
    : fs_(fs),
      options_(std::move(options)),
      splitter_(options_.max_line_bytes, options_.read_chunk_bytes) {}

Tailer::~Tailer() = default;

void Tailer::Poll(LineSink& sink) {
  bool complete = true;
  Scan(complete);
  Reconcile(complete);
  if (complete) {
    first_poll_ = false;
    restored_.clear();  // positions of files that no longer exist
  }
  ++polls_;
  poll_bytes_ = 0;

  order_.clear();
  for (auto& [id, e] : entries_) order_.push_back(e.get());
  // Gone files first (they free slots), then older files first: a rotated file before its
  // successor.
  std::sort(order_.begin(), order_.end(), [](const Entry* a, const Entry* b) {
    if (a->gone != b->gone) return a->gone;
    if (a->seq != b->seq) return a->seq < b->seq;
    return a->path < b->path;
  });
  for (Entry* e : order_) {
    if (e->file == nullptr && !e->gone && !OpenEntry(*e)) continue;
    if (e->file != nullptr) ReadEntry(*e, sink);
    if (!e->gone) continue;
    // Whatever the last read could not reach (and a partial line that can never complete).
    if (e->size > e->committed()) stats_.bytes_lost_deleted += e->size - e->committed();
    if (e->file != nullptr) --open_files_;
    entries_.erase(e->id);
  }
}

void Tailer::Scan(bool& complete) {
  hits_.clear();
  for (const std::string& pattern : options_.paths) {
    Result<std::vector<std::string>> paths = fs_.Glob(pattern);
    if (!paths.ok()) {
      complete = false;
      ++stats_.io_errors;
      continue;
    }
    for (std::string& path : paths.value()) {
      if (IsExcluded(path, options_.exclude)) continue;
      Result<FileInfo> info = fs_.Stat(path);  // failing: vanished since the glob
      if (!info.ok() || !info.value().is_regular) continue;
      hits_.push_back(Hit{info.value().id, info.value().size, std::move(path)});
    }
  }
  // One hit per file: the first path (in pattern order) of a file reachable by several.
  std::stable_sort(hits_.begin(), hits_.end(),
                   [](const Hit& a, const Hit& b) { return a.id < b.id; });
  hits_.erase(std::unique(hits_.begin(), hits_.end(),
                          [](const Hit& a, const Hit& b) { return a.id == b.id; }),
              hits_.end());
}

// Rotation = a file never seen before now sits at a path a known file held (at the start of
// this cycle, or vacated by a rename or deletion in an earlier cycle).
void Tailer::Reconcile(bool complete) {
  std::vector<std::string_view> known_paths;
  known_paths.reserve(entries_.size());
  for (auto& [id, e] : entries_) {
    known_paths.push_back(e->path);
    e->seen = false;
  }
  std::sort(known_paths.begin(), known_paths.end());
  std::vector<std::string_view> hit_paths;
  hit_paths.reserve(hits_.size());
  for (const Hit& hit : hits_) hit_paths.push_back(hit.path);
  std::sort(hit_paths.begin(), hit_paths.end());
  auto occupied = [&](std::string_view p) {
    return std::binary_search(hit_paths.begin(), hit_paths.end(), p);
  };

  for (const Hit& hit : hits_) {
    const bool known = entries_.count(hit.id) > 0;
    const bool vacated = TakeVacated(vacated_, hit.path);
    if (!known && (vacated || std::binary_search(known_paths.begin(), known_paths.end(),
                                                 std::string_view(hit.path)))) {
      ++stats_.rotations;
    }
  }
  for (const Hit& hit : hits_) {
    auto it = entries_.find(hit.id);
    if (it == entries_.end()) continue;
    Entry& e = *it->second;
    e.seen = true;
    if (e.file == nullptr) e.size = hit.size;
    if (e.path != hit.path) {
      if (!occupied(e.path)) AddVacated(vacated_, e.path);
      e.path = hit.path;
    }
  }
  if (complete) {
    for (auto& [id, e] : entries_) {
      if (e->seen) continue;
      e->gone = true;
      if (!occupied(e->path)) AddVacated(vacated_, e->path);
    }
  }
  for (const Hit& hit : hits_) {
    if (entries_.count(hit.id) == 0) AddEntry(hit);
  }
}

void Tailer::AddEntry(const Hit& hit) {
  auto e = std::make_unique<Entry>();
  e->id = hit.id;
  e->path = hit.path;
  e->seq = polls_;
  e->size = hit.size;
  auto restored = restored_.find(hit.id);
  if (restored != restored_.end()) {
    FilePosition& p = restored->second;
    if (hit.size >= p.offset + p.partial.size()) {
      e->read_offset = p.offset + p.partial.size();
      e->partial = std::move(p.partial);
      e->skipping = p.skipping;
    } else {
      ++stats_.truncations;  // shrank while we were down: what it lost is unknown
    }
    restored_.erase(restored);
  } else if (first_poll_ && !positions_restored_ && options_.start_at == StartAt::kEnd) {
    e->read_offset = hit.size;
    e->back_up = true;
  }
  entries_.emplace(hit.id, std::move(e));
}

bool Tailer::OpenEntry(Entry& e) {
  if (open_files_ >= options_.max_open_files) return false;
  Result<std::unique_ptr<File>> file = fs_.Open(e.path);
  if (!file.ok()) {
    ++stats_.io_errors;
    return false;
  }
  Result<FileInfo> info = file.value()->Stat();
  // The path was replaced between the scan and the open: the next scan sorts it out.
  if (!info.ok() || info.value().id != e.id) return false;
  e.file = std::move(file.value());
  ++open_files_;
  if (e.back_up) {
    e.read_offset = LineStartBefore(*e.file, e.read_offset, options_.max_line_bytes, e.skipping);
    e.back_up = false;
  }
  return true;
}

void Tailer::ReadEntry(Entry& e, LineSink& sink) {
  Result<FileInfo> info = e.file->Stat();
  if (!info.ok()) {
    ++stats_.io_errors;
    return;
  }
  const std::uint64_t size = info.value().size;
  if (size < e.read_offset) {
    ++stats_.truncations;
    if (e.size > e.committed()) stats_.bytes_lost_truncated += e.size - e.committed();
    e.read_offset = 0;
    e.partial.clear();
    e.skipping = false;
  }
  e.size = size;
  if (e.read_offset >= size) return;
  splitter_.RestorePartial(e.partial, e.skipping);
  while (e.read_offset < size) {
    const std::uint64_t limit = options_.max_bytes_per_poll;
    if (!e.gone && limit != 0 && poll_bytes_ >= limit) break;
    std::span<char> space = splitter_.WritableSpace();
    const std::size_t want = std::min<std::uint64_t>(space.size(), size - e.read_offset);
    Result<std::size_t> n = e.file->ReadAt(e.read_offset, space.data(), want);
    if (!n.ok()) {
      ++stats_.io_errors;
      break;
    }
    if (n.value() == 0) break;  // shrank under us: the next cycle sees the truncation
    splitter_.Commit(n.value(), sink);
    e.read_offset += n.value();
    stats_.bytes_read += n.value();
    poll_bytes_ += n.value();
  }
  e.partial.assign(splitter_.partial());
  e.skipping = splitter_.skipping();
}

TailerStats Tailer::stats() const {
  TailerStats s = stats_;
  s.files = entries_.size();
  s.lines = splitter_.lines() + splitter_.lines_too_long();
  s.lines_too_long = splitter_.lines_too_long();
  s.lag_bytes = 0;
  for (const auto& [id, e] : entries_) {
    if (e->size > e->committed()) s.lag_bytes += e->size - e->committed();
  }
  return s;
}

std::vector<FileStatus> Tailer::Files() const {
  std::vector<FileStatus> out;
  out.reserve(entries_.size());
  for (const auto& [id, e] : entries_) out.push_back({e->path, e->id, e->committed(), e->size});
  std::sort(out.begin(), out.end(),
            [](const FileStatus& a, const FileStatus& b) { return a.path < b.path; });
  return out;
}

std::vector<FilePosition> Tailer::Positions() const {
  std::vector<FilePosition> out;
  out.reserve(entries_.size());
  for (const auto& [id, e] : entries_) {
    out.push_back({e->path, e->id, e->committed(), e->partial, e->skipping});
  }
  return out;
}

void Tailer::RestorePositions(std::vector<FilePosition> positions) {
  positions_restored_ = true;
  for (FilePosition& p : positions) {
    FileId id = p.id;
    restored_[id] = std::move(p);
  }
}

}  // namespace modelwatch::tail
