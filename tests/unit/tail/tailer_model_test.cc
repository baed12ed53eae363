// A model-based property test: random partial appends, rename rotations (to matching and to
// excluded names), deletions of files the tailer already holds open, and polls in between. Every
// complete line written must be delivered exactly once (reliability.md, "How it is shown").
#include <modelwatch/tail/tailer.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "unit/tail/recording_sink.h"

namespace modelwatch::tail {
namespace {

constexpr const char* kLive = "/logs/app.log";

// Writes numbered JSON lines (some CRLF, some followed by a blank line) in random pieces.
class Writer {
 public:
  Writer(MemFileSystem& fs, std::mt19937& rng) : fs_(fs), rng_(rng) {}

  // Appends a random piece of the stream: may end mid-line.
  void Append() {
    while (pending_.size() < 200) {
      const std::string line = "{\"seq\":" + std::to_string(written_.size()) + "}";
      written_.push_back(line);
      pending_ += line + (rng_() % 4 == 0 ? "\r\n" : "\n");
      if (rng_() % 8 == 0) pending_ += "\n";
    }
    const std::size_t n = 1 + rng_() % 120;
    fs_.Append(kLive, pending_.substr(0, n));
    pending_.erase(0, n);
  }
  // Completes the line in progress, so the live file ends at a line boundary.
  void FinishLine() {
    const std::size_t n = pending_.find('\n') + 1;
    fs_.Append(kLive, pending_.substr(0, n));
    pending_.erase(0, n);
  }
  // Writes everything generated so far: every line in written() is then complete.
  void Flush() {
    fs_.Append(kLive, pending_);
    pending_.clear();
  }
  const std::vector<std::string>& written() const { return written_; }

 private:
  MemFileSystem& fs_;
  std::mt19937& rng_;
  std::vector<std::string> written_;
  std::string pending_;
};

bool Held(MemFileSystem& fs, const std::set<FileId>& held, const std::string& path) {
  Result<FileInfo> info = fs.Stat(path);
  return info.ok() && held.count(info.value().id) > 0;
}

TEST(TailerModelTest, EveryCompleteLineIsDeliveredExactlyOnce) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    MemFileSystem fs;
    TailerOptions options;
    options.paths = {"/logs/app.log*"};
    options.exclude = {"*.gz"};
    options.start_at = StartAt::kBeginning;
    options.read_chunk_bytes = 1 + rng() % 97;
    Tailer tailer(fs, options);
    RecordingSink sink;
    Writer writer(fs, rng);
    std::set<FileId> held;  // files the tailer knew at the last poll: safe to rename away
    std::vector<std::string> rotated;
    int generation = 0;
    for (int op = 0; op < 400; ++op) {
      const int kind = rng() % 10;
      if (kind < 5) {
        writer.Append();
      } else if (kind < 7) {
        tailer.Poll(sink);
        held.clear();
        for (const FileStatus& f : tailer.Files()) held.insert(f.id);
      } else if (kind < 9 && Held(fs, held, kLive)) {
        writer.FinishLine();
        const bool away = rng() % 3 == 0;
        const std::string to =
            "/logs/app.log." + std::to_string(++generation) + (away ? ".gz" : "");
        fs.Rename(kLive, to);
        if (!away) rotated.push_back(to);
      } else if (!rotated.empty() && Held(fs, held, rotated.front())) {
        fs.Remove(rotated.front());
        rotated.erase(rotated.begin());
      }
    }
    writer.Flush();
    tailer.Poll(sink);
    std::vector<std::string> got = sink.events;
    std::vector<std::string> want = writer.written();
    ASSERT_GT(want.size(), 100u);
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    EXPECT_EQ(got, want) << "seed " << seed;
    EXPECT_EQ(tailer.stats().lines, want.size());
  }
}

}  // namespace
}  // namespace modelwatch::tail
