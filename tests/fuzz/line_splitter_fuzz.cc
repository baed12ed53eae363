// LineSplitter: any bytes, cut into any chunks, with any line limit. Checks the contract of
// line_splitter.h: the lines delivered do not depend on how the stream was cut, every line is
// non-empty, LF-free and padded, and none exceeds max_line_bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <modelwatch/tail/line_sink.h>
#include <modelwatch/tail/line_splitter.h>

namespace {

using modelwatch::Line;

struct Collect : modelwatch::tail::LineSink {
  std::size_t max = 0;
  std::vector<std::string> lines;
  std::size_t too_long = 0;
  void OnLine(const Line& line) override {
    if (line.text.empty() || line.text.size() > max ||
        line.text.find('\n') != std::string_view::npos ||
        line.capacity < line.text.size() + modelwatch::kLinePadding) {
      std::abort();
    }
    // Touch the padding the parser may read.
    volatile char c = line.text.data()[line.text.size() + modelwatch::kLinePadding - 1];
    (void)c;
    lines.emplace_back(line.text);
  }
  void OnLineTooLong() override { ++too_long; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const std::size_t max_line = 1 + data[0] % 64;
  const std::size_t chunk = 1 + data[1] % 16;
  std::string_view bytes(reinterpret_cast<const char*>(data + 2), size - 2);

  Collect whole;
  whole.max = max_line;
  modelwatch::tail::LineSplitter a(max_line, 4096);
  a.Push(bytes, whole);

  // The same stream through WritableSpace/Commit in chunks of `chunk` bytes.
  Collect cut;
  cut.max = max_line;
  modelwatch::tail::LineSplitter b(max_line, chunk);
  for (std::size_t at = 0; at < bytes.size(); at += chunk) {
    const std::size_t n = std::min(chunk, bytes.size() - at);
    auto space = b.WritableSpace();
    if (space.size() != chunk) std::abort();
    bytes.copy(space.data(), n, at);
    b.Commit(n, cut);
  }
  if (whole.lines != cut.lines || whole.too_long != cut.too_long) std::abort();
  if (a.pending_bytes() != b.pending_bytes()) std::abort();
  return 0;
}
