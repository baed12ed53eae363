#include <modelwatch/tail/line_splitter.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace modelwatch::tail {
namespace {

bool IsBlank(const char* begin, const char* end) {
  for (const char* p = begin; p < end; ++p) {
    if (*p != ' ' && *p != '\t' && *p != '\r') return false;
  }
  return true;
}

}  // namespace

LineSplitter::LineSplitter(std::size_t max_line_bytes, std::size_t chunk_bytes)
    : max_line_bytes_(std::max<std::size_t>(max_line_bytes, 1)),
      chunk_bytes_(std::max<std::size_t>(chunk_bytes, 1)),
      capacity_(max_line_bytes_ + chunk_bytes_ + kLinePadding),
      // Value-initialised: the padding past the data is read by simdjson and must be defined.
      buf_(new char[capacity_]()) {}

void LineSplitter::Commit(std::size_t n, LineSink& sink) {
  if (n > chunk_bytes_) {
    std::fputs("LineSplitter::Commit: n exceeds WritableSpace()\n", stderr);
    std::abort();
  }
  char* const buf = buf_.get();
  const char* const end = buf + pending_ + n;
  const char* line = buf;
  const char* scan = buf + pending_;  // the partial line holds no LF
  if (skipping_) {                    // pending_ == 0: the over-long line's bytes were dropped
    const void* nl = std::memchr(scan, '\n', end - scan);
    if (nl == nullptr) return;
    skipping_ = false;
    ++lines_too_long_;
    sink.OnLineTooLong();
    line = scan = static_cast<const char*>(nl) + 1;
  }
  while (scan < end) {
    const void* found = std::memchr(scan, '\n', end - scan);
    if (found == nullptr) break;
    const char* nl = static_cast<const char*>(found);
    Emit(line, nl, sink);
    line = scan = nl + 1;
  }
  const std::size_t rest = end - line;
  if (rest > max_line_bytes_) {
    skipping_ = true;
    pending_ = 0;
    return;
  }
  if (line != buf && rest > 0) std::memmove(buf, line, rest);
  pending_ = rest;
}

void LineSplitter::Emit(const char* begin, const char* end, LineSink& sink) {
  if (static_cast<std::size_t>(end - begin) > max_line_bytes_) {
    ++lines_too_long_;
    sink.OnLineTooLong();
    return;
  }
  if (end > begin && end[-1] == '\r') --end;
  if (end - begin >= 3 && static_cast<unsigned char>(begin[0]) == 0xEF &&
      static_cast<unsigned char>(begin[1]) == 0xBB &&
      static_cast<unsigned char>(begin[2]) == 0xBF) {
    begin += 3;
  }
  if (begin == end) return;
  // JSON lines start with '{'; only a line starting with whitespace needs the full blank scan.
  if ((*begin == ' ' || *begin == '\t' || *begin == '\r') && IsBlank(begin, end)) return;
  ++lines_;
  sink.OnLine(Line{std::string_view(begin, end - begin),
                   static_cast<std::size_t>(buf_.get() + capacity_ - begin)});
}

void LineSplitter::Push(std::string_view bytes, LineSink& sink) {
  while (!bytes.empty()) {
    const std::size_t n = std::min(bytes.size(), chunk_bytes_);
    std::memcpy(WritableSpace().data(), bytes.data(), n);
    Commit(n, sink);
    bytes.remove_prefix(n);
  }
}

void LineSplitter::RestorePartial(std::string_view partial, bool skipping) {
  if (skipping || partial.size() > max_line_bytes_) {
    skipping_ = true;
    pending_ = 0;
    return;
  }
  skipping_ = false;
  if (!partial.empty()) std::memmove(buf_.get(), partial.data(), partial.size());
  pending_ = partial.size();
}

}  // namespace modelwatch::tail
