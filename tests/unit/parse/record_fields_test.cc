// The record-level fields: timestamp, request id, model version, latency.
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "unit/parse/parse_test_util.h"

namespace modelwatch::parse {
namespace {

using config::LatencyUnit;
using config::TimestampFormat;
using testing::Harness;

RecordLayout TimestampLayout(TimestampFormat format, bool required) {
  RecordLayout layout;
  layout.timestamp = config::TimestampField{"/ts", format};
  layout.timestamp_required = required;
  return layout;
}

struct TimestampCase {
  std::string name;
  TimestampFormat format;
  std::string value;  // JSON text at /ts
  std::optional<double> want;
};

class TimestampTest : public ::testing::TestWithParam<TimestampCase> {};

TEST_P(TimestampTest, ReadsTimestamp) {
  const TimestampCase& c = GetParam();
  Harness h(TimestampLayout(c.format, /*required=*/true));
  const ParseOutcome outcome = h.Parse("{\"ts\":" + c.value + "}");
  if (!c.want) {
    EXPECT_EQ(outcome, ParseOutcome::kBadTimestamp);
    return;
  }
  ASSERT_EQ(outcome, ParseOutcome::kOk);
  EXPECT_TRUE(h.record().has_timestamp);
  EXPECT_DOUBLE_EQ(h.record().timestamp, *c.want);
}

constexpr auto kRfc = TimestampFormat::kRfc3339;
constexpr auto kSec = TimestampFormat::kUnixSeconds;
constexpr auto kMs = TimestampFormat::kUnixMillis;

INSTANTIATE_TEST_SUITE_P(
    Formats, TimestampTest,
    ::testing::ValuesIn(std::vector<TimestampCase>{
        {"Rfc3339", kRfc, R"("2026-11-28T05:00:00.123Z")", 1795842000.123},
        {"Rfc3339Offset", kRfc, R"("2026-11-28T07:00:00+02:00")", 1795842000},
        {"Rfc3339Number", kRfc, "1795928400", std::nullopt},
        {"Rfc3339Garbage", kRfc, R"("yesterday")", std::nullopt},
        {"Rfc3339Null", kRfc, "null", std::nullopt},
        {"Rfc3339Object", kRfc, R"({"s":1})", std::nullopt},
        {"Rfc3339LongFraction", kRfc, "\"2026-11-28T05:00:00." + std::string(100, '5') + "Z\"",
         1795842000.5555555},
        {"Rfc3339OverLong", kRfc, "\"2026-11-28T05:00:00." + std::string(300, '1') + "Z\"",
         std::nullopt},
        {"UnixSeconds", kSec, "1795928400.5", 1795928400.5},
        {"UnixSecondsString", kSec, R"("1795928400.5")", 1795928400.5},
        {"UnixSecondsWord", kSec, R"("soon")", std::nullopt},
        {"UnixSecondsBool", kSec, "true", std::nullopt},
        {"UnixSecondsOverflow", kSec, "1e400", std::nullopt},
        {"UnixSecondsInfString", kSec, R"("inf")", std::nullopt},
        {"UnixMillis", kMs, "1795928400123", 1795928400.123},
        {"UnixMillisString", kMs, R"("1795928400123")", 1795928400.123},
    }),
    [](const auto& info) { return info.param.name; });

TEST(RecordFieldsTest, RequiredTimestampAbsentIsBadTimestamp) {
  Harness h(TimestampLayout(kRfc, /*required=*/true));
  EXPECT_EQ(h.Parse(R"({"time":"2026-11-28T05:00:00Z"})"), ParseOutcome::kBadTimestamp);
}

TEST(RecordFieldsTest, OptionalTimestampUnusableLeavesNoTimestamp) {
  Harness h(TimestampLayout(kRfc, /*required=*/false));
  EXPECT_EQ(h.Parse(R"({"ts":"garbage"})"), ParseOutcome::kOk);
  EXPECT_FALSE(h.record().has_timestamp);
  EXPECT_EQ(h.Parse(R"({})"), ParseOutcome::kOk);
  EXPECT_FALSE(h.record().has_timestamp);
}

TEST(RecordFieldsTest, NoTimestampConfiguredMeansNone) {
  Harness h(RecordLayout{});
  EXPECT_EQ(h.Parse(R"({"ts":"2026-11-28T05:00:00Z"})"), ParseOutcome::kOk);
  EXPECT_FALSE(h.record().has_timestamp);
}

RecordLayout LatencyLayout(LatencyUnit unit) {
  RecordLayout layout;
  layout.latency.emplace();
  layout.latency->path = "/lat";
  layout.latency->unit = unit;
  return layout;
}

struct LatencyCase {
  std::string name;
  LatencyUnit unit;
  std::string value;
  ValueState state;
  double seconds;
};

class LatencyTest : public ::testing::TestWithParam<LatencyCase> {};

TEST_P(LatencyTest, ReadsLatency) {
  const LatencyCase& c = GetParam();
  Harness h(LatencyLayout(c.unit));
  ASSERT_EQ(h.Parse("{\"lat\":" + c.value + "}"), ParseOutcome::kOk);
  EXPECT_EQ(h.record().latency_state, c.state);
  EXPECT_DOUBLE_EQ(h.record().latency_seconds, c.seconds);
}

INSTANTIATE_TEST_SUITE_P(
    Units, LatencyTest,
    ::testing::ValuesIn(std::vector<LatencyCase>{
        {"Seconds", LatencyUnit::kSeconds, "0.25", ValueState::kValid, 0.25},
        {"Milliseconds", LatencyUnit::kMilliseconds, "12.8", ValueState::kValid, 0.0128},
        {"Microseconds", LatencyUnit::kMicroseconds, "1500", ValueState::kValid, 0.0015},
        {"Nanoseconds", LatencyUnit::kNanoseconds, "2000000", ValueState::kValid, 0.002},
        {"NumericString", LatencyUnit::kMilliseconds, R"("40")", ValueState::kValid, 0.04},
        {"Zero", LatencyUnit::kSeconds, "0", ValueState::kValid, 0},
        {"Negative", LatencyUnit::kSeconds, "-1", ValueState::kTypeMismatch, 0},
        {"NaNString", LatencyUnit::kSeconds, R"("NaN")", ValueState::kNan, 0},
        {"Overflow", LatencyUnit::kSeconds, "1e999", ValueState::kNan, 0},
        {"Null", LatencyUnit::kSeconds, "null", ValueState::kNull, 0},
        {"Empty", LatencyUnit::kSeconds, R"("")", ValueState::kEmpty, 0},
        {"Word", LatencyUnit::kSeconds, R"("fast")", ValueState::kTypeMismatch, 0},
        {"Bool", LatencyUnit::kSeconds, "false", ValueState::kTypeMismatch, 0},
        {"Object", LatencyUnit::kSeconds, "{}", ValueState::kTypeMismatch, 0},
    }),
    [](const auto& info) { return info.param.name; });

TEST(RecordFieldsTest, AbsentLatencyIsMissing) {
  Harness h(LatencyLayout(LatencyUnit::kSeconds));
  ASSERT_EQ(h.Parse(R"({"x":1})"), ParseOutcome::kOk);
  EXPECT_EQ(h.record().latency_state, ValueState::kMissing);
}

RecordLayout IdLayout() {
  RecordLayout layout;
  layout.request_id = "/rid";
  layout.model_version = "/meta/version";
  return layout;
}

TEST(RecordFieldsTest, RequestIdAndVersionAreRead) {
  Harness h(IdLayout());
  ASSERT_EQ(h.Parse(R"({"rid":"r\u00e9-1","meta":{"version":"3.2.0"}})"), ParseOutcome::kOk);
  EXPECT_EQ(h.record().request_id, "r\xC3\xA9-1");
  EXPECT_EQ(h.record().model_version, "3.2.0");
}

TEST(RecordFieldsTest, NumbersAreCanonicalised) {
  Harness h(IdLayout());
  ASSERT_EQ(h.Parse(R"({"rid":12345678,"meta":{"version":3.0}})"), ParseOutcome::kOk);
  EXPECT_EQ(h.record().request_id, "12345678");
  EXPECT_EQ(h.record().model_version, "3");
}

TEST(RecordFieldsTest, LongRequestIdIsKeptWholeAndVersionIsCut) {
  Harness h(IdLayout());
  const std::string long_id(10000, 'r');
  const std::string line =
      "{\"rid\":\"" + long_id + "\",\"meta\":{\"version\":\"" + std::string(300, 'v') + "\"}}";
  ASSERT_EQ(h.Parse(line), ParseOutcome::kOk);
  EXPECT_EQ(h.record().request_id, long_id);
  EXPECT_EQ(h.record().model_version, std::string(128, 'v'));
}

TEST(RecordFieldsTest, UnusableIdsAreEmpty) {
  Harness h(IdLayout());
  ASSERT_EQ(h.Parse(R"({"rid":null,"meta":{"version":{"x":1}}})"), ParseOutcome::kOk);
  EXPECT_TRUE(h.record().request_id.empty());
  EXPECT_TRUE(h.record().model_version.empty());
  ASSERT_EQ(h.Parse(R"({"rid":"a","meta":{"version":""}})"), ParseOutcome::kOk);
  ASSERT_EQ(h.Parse(R"({})"), ParseOutcome::kOk);
  EXPECT_TRUE(h.record().request_id.empty());
}

}  // namespace
}  // namespace modelwatch::parse
