// Log shapes, part 1: lenient scalars and time (parse.numbers_in_strings, parse.nan_literals,
// iso8601 with timezone, unix_micros/unix_nanos, pointer lists).
#include <cmath>
#include <string>

#include <gtest/gtest.h>
#include <modelwatch/parse/record_parser.h>

#include "parse/scalar.h"
#include "parse_test_util.h"

namespace modelwatch::parse {
namespace {

using testing::Harness;
using testing::Numeric;

TEST(Iso8601Test, TakesWhatPythonAndLoggersWrite) {
  // Epochs from Python: datetime(...).replace(tzinfo=timezone.utc).timestamp().
  EXPECT_DOUBLE_EQ(*ParseIso8601("2022-11-09T15:31:26.781914", 0), 1668007886.781914);
  EXPECT_DOUBLE_EQ(*ParseIso8601("2024-05-01 12:00:00,123", 0), 1714564800.123);
  EXPECT_DOUBLE_EQ(*ParseIso8601("2021-04-10T00:23:26.0789529Z", 0), 1618014206.0789529);
  EXPECT_DOUBLE_EQ(*ParseIso8601("2022-08-28 01:11:45.258317+08:00", 0), 1661620305.258317);
  EXPECT_DOUBLE_EQ(*ParseIso8601("2022-08-28T01:11:45+0800", 0), 1661620305);
  EXPECT_DOUBLE_EQ(*ParseIso8601("2022-08-28T01:11:45-03", 0), 1661659905);
  EXPECT_DOUBLE_EQ(*ParseIso8601("2024-05-01T12:00:00", 0), 1714564800);
}

TEST(Iso8601Test, ZoneLessTextTakesTheConfiguredOffset) {
  // 13:00 at +01:00 is 12:00 UTC.
  EXPECT_DOUBLE_EQ(*ParseIso8601("2024-05-01T13:00:00", 3600), 1714564800);
  // An explicit zone wins over the default.
  EXPECT_DOUBLE_EQ(*ParseIso8601("2024-05-01T12:00:00Z", 3600), 1714564800);
}

TEST(Iso8601Test, RejectsWhatIsNotADateTime) {
  EXPECT_FALSE(ParseIso8601("2024-05-01", 0));
  EXPECT_FALSE(ParseIso8601("2024-05-01T12:00:00.", 0));
  EXPECT_FALSE(ParseIso8601("2024-13-01T12:00:00", 0));
  EXPECT_FALSE(ParseIso8601("2024-05-01T12:00:00+1", 0));
  // RFC 3339 stays strict: no comma, no missing zone.
  EXPECT_FALSE(ParseRfc3339("2024-05-01 12:00:00,123Z"));
  EXPECT_FALSE(ParseRfc3339("2024-05-01T12:00:00"));
}

TEST(TimestampTest, FinerEpochs) {
  Scalar s;
  s.kind = JsonKind::kNumber;
  s.number = 1714564800123456.0;
  std::optional<double> t;
  ASSERT_TRUE(ReadTimestamp(s, config::TimestampFormat::kUnixMicros, &t));
  EXPECT_DOUBLE_EQ(*t, 1714564800.123456);
  s.number = 1714564800123456789.0;
  ASSERT_TRUE(ReadTimestamp(s, config::TimestampFormat::kUnixNanos, &t));
  EXPECT_NEAR(*t, 1714564800.123456789, 1e-6);
  // iso8601 wants text, like rfc3339.
  ASSERT_TRUE(ReadTimestamp(s, config::TimestampFormat::kIso8601, &t));
  EXPECT_FALSE(t);
}

TEST(NumbersInStringsTest, OnlyWhenAskedDoesAStringCount) {
  RecordLayout strict;
  strict.fields = {Numeric("/x")};
  Harness a(strict);
  ASSERT_EQ(a.Parse(R"({"x":"0.91"})"), ParseOutcome::kOk);
  EXPECT_EQ(a.field(0).state, ValueState::kTypeMismatch);

  RecordLayout lenient = strict;
  lenient.numbers_in_strings = true;
  Harness b(lenient);
  ASSERT_EQ(b.Parse(R"({"x":"0.91"})"), ParseOutcome::kOk);
  EXPECT_EQ(b.field(0).state, ValueState::kValid);
  EXPECT_DOUBLE_EQ(b.field(0).number, 0.91);
  ASSERT_EQ(b.Parse(R"({"x":"-3e2"})"), ParseOutcome::kOk);
  EXPECT_DOUBLE_EQ(b.field(0).number, -300);
  ASSERT_EQ(b.Parse(R"({"x":"NaN"})"), ParseOutcome::kOk);
  EXPECT_EQ(b.field(0).state, ValueState::kNan);
  ASSERT_EQ(b.Parse(R"({"x":"12 kg"})"), ParseOutcome::kOk);
  EXPECT_EQ(b.field(0).state, ValueState::kTypeMismatch);
  ASSERT_EQ(b.Parse(R"({"x":""})"), ParseOutcome::kOk);
  EXPECT_EQ(b.field(0).state, ValueState::kEmpty);
}

TEST(LabelTextTest, NumericStringsAreSpelledLikeNumbers) {
  char buf[128];
  std::string raw = "1.0\"";
  Scalar s;
  s.kind = JsonKind::kString;
  s.raw = raw.c_str();
  FieldValue v;
  ASSERT_TRUE(ReadLabel(s, buf, true, &v));
  EXPECT_EQ(v.text, "1");
  ASSERT_TRUE(ReadLabel(s, buf, false, &v));
  EXPECT_EQ(v.text, "1.0");
}

TEST(NanLiteralsTest, QuotesBareTokensOutsideStringsOnly) {
  std::string out;
  ASSERT_TRUE(QuoteNanLiterals(R"({"a":NaN,"b":[Infinity,-Infinity],"c":"NaN is fine"})", &out));
  EXPECT_EQ(out, R"({"a":"NaN","b":["Infinity","-Infinity"],"c":"NaN is fine"})");
  EXPECT_FALSE(QuoteNanLiterals(R"({"a":1,"NaN":"x\"NaN"})", &out));
  EXPECT_FALSE(QuoteNanLiterals(R"({"a":NaNa})", &out));  // not a token: stays invalid
}

TEST(PointerListTest, TheFirstPresentWinsWhereverItIs) {
  RecordLayout layout;
  layout.request_id = "/inferenceId";
  layout.request_id_fallbacks = {"/eventId"};
  layout.timestamp = config::TimestampField{"/a", config::TimestampFormat::kUnixSeconds};
  layout.timestamp->fallback_paths = {"/b"};
  Harness h(layout);
  ASSERT_EQ(h.Parse(R"({"eventId":"e1","inferenceId":"i1","b":2,"a":1})"), ParseOutcome::kOk);
  EXPECT_EQ(h.record().request_id, "i1");
  EXPECT_EQ(h.record().timestamp, 1);
  ASSERT_EQ(h.Parse(R"({"inferenceId":"i1","eventId":"e1","a":1,"b":2})"), ParseOutcome::kOk);
  EXPECT_EQ(h.record().request_id, "i1");
  EXPECT_EQ(h.record().timestamp, 1);
  ASSERT_EQ(h.Parse(R"({"eventId":"e2","b":2,"a":"x"})"), ParseOutcome::kOk);
  EXPECT_EQ(h.record().request_id, "e2");
  EXPECT_EQ(h.record().timestamp, 2);  // /a is present but unusable
}

}  // namespace
}  // namespace modelwatch::parse
