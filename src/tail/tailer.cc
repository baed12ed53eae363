#include <modelwatch/tail/tailer.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "tail/scan_util.h"
#include "tail/tailer_entry.h"

namespace modelwatch::tail {

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
    // Positions of files that no longer exist: rotated away (and compressed or deleted) while we
    // were down. What they held past the saved offset is lost; later growth cannot be known.
    for (const auto& [id, p] : restored_) {
      if (p.size > p.offset) stats_.bytes_lost_rotated_away += p.size - p.offset;
    }
    restored_.clear();
  }
  ++polls_;
  poll_bytes_ = 0;

  order_.clear();
  for (auto& [id, e] : entries_) order_.push_back(e.get());
  // Gone files first (they free slots), then older files first: a rotated file before its
  // successor, restored files before new ones.
  std::sort(order_.begin(), order_.end(), [](const Entry* a, const Entry* b) {
    if (a->gone != b->gone) return a->gone;
    if (a->seq != b->seq) return a->seq < b->seq;
    return a->path < b->path;
  });
  for (Entry* e : order_) {
    if (e->file == nullptr && !e->gone && !OpenEntry(*e)) continue;
    if (e->shadowed && e->restored_shadow) MaybeReleaseShadow(*e, complete);
    if (e->file != nullptr && !e->shadowed) ReadEntry(*e, sink);
    if (!e->gone) continue;
    ReleaseShadows(*e, true);
    // Whatever the last read could not reach (and a partial line that can never complete).
    if (!e->shadowed && e->size > e->committed()) {
      stats_.bytes_lost_deleted += e->size - e->committed();
    }
    if (e->prior.valid) stats_.bytes_lost_truncated += e->prior.unread();
    for (const Entry::Prior& p : e->older) stats_.bytes_lost_truncated += p.unread();
    if (e->file != nullptr) {
      RememberDeparted(*e);
      --open_files_;
    }
    entries_.erase(e->id);
  }
  for (auto it = departed_.begin(); it != departed_.end();) {
    it = polls_ >= it->second.expires ? departed_.erase(it) : std::next(it);
  }
  for (auto& [id, e] : entries_) {
    auto expired = [this](const Entry::Prior& p) {
      if (!p.valid) return true;  // matched by a copy
      if (polls_ < p.expires) return false;
      stats_.bytes_lost_truncated += p.unread();
      return true;
    };
    if (expired(e->prior)) e->prior = Entry::Prior{};
    std::erase_if(e->older, expired);
  }
  // A shadow's position follows its original's, so a checkpoint taken now resumes it there.
  for (auto& [id, e] : entries_) {
    if (!e->shadowed) continue;
    auto orig = entries_.find(e->shadow_of);
    if (orig == entries_.end()) continue;
    e->read_offset = std::min(orig->second->committed(), e->size);
    e->partial.clear();
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
      Result<FileInfo> info = fs_.Stat(path);
      if (!info.ok()) {
        // A tracked file that vanished since the glob was usually renamed by a rotation to a
        // name this listing did not include: the listing is not a whole picture, so nothing
        // counts as gone now. (A path no file was tracked at, e.g. a dangling link, is skipped.)
        for (const auto& [id, e] : entries_) {
          if (e->path == path) complete = false;
        }
        continue;
      }
      if (!info.value().is_regular) continue;
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
    if (e.file == nullptr || e.shadowed) e.size = hit.size;
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

void Tailer::RememberDeparted(const Entry& e) {
  // Only a file read to its end with no partial line: its position says everything.
  if (e.shadowed || e.skipping || !e.partial.empty() || e.head_len == 0 || e.committed() < e.size) {
    return;
  }
  departed_[e.id] = Departed{PositionOf(e), polls_ + kDepartedPolls};
}

void Tailer::AddEntry(const Hit& hit) {
  bool departed = false;
  if (auto d = departed_.find(hit.id); d != departed_.end()) {
    // Found again soon after it was dropped: resume it like a restored position (VerifyRestored
    // makes it a new file read from 0 if the fingerprints show other content: a reused inode).
    if (restored_.count(hit.id) == 0 && hit.size >= d->second.position.offset) {
      restored_.emplace(hit.id, std::move(d->second.position));
      departed = true;
    }
    departed_.erase(d);
  }
  auto e = std::make_unique<Entry>();
  e->departed = departed;
  e->id = hit.id;
  e->path = hit.path;
  e->seq = polls_ + 1;
  e->size = hit.size;
  auto restored = restored_.find(hit.id);
  if (restored != restored_.end()) {
    FilePosition& p = restored->second;
    e->seq = 0;
    if (hit.size >= p.offset + p.partial.size()) {
      e->read_offset = p.offset + p.partial.size();
      e->partial = std::move(p.partial);
      e->skipping = p.skipping;
      e->verify = true;
      e->saved = std::move(p);
      e->saved.partial.clear();
      e->shadowed = e->saved.shadowed;
      e->shadow_of = e->saved.shadow_of;
      e->restored_shadow = e->shadowed;
    } else {
      // Shrank while we were down: copytruncate (its copy may show up) or a new file.
      ++stats_.truncations;
      Entry::Prior& prior = e->prior;
      prior.valid = p.head_len > 0;
      prior.head_len = p.head_len;
      prior.head_hash = p.head_hash;
      prior.read_offset = p.offset + p.partial.size();
      prior.partial = std::move(p.partial);
      prior.skipping = p.skipping;
      prior.size = std::max(p.size, prior.read_offset);
      prior.expires = polls_ + kPriorPolls;
      if (!prior.valid && p.size > p.offset) stats_.bytes_lost_truncated += p.size - p.offset;
    }
    restored_.erase(restored);
  } else if (first_poll_ && !positions_restored_ && options_.start_at == StartAt::kEnd) {
    e->read_offset = hit.size;
    e->back_up = true;
  } else {
    e->detect_copy = true;
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
  if (e.verify) {
    e.verify = false;
    if (!VerifyRestored(e)) {
      e.shadowed = false;
      e.read_offset = 0;
      e.partial.clear();
      e.skipping = false;
    }
  }
  if (e.detect_copy) {
    e.detect_copy = false;
    DetectCopy(e);
  }
  UpdateHead(e);
  // Where reading resumes (a restored position just verified, a copy just matched, start_at
  // end), the bytes before it are known good: the regrowth check starts from them.
  if (!e.shadowed) FillLast(e);
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
    OnTruncated(e, size);
  } else if (e.last_len > 0) {
    // Truncated and regrown to or past our offset since the last poll: the bytes before the
    // offset are no longer the ones we read. One small pread per file and poll: the size alone
    // cannot tell (a file can regrow to exactly its old size).
    char now[kLastBytes];
    if (ReadExact(*e.file, e.read_offset - e.last_len, now, e.last_len) &&
        std::memcmp(now, e.last, e.last_len) != 0) {
      OnTruncated(e, size);
    }
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
    // Keep the last bytes read (before the splitter may move them) for the regrowth check.
    const std::size_t got = n.value();
    if (got >= kLastBytes) {
      std::memcpy(e.last, space.data() + got - kLastBytes, kLastBytes);
      e.last_len = kLastBytes;
    } else {
      const std::size_t keep = std::min<std::size_t>(e.last_len, kLastBytes - got);
      std::memmove(e.last, e.last + e.last_len - keep, keep);
      std::memcpy(e.last + keep, space.data(), got);
      e.last_len = static_cast<std::uint32_t>(keep + got);
    }
    splitter_.Commit(got, sink);
    e.read_offset += got;
    stats_.bytes_read += got;
    poll_bytes_ += got;
  }
  e.partial.assign(splitter_.partial());
  e.skipping = splitter_.skipping();
  UpdateHead(e);
}

TailerStats Tailer::stats() const {
  TailerStats s = stats_;
  s.files = entries_.size();
  s.lines = splitter_.lines() + splitter_.lines_too_long();
  s.lines_too_long = splitter_.lines_too_long();
  s.lag_bytes = 0;
  for (const auto& [id, e] : entries_) {
    if (!e->shadowed && e->size > e->committed()) s.lag_bytes += e->size - e->committed();
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
  for (const auto& [id, e] : entries_) out.push_back(PositionOf(*e));
  // Restored positions not matched yet (no complete scan since the restore) are still owed, and
  // files that departed a moment ago may be found again after a restart too.
  for (const auto& [id, p] : restored_) out.push_back(p);
  for (const auto& [id, d] : departed_) {
    if (entries_.count(id) == 0 && restored_.count(id) == 0) out.push_back(d.position);
  }
  return out;
}

FilePosition Tailer::PositionOf(const Entry& e) const {
  FilePosition p;
  p.path = e.path;
  p.id = e.id;
  p.offset = e.committed();
  p.partial = e.partial;
  p.skipping = e.skipping;
  p.size = std::max(e.size, e.read_offset);
  p.shadowed = e.shadowed;
  p.shadow_of = e.shadow_of;
  if (e.file != nullptr) {
    p.head_len = e.head_len;
    p.head_hash = e.head_hash;
    const auto t = static_cast<std::uint32_t>(std::min<std::uint64_t>(p.offset, kTailBytes));
    if (t > 0 && HashRange(*e.file, p.offset - t, t, &p.tail_hash)) p.tail_len = t;
  } else if (e.verify) {  // restored, not opened yet: keep what was saved
    p.head_len = e.saved.head_len;
    p.head_hash = e.saved.head_hash;
    p.tail_len = e.saved.tail_len;
    p.tail_hash = e.saved.tail_hash;
  }
  return p;
}

void Tailer::RestorePositions(std::vector<FilePosition> positions) {
  positions_restored_ = true;
  for (FilePosition& p : positions) {
    FileId id = p.id;
    restored_[id] = std::move(p);
  }
}

}  // namespace modelwatch::tail
