// The tailer's identity checks (tailer.h): fingerprints of restored positions, copytruncate
// copies (detection, shadows and their release), truncation and the regrowth sample.
#include <algorithm>
#include <cstring>

#include <modelwatch/tail/tailer.h>

#include "tail/tailer_entry.h"

namespace modelwatch::tail {

std::uint64_t FingerprintHash(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

// Reads exactly n bytes at offset; false on an error or a short file.
bool ReadExact(File& file, std::uint64_t offset, char* buf, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    Result<std::size_t> r = file.ReadAt(offset + got, buf + got, n - got);
    if (!r.ok() || r.value() == 0) return false;
    got += r.value();
  }
  return true;
}

bool HashRange(File& file, std::uint64_t offset, std::uint32_t n, std::uint64_t* out) {
  char buf[Tailer::kHeadBytes];
  if (n > sizeof(buf) || !ReadExact(file, offset, buf, n)) return false;
  *out = FingerprintHash({buf, n});
  return true;
}

bool Tailer::VerifyRestored(Entry& e) {
  const FilePosition& s = e.saved;
  File& f = *e.file;
  std::uint64_t h = 0;
  const bool head_ok = s.head_len == 0 || (HashRange(f, 0, s.head_len, &h) && h == s.head_hash);
  bool ok = head_ok;
  if (ok && s.tail_len > 0 && s.tail_len <= s.offset) {
    ok = HashRange(f, s.offset - s.tail_len, s.tail_len, &h) && h == s.tail_hash;
  }
  if (ok && !e.partial.empty()) {
    std::string bytes(e.partial.size(), '\0');  // at start-up only
    ok = ReadExact(f, s.offset, bytes.data(), bytes.size()) && bytes == e.partial;
  }
  if (ok) return true;
  (void)head_ok;
  if (e.departed) {  // a new file on a reused inode: no truncation, only a new file
    e.detect_copy = true;
    return false;
  }
  // Other bytes than the position saw: truncated and regrown (copytruncate), or the inode was
  // reused for a new file while we were down; the two look alike. Either way the file is read
  // from 0; if a copy of the old content shows up it goes on from the saved offset, else the
  // saved unread bytes count as lost.
  ++stats_.truncations;
  Entry::Prior& prior = e.prior;
  prior.valid = true;
  prior.head_len = s.head_len;
  prior.head_hash = s.head_hash;
  prior.read_offset = e.read_offset;
  prior.partial = e.partial;
  prior.skipping = e.skipping;
  prior.size = std::max(s.size, e.read_offset);
  prior.expires = polls_ + kPriorPolls;
  return false;
}

void Tailer::DetectCopy(Entry& n) {
  std::uint64_t size = n.size;
  if (Result<FileInfo> info = n.file->Stat(); info.ok()) size = info.value().size;
  // Only a prefix holding a whole non-blank line identifies content: a new file that merely
  // starts like the old one (`{"ts":...`, or a blank line) is no copy. Log lines carry ids and
  // times, so two files that share a whole first line share their content.
  std::uint32_t hashed_len = 0;
  std::uint64_t hashed = 0;
  bool hashed_has_line = false;
  auto head_matches = [&](std::uint32_t len, std::uint64_t hash) {
    if (len == 0 || size < len || len > kHeadBytes) return false;
    if (hashed_len != len) {
      char buf[kHeadBytes];
      if (!ReadExact(*n.file, 0, buf, len)) return false;
      hashed = FingerprintHash({buf, len});
      hashed_len = len;
      hashed_has_line = false;
      bool content = false;
      for (std::uint32_t i = 0; i < len && !hashed_has_line; ++i) {
        const char c = buf[i];
        if (c == '\n') {
          hashed_has_line = content;
          content = false;
        } else if (c != ' ' && c != '\t' && c != '\r') {
          content = true;
        }
      }
    }
    return hashed_has_line && hashed == hash;
  };
  for (auto& [id, o] : entries_) {
    Entry& e = *o;
    if (&e == &n) continue;
    std::vector<Entry::Prior*> priors{&e.prior};
    for (auto it = e.older.rbegin(); it != e.older.rend(); ++it) priors.push_back(&*it);
    for (Entry::Prior* prior : priors) {
      if (!prior->valid || !head_matches(prior->head_len, prior->head_hash)) continue;
      // The copy of content already truncated: continue where the original stopped.
      Entry::Prior& p = *prior;
      ++stats_.copies;
      if (size >= p.read_offset) {
        n.read_offset = p.read_offset;
        n.partial = p.partial;
        n.skipping = p.skipping;
      } else {
        n.read_offset = size;  // shorter than what we read: nothing new in it
        n.partial.clear();
      }
      const std::uint64_t kept = std::max(size, p.committed());
      if (p.size > kept) stats_.bytes_lost_truncated += p.size - kept;
      p = Entry::Prior{};
      return;
    }
    bool live_match = false;
    if (!e.gone && !e.shadowed && e.file != nullptr && e.head_len > 0) {
      if (size >= e.head_len) {
        live_match = head_matches(e.head_len, e.head_hash);
      } else if (size > 0) {
        // A copy of a file that was smaller than our head fingerprint when it was copied: compare
        // the whole copy (ending with a newline) with as much of the (still intact) original.
        const auto len = static_cast<std::uint32_t>(size);
        char last = 0;
        std::uint64_t theirs = 0;
        live_match = ReadExact(*n.file, size - 1, &last, 1) && last == '\n' &&
                     HashRange(*e.file, 0, len, &theirs) && head_matches(len, theirs);
      }
    }
    if (live_match) {
      ++stats_.copies;
      n.shadowed = true;
      n.shadow_of = e.id;
      n.read_offset = std::min(e.committed(), size);
      n.partial.clear();
      return;
    }
  }
}

void Tailer::OnTruncated(Entry& e, std::uint64_t new_size) {
  ++stats_.truncations;
  bool had_shadow = false;
  for (auto& [id, o] : entries_) {
    Entry& n = *o;
    if (!n.shadowed || n.shadow_of != e.id) continue;
    had_shadow = true;
    n.shadowed = false;
    if (n.file != nullptr) {
      if (Result<FileInfo> info = n.file->Stat(); info.ok()) n.size = info.value().size;
    }
    if (n.size >= e.read_offset) {
      n.read_offset = e.read_offset;
      n.partial = e.partial;
      n.skipping = e.skipping;
    } else {
      n.read_offset = std::min(e.committed(), n.size);
      n.partial.clear();
    }
    const std::uint64_t kept = std::max(n.size, e.committed());
    if (e.size > kept) stats_.bytes_lost_truncated += e.size - kept;
    n.last_len = 0;
    FillLast(n);
  }
  if (!had_shadow) {
    if (e.prior.valid) {  // its copy may still show up: kept among `older` until it expires
      if (e.older.size() == kOlderPriors) {
        stats_.bytes_lost_truncated += e.older.front().unread();
        e.older.erase(e.older.begin());
      }
      e.older.push_back(std::move(e.prior));
    }
    Entry::Prior& p = e.prior;
    p.valid = e.head_len > 0;
    p.head_len = e.head_len;
    p.head_hash = e.head_hash;
    p.read_offset = e.read_offset;
    p.partial = e.partial;
    p.skipping = e.skipping;
    p.size = std::max(e.size, e.read_offset);
    p.expires = polls_ + kPriorPolls;
    if (!p.valid && e.size > e.committed()) stats_.bytes_lost_truncated += e.size - e.committed();
  }
  e.read_offset = 0;
  e.partial.clear();
  e.skipping = false;
  e.head_len = 0;
  e.last_len = 0;
  e.size = new_size;
}

void Tailer::MaybeReleaseShadow(Entry& n, bool complete) {
  auto it = entries_.find(n.shadow_of);
  if (it == entries_.end()) {
    // The original is gone (it vanished while we were down): the copy goes on from its own
    // position, which followed the original's.
    if (complete) n.shadowed = n.restored_shadow = false;
    return;
  }
  Entry::Prior& p = it->second->prior;
  if (!p.valid) {
    if (it->second->file != nullptr) n.restored_shadow = false;  // original verified intact
    return;
  }
  // The original was found truncated after a restart: the copy goes on where it stopped.
  n.shadowed = false;
  n.restored_shadow = false;
  ++stats_.copies;
  if (n.size >= p.read_offset) {
    n.read_offset = p.read_offset;
    n.partial = p.partial;
    n.skipping = p.skipping;
  }
  const std::uint64_t kept = std::max(n.size, p.committed());
  if (p.size > kept) stats_.bytes_lost_truncated += p.size - kept;
  p = Entry::Prior{};
  n.last_len = 0;
  FillLast(n);
}

void Tailer::ReleaseShadows(Entry& e, bool gone) {
  (void)gone;
  for (auto& [id, o] : entries_) {
    Entry& n = *o;
    if (!n.shadowed || n.shadow_of != e.id) continue;
    n.shadowed = false;
    // e was read to its end: the copy goes on from there (whatever it has beyond).
    n.read_offset = std::min(e.read_offset, n.size);
    n.partial = n.read_offset == e.read_offset ? e.partial : std::string();
    n.skipping = n.read_offset == e.read_offset && e.skipping;
    n.last_len = 0;
    FillLast(n);
  }
}

void Tailer::FillLast(Entry& e) {
  if (e.file == nullptr || e.last_len > 0 || e.read_offset == 0) return;
  const auto n = static_cast<std::uint32_t>(std::min<std::uint64_t>(e.read_offset, kLastBytes));
  if (ReadExact(*e.file, e.read_offset - n, e.last, n)) e.last_len = n;
}

void Tailer::UpdateHead(Entry& e) {
  if (e.head_len >= kHeadBytes || e.read_offset <= e.head_len || e.file == nullptr) return;
  const auto n = static_cast<std::uint32_t>(std::min<std::uint64_t>(e.read_offset, kHeadBytes));
  std::uint64_t h = 0;
  if (!HashRange(*e.file, 0, n, &h)) return;
  e.head_len = n;
  e.head_hash = h;
}

}  // namespace modelwatch::tail
