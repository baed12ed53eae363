#include <modelwatch/tail/line_splitter.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "unit/tail/recording_sink.h"

namespace modelwatch::tail {
namespace {

using Lines = std::vector<std::string>;
const std::string kBom = "\xEF\xBB\xBF";
const std::string kTooLong = kTooLongMarker;

struct Case {
  const char* name;
  std::string input;
  std::size_t max_line_bytes;
  Lines want;
};

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
      {"plain", "a\nbc\n", 10, {"a", "bc"}},
      {"partial last line waits", "a\nbc", 10, {"a"}},
      {"crlf", "a\r\nbc\r\n", 10, {"a", "bc"}},
      {"lone cr inside a line is kept", "a\rb\n", 10, {"a\rb"}},
      {"bom at start of file", kBom + "{\"a\":1}\n{}\n", 10, {"{\"a\":1}", "{}"}},
      {"bom with crlf", kBom + "x\r\ny\r\n", 10, {"x", "y"}},
      {"bom alone is blank", kBom + "\nx\n", 10, {"x"}},
      {"empty lines skipped", "\n\na\n\n\nb\n\n", 10, {"a", "b"}},
      {"whitespace-only lines skipped", " \t \n\r\n \r\na\n", 10, {"a"}},
      {"leading whitespace kept on real lines", "  a\n", 10, {"  a"}},
      {"line of exactly max bytes accepted", "12345\nab\n", 5, {"12345", "ab"}},
      {"over-long line skipped, next delivered", "123456\nab\n", 5, {kTooLong, "ab"}},
      {"cr counts toward max", "12345\r\nab\n", 5, {kTooLong, "ab"}},
      {"over-long without newline not yet reported", "ab\n1234567890", 5, {"ab"}},
      {"two over-long lines in a row", "1234567\n89012345\nok\n", 5, {kTooLong, kTooLong, "ok"}},
      {"very long line among short ones",
       "a\n" + std::string(1000, 'x') + "\nb\n",
       8,
       {"a", kTooLong, "b"}},
  };
  return cases;
}

Lines Split(const std::string& input, std::size_t max, std::size_t chunk,
            const std::vector<std::size_t>& cuts) {
  LineSplitter splitter(max, chunk);
  RecordingSink sink;
  std::size_t at = 0;
  for (std::size_t cut : cuts) {
    splitter.Push(std::string_view(input).substr(at, cut - at), sink);
    at = cut;
  }
  splitter.Push(std::string_view(input).substr(at), sink);
  return sink.events;
}

TEST(LineSplitterTest, TableInOnePiece) {
  for (const Case& c : Cases()) {
    EXPECT_EQ(Split(c.input, c.max_line_bytes, 1 << 16, {}), c.want) << c.name;
  }
}

TEST(LineSplitterTest, TableIsIndependentOfEverySplitPoint) {
  for (const Case& c : Cases()) {
    for (std::size_t cut = 0; cut <= c.input.size(); ++cut) {
      EXPECT_EQ(Split(c.input, c.max_line_bytes, 1 << 16, {cut}), c.want)
          << c.name << " cut at " << cut;
    }
  }
}

TEST(LineSplitterTest, TableIsIndependentOfChunkSize) {
  for (const Case& c : Cases()) {
    for (std::size_t chunk : {1, 2, 3, 5, 7, 64}) {
      EXPECT_EQ(Split(c.input, c.max_line_bytes, chunk, {}), c.want)
          << c.name << " chunk " << chunk;
    }
  }
}

TEST(LineSplitterTest, RandomChunkingsOfAMixedStreamGiveTheSameLines) {
  std::mt19937 rng(42);
  std::string input;
  for (int i = 0; i < 300; ++i) {
    const int kind = rng() % 6;
    if (kind == 0) input += "\r\n";
    if (kind == 1) input += std::string(rng() % 40, 'L') + "\n";
    if (kind == 2) input += kBom + "{\"i\":" + std::to_string(i) + "}\r\n";
    if (kind >= 3) input += "{\"i\":" + std::to_string(i) + "}\n";
  }
  const Lines want = Split(input, 24, 1 << 20, {});
  ASSERT_GT(want.size(), 100u);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::size_t> cuts;
    for (std::size_t at = 0; at < input.size();) {
      at = std::min(input.size(), at + 1 + rng() % 64);
      cuts.push_back(at);
    }
    EXPECT_EQ(Split(input, 24, 1 + rng() % 100, cuts), want) << "round " << round;
  }
}

TEST(LineSplitterTest, CallerCanReadStraightIntoWritableSpace) {
  LineSplitter splitter(16, 8);
  RecordingSink sink;
  const std::string input = "one\ntwo\nthree\n";
  for (std::size_t at = 0; at < input.size(); at += 5) {
    std::span<char> space = splitter.WritableSpace();
    ASSERT_EQ(space.size(), 8u);
    const std::size_t n = std::min<std::size_t>(5, input.size() - at);
    std::memcpy(space.data(), input.data() + at, n);
    splitter.Commit(n, sink);
  }
  EXPECT_EQ(sink.events, (Lines{"one", "two", "three"}));
}

TEST(LineSplitterTest, ExposesThePartialLineForPositions) {
  LineSplitter splitter(16, 64);
  RecordingSink sink;
  splitter.Push("ab\ncd", sink);
  EXPECT_EQ(splitter.pending_bytes(), 2u);
  EXPECT_EQ(splitter.partial(), "cd");
  splitter.Push("e\n", sink);
  EXPECT_EQ(splitter.pending_bytes(), 0u);
  EXPECT_EQ(sink.events, (Lines{"ab", "cde"}));
}

TEST(LineSplitterTest, RestoredPartialContinuesTheLine) {
  LineSplitter splitter(32, 64);
  RecordingSink sink;
  splitter.Push("x\nhello wo", sink);
  splitter.Reset();
  EXPECT_EQ(splitter.pending_bytes(), 0u);
  splitter.RestorePartial("hello wo");
  splitter.Push("rld\n", sink);
  EXPECT_EQ(sink.events, (Lines{"x", "hello world"}));
}

TEST(LineSplitterTest, ResetDropsThePartialLine) {
  LineSplitter splitter(32, 64);
  RecordingSink sink;
  splitter.Push("abc", sink);
  splitter.Reset();
  splitter.Push("def\n", sink);
  EXPECT_EQ(sink.events, (Lines{"def"}));
}

TEST(LineSplitterTest, OverLongLineIsNeverBufferedWhole) {
  LineSplitter splitter(10, 4);
  RecordingSink sink;
  for (int i = 0; i < 1000; ++i) {
    splitter.Push("xxxx", sink);
    ASSERT_LE(splitter.pending_bytes(), 10u);
  }
  EXPECT_TRUE(splitter.skipping());
  splitter.Push("x\nok\n", sink);
  EXPECT_EQ(sink.events, (Lines{kTooLong, "ok"}));
  EXPECT_EQ(splitter.lines_too_long(), 1u);
  EXPECT_EQ(splitter.lines(), 1u);
}

TEST(LineSplitterTest, RestoredSkippingStateKeepsDiscarding) {
  LineSplitter splitter(4, 16);
  RecordingSink sink;
  splitter.RestorePartial({}, /*skipping=*/true);
  splitter.Push("tail of a long line\nok\n", sink);
  EXPECT_EQ(sink.events, (Lines{kTooLong, "ok"}));
}

TEST(LineSplitterTest, EveryLineHasPaddingEvenWhenItEndsTheBuffer) {
  // The sink asserts capacity >= size + kLinePadding and reads the last promised byte.
  LineSplitter splitter(8, 8);
  RecordingSink sink;
  splitter.Push("1234567\n12345678\n", sink);
  std::span<char> space = splitter.WritableSpace();
  std::memcpy(space.data(), "abcdefg\n", 8);  // fills the chunk to its last byte
  splitter.Commit(8, sink);
  EXPECT_EQ(sink.events, (Lines{"1234567", "12345678", "abcdefg"}));
}

}  // namespace
}  // namespace modelwatch::tail
