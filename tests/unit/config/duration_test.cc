#include <gtest/gtest.h>

#include <modelwatch/config/config.h>

namespace modelwatch::config {
namespace {

TEST(ParseDurationTest, ReadsEachPrometheusUnit) {
  EXPECT_EQ(ParseDuration("250ms"), 0.25);
  EXPECT_EQ(ParseDuration("30s"), 30);
  EXPECT_EQ(ParseDuration("5m"), 300);
  EXPECT_EQ(ParseDuration("1h"), 3600);
  EXPECT_EQ(ParseDuration("1d"), 86400);
  EXPECT_EQ(ParseDuration("1w"), 7 * 86400);
  EXPECT_EQ(ParseDuration("1y"), 365 * 86400);
}

TEST(ParseDurationTest, AddsCombinedUnits) {
  EXPECT_EQ(ParseDuration("1h30m"), 5400);
  EXPECT_EQ(ParseDuration("1m30s500ms"), 90.5);
  EXPECT_EQ(ParseDuration("0"), 0);
  EXPECT_EQ(ParseDuration("0s"), 0);
}

TEST(ParseDurationTest, RejectsWhatPrometheusRejects) {
  for (const char* bad : {"", "5", "1.5h", "-1s", "30m1h", "1h1h", "5 m", "m", "5M", "1sec"}) {
    EXPECT_EQ(ParseDuration(bad), std::nullopt) << bad;
  }
}

TEST(ParseSizeTest, ReadsBinaryAndDecimalUnits) {
  EXPECT_EQ(ParseSize("512"), 512u);
  EXPECT_EQ(ParseSize("512B"), 512u);
  EXPECT_EQ(ParseSize("64KiB"), 65536u);
  EXPECT_EQ(ParseSize("1MiB"), 1048576u);
  EXPECT_EQ(ParseSize("1GiB"), 1073741824u);
  EXPECT_EQ(ParseSize("2KB"), 2000u);
  EXPECT_EQ(ParseSize("3MB"), 3000000u);
}

TEST(ParseSizeTest, RejectsUnknownUnitsAndOverflow) {
  for (const char* bad : {"", "MiB", "1.5MiB", "-1", "1mib", "1 parsec", "99999999999TiB"}) {
    EXPECT_EQ(ParseSize(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace modelwatch::config
