// ForEachJsonLine: reference files read line by line.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <modelwatch/parse/record_parser.h>

#include "unit/parse/parse_test_util.h"

namespace modelwatch::parse {
namespace {

using testing::Fields;
using testing::Numeric;

struct Seen {
  std::uint64_t line;
  ParseOutcome outcome;
  double value;
};

class JsonLinesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mw_json_lines_XXXXXX";
    const int fd = mkstemp(tmpl);
    ASSERT_GE(fd, 0);
    close(fd);
    path_ = tmpl;
    auto created = RecordParser::Create(Fields({Numeric("/v")}));
    ASSERT_TRUE(created.ok());
    parser_ = std::move(created).value();
  }
  void TearDown() override { std::remove(path_.c_str()); }

  std::vector<Seen> Read(const std::string& content) {
    std::ofstream(path_, std::ios::binary) << content;
    std::vector<Seen> seen;
    const Status s = ForEachJsonLine(path_, *parser_, [&](auto n, auto o, const Record& r) {
      seen.push_back({n, o, o == ParseOutcome::kOk ? r.fields[0].number : -1});
    });
    EXPECT_TRUE(s.ok()) << s.message();
    return seen;
  }

  std::string path_;
  std::unique_ptr<RecordParser> parser_;
};

TEST_F(JsonLinesTest, ReadsEveryLineWithItsNumber) {
  const auto seen = Read("{\"v\":1}\n{\"v\":2}\n{\"v\":3}");
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].line, 1u);
  EXPECT_EQ(seen[2].line, 3u);
  EXPECT_EQ(seen[2].value, 3);  // the last line needs no newline
}

TEST_F(JsonLinesTest, StripsCrlfAndBomAndSkipsBlankLines) {
  const auto seen = Read("\xEF\xBB\xBF{\"v\":1}\r\n\r\n  \n{\"v\":2}\r\n\n");
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].outcome, ParseOutcome::kOk);
  EXPECT_EQ(seen[0].value, 1);
  EXPECT_EQ(seen[1].line, 4u);
  EXPECT_EQ(seen[1].value, 2);
}

TEST_F(JsonLinesTest, BadLineDoesNotAffectTheNext) {
  const auto seen = Read("{\"v\":\"unclosed\n{\"v\":2}\n[1]\n");
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].outcome, ParseOutcome::kInvalidJson);
  EXPECT_EQ(seen[1].value, 2);
  EXPECT_EQ(seen[2].outcome, ParseOutcome::kNotAnObject);
}

TEST_F(JsonLinesTest, LineOverOneMebibyteIsInvalidJson) {
  const std::string big = "{\"v\":1,\"pad\":\"" + std::string(1 << 20, 'x') + "\"}";
  const auto seen = Read("{\"v\":1}\n" + big + "\n{\"v\":3}\n");
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[1].line, 2u);
  EXPECT_EQ(seen[1].outcome, ParseOutcome::kInvalidJson);
  EXPECT_EQ(seen[2].line, 3u);
  EXPECT_EQ(seen[2].value, 3);
}

TEST_F(JsonLinesTest, LinesSpanningChunksAreWhole) {
  // ~12 MiB of lines of varied length: several 4 MiB reads, each ending inside a line.
  std::string content;
  int n = 0;
  for (; content.size() < (12u << 20); ++n) {
    content += "{\"v\":" + std::to_string(n) + ",\"p\":\"" + std::string(n % 977, 'y') + "\"}\n";
  }
  const auto seen = Read(content);
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    ASSERT_EQ(seen[i].outcome, ParseOutcome::kOk) << i;
    ASSERT_EQ(seen[i].value, i);
  }
}

TEST_F(JsonLinesTest, OverLongLineAcrossChunksIsReportedOnce) {
  const std::string huge = "{\"v\":1,\"p\":\"" + std::string(9 << 20, 'z') + "\"}";
  const auto seen = Read("{\"v\":0}\n" + huge + "\n{\"v\":2}");
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[1].outcome, ParseOutcome::kInvalidJson);
  EXPECT_EQ(seen[2].line, 3u);
  EXPECT_EQ(seen[2].value, 2);
}

TEST(JsonLinesTest2, MissingFileIsAnError) {
  auto created = RecordParser::Create(Fields({Numeric("/v")}));
  ASSERT_TRUE(created.ok());
  const Status s = ForEachJsonLine("/nonexistent/rows.jsonl", *created.value(),
                                   [](auto, auto, const Record&) {});
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("/nonexistent/rows.jsonl"), std::string::npos);
}

}  // namespace
}  // namespace modelwatch::parse
