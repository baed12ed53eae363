#include <gtest/gtest.h>

#include <modelwatch/config/config.h>

namespace modelwatch::config {
namespace {

TEST(DriftMethodNameTest, NamesRoundTrip) {
  for (const char* name : {"auto", "psi", "kl", "jensenshannon", "hellinger", "wasserstein", "ks",
                           "chisquare", "z", "linf"}) {
    auto m = ParseDriftMethod(name);
    ASSERT_TRUE(m.has_value()) << name;
    EXPECT_STREQ(DriftMethodName(*m), name);
  }
  EXPECT_EQ(ParseDriftMethod("PSI"), std::nullopt);
}

TEST(DefaultThresholdTest, MatchesStatisticsTable) {
  EXPECT_EQ(DefaultThreshold(DriftMethod::kPsi), 0.1);
  EXPECT_EQ(DefaultThreshold(DriftMethod::kJensenShannon), 0.1);
  EXPECT_EQ(DefaultThreshold(DriftMethod::kWasserstein), 0.1);
  EXPECT_EQ(DefaultThreshold(DriftMethod::kKs), 0.05);
  EXPECT_EQ(DefaultThreshold(DriftMethod::kChiSquare), 0.05);
  EXPECT_EQ(DefaultThreshold(DriftMethod::kZ), 0.05);
  EXPECT_EQ(DefaultThreshold(DriftMethod::kLinf), 0.1);
}

TEST(DriftConfigTest, ThresholdForPrefersOverride) {
  DriftConfig d;
  d.thresholds[DriftMethod::kPsi] = 0.2;
  EXPECT_EQ(d.ThresholdFor(DriftMethod::kPsi), 0.2);
  EXPECT_EQ(d.ThresholdFor(DriftMethod::kKs), 0.05);
}

TEST(ConfigErrorTest, FormatsWithAndWithoutPosition) {
  EXPECT_EQ((ConfigError{"a.yaml", 7, 5, "bad"}).ToString(), "a.yaml:7:5: bad");
  EXPECT_EQ((ConfigError{"a.yaml", 0, 0, "gone"}).ToString(), "a.yaml: gone");
}

}  // namespace
}  // namespace modelwatch::config
