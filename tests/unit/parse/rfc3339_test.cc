// ParseRfc3339 against epoch values computed with Python's datetime.
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <modelwatch/parse/record_parser.h>

namespace modelwatch::parse {
namespace {

struct Rfc3339Case {
  std::string text;
  std::optional<double> want;
};

class Rfc3339Test : public ::testing::TestWithParam<Rfc3339Case> {};

TEST_P(Rfc3339Test, Parses) {
  const std::optional<double> got = ParseRfc3339(GetParam().text);
  ASSERT_EQ(got.has_value(), GetParam().want.has_value()) << GetParam().text;
  if (got) {
    EXPECT_DOUBLE_EQ(*got, *GetParam().want) << GetParam().text;
  }
}

INSTANTIATE_TEST_SUITE_P(Valid, Rfc3339Test,
                         ::testing::ValuesIn(std::vector<Rfc3339Case>{
                             {"1970-01-01T00:00:00Z", 0},
                             {"1969-12-31T23:59:59Z", -1},
                             {"2026-11-28T05:00:00Z", 1795842000},
                             {"2026-11-28t05:00:00z", 1795842000},
                             {"2026-11-28 05:00:00Z", 1795842000},
                             {"2026-11-28T05:00:00.123Z", 1795842000.123},
                             {"2026-11-28T05:00:00.5Z", 1795842000.5},
                             {"2026-11-28T05:00:00.123456789012345678901234Z", 1795842000.1234567},
                             {"2026-11-28T07:00:00+02:00", 1795842000},
                             {"2026-11-27T23:30:00-05:30", 1795842000},
                             {"2026-11-28T05:00:00-05:30", 1795861800},
                             {"2026-11-28T05:00:00+00:00", 1795842000},
                             {"2026-11-28T05:00:00-00:00", 1795842000},
                             {"2000-02-29T12:00:00Z", 951825600},
                             {"2024-02-29T23:59:59Z", 1709251199},
                             {"2100-03-01T00:00:00Z", 4107542400},
                             {"1900-01-01T00:00:00Z", -2208988800},
                             {"2038-01-19T03:14:08Z", 2147483648},
                             {"9999-12-31T23:59:59Z", 253402300799},
                             {"0001-01-01T00:00:00Z", -62135596800},
                             {"2016-12-31T23:59:60Z", 1483228800},  // leap second: the next second
                         }));

INSTANTIATE_TEST_SUITE_P(Invalid, Rfc3339Test,
                         ::testing::ValuesIn(std::vector<Rfc3339Case>{
                             {"", std::nullopt},
                             {"garbage", std::nullopt},
                             {"2026-11-28", std::nullopt},
                             {"2026-11-28T05:00:00", std::nullopt},    // no zone
                             {"2026-11-28T05:00Z", std::nullopt},      // no seconds
                             {"2026-13-01T00:00:00Z", std::nullopt},   // month
                             {"2026-00-01T00:00:00Z", std::nullopt},   // month
                             {"2026-04-31T00:00:00Z", std::nullopt},   // day
                             {"2026-02-29T00:00:00Z", std::nullopt},   // not a leap year
                             {"1900-02-29T00:00:00Z", std::nullopt},   // century
                             {"2026-01-00T00:00:00Z", std::nullopt},   // day
                             {"2026-01-01T24:00:00Z", std::nullopt},   // hour
                             {"2026-01-01T00:60:00Z", std::nullopt},   // minute
                             {"2026-01-01T00:00:61Z", std::nullopt},   // second
                             {"2026-01-01T00:00:00.Z", std::nullopt},  // empty fraction
                             {"2026-01-01T00:00:00+2:00", std::nullopt},
                             {"2026-01-01T00:00:00+02:60", std::nullopt},
                             {"2026-01-01T00:00:00+24:00", std::nullopt},
                             {"2026-01-01T00:00:00+0200", std::nullopt},
                             {"2026-01-01T00:00:00ZZ", std::nullopt},
                             {"2026-01-01T00:00:00Z ", std::nullopt},
                             {" 2026-01-01T00:00:00Z", std::nullopt},
                             {"2026-01-01X00:00:00Z", std::nullopt},
                             {"2026/01/01T00:00:00Z", std::nullopt},
                             {"2026-1-01T00:00:00Z", std::nullopt},
                             {"+2026-01-01T00:00:00Z", std::nullopt},
                             {"2026-01-01T00:00:00.12a4Z", std::nullopt},
                         }));

// Consecutive timestamps share their "YYYY-MM-DDTHH:MM" prefix, which the parser reuses: the
// answers must be those of a fresh parse in any order, and an invalid prefix is never reused.
TEST(Rfc3339Cache, SharedPrefixesGiveFreshAnswers) {
  const double base = 1795842000;  // 2026-11-28T05:00:00Z
  struct Step {
    const char* text;
    std::optional<double> want;
  };
  const Step steps[] = {
      {"2026-11-28T05:00:00.123Z", base + 0.123},
      {"2026-11-28T05:00:59Z", base + 59},
      {"2026-11-28T05:00:61Z", std::nullopt},
      {"2026-11-28T05:00:5xZ", std::nullopt},
      {"2026-11-28T05:00:07+01:00", base + 7 - 3600},
      {"2026-11-28T05:01:00Z", base + 60},
      {"2026-11-28T05:00:01Z", base + 1},
      {"2026-02-30T05:00:00Z", std::nullopt},
      {"2026-02-30T05:00:00Z", std::nullopt},
      {"2026-02-28T05:00:00Z", 1772254800},
      {"2026-11-28 05:00:02Z", base + 2},
      {"2026-11-28T05:00:02Z", base + 2},
  };
  for (const Step& s : steps) {
    const std::optional<double> got = ParseRfc3339(s.text);
    ASSERT_EQ(got.has_value(), s.want.has_value()) << s.text;
    if (got) {
      EXPECT_NEAR(*got, *s.want, 1e-6) << s.text;
    }
  }
  // ISO 8601 reuses the same prefixes: a zone-less time after an RFC 3339 one.
  EXPECT_NEAR(*ParseIso8601("2026-11-28T05:00:03", 7200), base + 3 - 7200, 1e-6);
  EXPECT_FALSE(ParseRfc3339("2026-11-28T05:00:03"));
}

}  // namespace
}  // namespace modelwatch::parse
