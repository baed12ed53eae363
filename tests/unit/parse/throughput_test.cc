// A quick throughput check on performance.md's reference line (~390 bytes, 14 fields plus the
// record fields). Disabled: run it by hand with
//   unit_parse --gtest_also_run_disabled_tests --gtest_filter='*Throughput*'
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <modelwatch/parse/record_parser.h>

namespace modelwatch::parse {
namespace {

RecordLayout ReferenceLayout() {
  RecordLayout l;
  l.timestamp = config::TimestampField{"/ts", config::TimestampFormat::kRfc3339};
  l.timestamp_required = true;
  l.request_id = "/request_id";
  l.model_version = "/model_version";
  l.latency.emplace();
  l.latency->path = "/latency_ms";
  for (const char* f :
       {"amount", "age", "income", "balance", "tenure", "txn_count", "avg_txn", "credit_score"}) {
    l.fields.push_back({std::string("/inputs/") + f, config::FeatureType::kNumeric});
  }
  for (const char* f : {"country", "channel", "device", "merchant_category"}) {
    l.fields.push_back({std::string("/inputs/") + f, config::FeatureType::kCategorical});
  }
  l.fields.push_back({"/outputs/score", config::FeatureType::kNumeric});
  l.fields.push_back({"/outputs/label", config::FeatureType::kCategorical});
  return l;
}

std::string ReferenceLine(int i) {
  char buf[1024];
  std::snprintf(
      buf, sizeof buf,
      "{\"ts\":\"2026-11-28T05:%02d:%02d.%03dZ\",\"request_id\":\"r%09d\","
      "\"model\":\"fraud-detector\",\"model_version\":\"3.2.0\",\"latency_ms\":%.1f,"
      "\"inputs\":{\"amount\":%.2f,\"age\":%d,\"income\":%.1f,\"balance\":%.2f,"
      "\"tenure\":%d,\"txn_count\":%d,\"avg_txn\":%.3f,\"credit_score\":%d,"
      "\"country\":\"%s\",\"channel\":\"%s\",\"device\":\"%s\","
      "\"merchant_category\":\"%s\"},"
      "\"outputs\":{\"score\":%.4f,\"label\":\"%s\"}}",
      i / 60 % 60, i % 60, i % 1000, i, 5 + (i % 97) * 0.3, 100.0 + i % 9000 * 1.37, 18 + i % 70,
      30000.0 + i % 1000 * 97.5, (i % 5000) * 3.21, i % 240, i % 500, 12.5 + (i % 300) * 0.731,
      300 + i % 550, (i % 3) ? "DE" : "FR", (i % 2) ? "web" : "mobile", (i % 5) ? "android" : "ios",
      (i % 7) ? "grocery" : "electronics", (i % 1000) / 1000.0, (i % 10) ? "legit" : "fraud");
  return buf;
}

TEST(ParseThroughputTest, DISABLED_ReferenceLine) {
  constexpr int kDistinct = 100000;
  std::string buffer;
  std::vector<std::pair<std::size_t, std::size_t>> lines;
  for (int i = 0; i < kDistinct; ++i) {
    const std::string line = ReferenceLine(i);
    lines.emplace_back(buffer.size(), line.size());
    buffer += line;
    buffer += '\n';
  }
  buffer.append(kLinePadding, '\0');
  auto created = RecordParser::Create(ReferenceLayout());
  ASSERT_TRUE(created.ok());
  RecordParser& parser = *created.value();
  Record record = parser.NewRecord();
  double best = 0;
  for (int round = 0; round < 7; ++round) {
    const auto start = std::chrono::steady_clock::now();
    std::size_t ok = 0;
    for (const auto& [offset, size] : lines) {
      const Line line{std::string_view(buffer.data() + offset, size), buffer.size() - offset};
      ok += parser.Parse(line, &record) == ParseOutcome::kOk;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_EQ(ok, lines.size());
    best = std::max(best, lines.size() / seconds);
  }
  std::printf("reference line: %zu bytes avg, best of 7: %.2f M lines/s\n",
              (buffer.size() - kLinePadding) / lines.size(), best / 1e6);
  EXPECT_EQ(record.fields.size(), 14u);
  EXPECT_EQ(record.fields[13].text, "legit");
}

}  // namespace
}  // namespace modelwatch::parse
