// ForEachJsonLine: a whole JSON-lines file through one RecordParser, for reference rows.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include <modelwatch/parse/record_parser.h>

namespace modelwatch::parse {
namespace {

constexpr std::size_t kChunkBytes = 4 << 20;
constexpr std::size_t kMaxLineBytes = 1 << 20;
// Data never exceeds kChunkBytes + kMaxLineBytes (a carried partial line plus one chunk), and
// kLinePadding bytes stay readable after it.
constexpr std::size_t kDataBytes = kChunkBytes + kMaxLineBytes;

bool IsBlank(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

class LineFeeder {
 public:
  LineFeeder(RecordParser& parser, const char* buffer_end,
             const std::function<void(std::uint64_t, ParseOutcome, const Record&)>& fn)
      : parser_(parser), buffer_end_(buffer_end), fn_(fn), record_(parser.NewRecord()) {}

  // One physical line, without its LF.
  void Line(const char* data, std::size_t size) {
    ++line_number_;
    std::string_view text(data, size);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (line_number_ == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    if (IsBlank(text)) return;
    if (text.size() > kMaxLineBytes) {
      TooLong();
      return;
    }
    const modelwatch::Line line{text, static_cast<std::size_t>(buffer_end_ - text.data())};
    fn_(line_number_, parser_.Parse(line, &record_), record_);
  }

  // The start of a line already longer than allowed; its remainder will be skipped.
  void TooLongStart() {
    ++line_number_;
    TooLong();
  }

 private:
  void TooLong() { fn_(line_number_, ParseOutcome::kInvalidJson, record_); }

  RecordParser& parser_;
  const char* buffer_end_;
  const std::function<void(std::uint64_t, ParseOutcome, const Record&)>& fn_;
  Record record_;
  std::uint64_t line_number_ = 0;
};

}  // namespace

Status ForEachJsonLine(const std::string& path, RecordParser& parser,
                       const std::function<void(std::uint64_t line_number, ParseOutcome outcome,
                                                const Record& record)>& fn) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error(path + ": " + std::strerror(errno));
  std::unique_ptr<char[]> buffer(new char[kDataBytes + kLinePadding]);
  char* const buf = buffer.get();
  LineFeeder feeder(parser, buf + kDataBytes + kLinePadding, fn);
  std::size_t have = 0;   // bytes of a partial line carried at the buffer's start
  bool skipping = false;  // inside an over-long line, already reported
  for (;;) {
    const ssize_t n = ::read(fd, buf + have, kDataBytes - have);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return Status::Error(path + ": " + std::strerror(err));
    }
    const std::size_t end = have + static_cast<std::size_t>(n);
    std::memset(buf + end, 0, kLinePadding);
    std::size_t pos = 0;
    while (const void* found = std::memchr(buf + pos, '\n', end - pos)) {
      const std::size_t nl = static_cast<std::size_t>(static_cast<const char*>(found) - buf);
      if (!skipping) feeder.Line(buf + pos, nl - pos);
      skipping = false;
      pos = nl + 1;
    }
    std::size_t rest = end - pos;
    if (n == 0) {
      if (rest > 0 && !skipping) feeder.Line(buf + pos, rest);
      break;
    }
    if (skipping) {
      rest = 0;
    } else if (rest > kMaxLineBytes) {
      feeder.TooLongStart();
      skipping = true;
      rest = 0;
    }
    std::memmove(buf, buf + pos, rest);
    have = rest;
  }
  ::close(fd);
  return Status::Ok();
}

}  // namespace modelwatch::parse
