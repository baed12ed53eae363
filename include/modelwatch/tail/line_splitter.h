// Splits a byte stream into complete lines, in place, inside one reusable buffer.
//
// The caller reads straight into WritableSpace() and then calls Commit(n, sink). Every complete,
// non-blank line is handed to the sink as a view into the buffer with at least kLinePadding
// readable bytes after it, so the parser can iterate it in place (architecture.md §6).
//
// Rules (reliability.md, Files; reference §7 C1, C2, C4, C5):
// - Lines end at LF; a CR before the LF is stripped (CRLF). A UTF-8 BOM at the start of a line is
//   stripped (at the start of a file, and harmlessly anywhere else: JSON cannot start with one).
// - Blank lines (empty, or only spaces, tabs and CRs) are skipped silently.
// - A partial last line is kept (moved to the front of the buffer) until its LF arrives.
// - A line whose bytes before the LF (CR and BOM included) exceed max_line_bytes is never
//   buffered whole: its bytes are discarded up to the next LF, then OnLineTooLong() is called
//   once. A line of exactly max_line_bytes is delivered.
// - The lines delivered do not depend on how the stream was cut into Commits.
//
// Memory: one buffer of max_line_bytes + chunk_bytes + kLinePadding, allocated once.
// One splitter serves one stream at a time; to interleave streams, save partial()/skipping() and
// RestorePartial() them when switching (the tailer does). Not thread-safe.
#ifndef MODELWATCH_TAIL_LINE_SPLITTER_H_
#define MODELWATCH_TAIL_LINE_SPLITTER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include <modelwatch/core/line.h>
#include <modelwatch/tail/line_sink.h>

namespace modelwatch::tail {

class LineSplitter {
 public:
  static constexpr std::size_t kDefaultChunkBytes = std::size_t{4} << 20;

  // max_line_bytes >= 1, chunk_bytes >= 1.
  explicit LineSplitter(std::size_t max_line_bytes, std::size_t chunk_bytes = kDefaultChunkBytes);
  LineSplitter(const LineSplitter&) = delete;
  LineSplitter& operator=(const LineSplitter&) = delete;

  // Where the next bytes go: always exactly chunk_bytes long, placed after the partial line.
  // Valid until the next Commit, Push, Reset or RestorePartial.
  std::span<char> WritableSpace() { return {buf_.get() + pending_, chunk_bytes_}; }
  // Takes the first n (<= chunk_bytes) bytes of WritableSpace() and delivers the lines completed.
  void Commit(std::size_t n, LineSink& sink);
  // Copies bytes in (any length) and commits them: for tests, fuzzing and small inputs.
  void Push(std::string_view bytes, LineSink& sink);

  // Forgets the partial line and any over-long line being skipped (a new stream, or offset 0).
  void Reset() { RestorePartial({}, false); }

  // Bytes of the partial last line held (0 while skipping an over-long line). The committed
  // offset of a stream is bytes committed - pending_bytes().
  std::size_t pending_bytes() const { return pending_; }
  std::string_view partial() const { return {buf_.get(), pending_}; }
  // True while discarding an over-long line up to its LF.
  bool skipping() const { return skipping_; }
  // Replaces the stream state with a saved one (partial bytes must precede the next Commit's
  // bytes in the stream). A partial over max_line_bytes switches to skipping.
  void RestorePartial(std::string_view partial, bool skipping = false);

  std::size_t max_line_bytes() const { return max_line_bytes_; }
  std::size_t chunk_bytes() const { return chunk_bytes_; }
  // Totals over the splitter's life: lines handed to OnLine, and OnLineTooLong calls.
  std::uint64_t lines() const { return lines_; }
  std::uint64_t lines_too_long() const { return lines_too_long_; }

 private:
  // Delivers [begin, end) (a line without its LF), or reports it too long, or skips it if blank.
  void Emit(const char* begin, const char* end, LineSink& sink);

  const std::size_t max_line_bytes_;
  const std::size_t chunk_bytes_;
  const std::size_t capacity_;  // max_line_bytes + chunk_bytes + kLinePadding
  std::unique_ptr<char[]> buf_;
  std::size_t pending_ = 0;
  bool skipping_ = false;
  std::uint64_t lines_ = 0;
  std::uint64_t lines_too_long_ = 0;
};

}  // namespace modelwatch::tail

#endif  // MODELWATCH_TAIL_LINE_SPLITTER_H_
