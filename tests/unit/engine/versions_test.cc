#include "engine/versions.h"

#include <gtest/gtest.h>

namespace modelwatch::engine {
namespace {

TEST(VersionTrackerTest, TheFirstVersionIsNoChange) {
  VersionTracker v(600);
  for (int t = 0; t < 100; ++t) v.Observe(0, t);
  EXPECT_EQ(v.changes(), 0u);
  EXPECT_TRUE(v.Active(0, 99));
}

TEST(VersionTrackerTest, InterleavedCanaryForAWholeWindowCountsOnceAndANewVersionOnceMore) {
  VersionTracker v(600);
  for (int t = 0; t < 1800; ++t) v.Observe(t % 2, t);  // v0 and v1 alternate line by line
  EXPECT_EQ(v.changes(), 1u);
  for (int t = 1800; t < 2000; ++t) v.Observe(2, t);
  EXPECT_EQ(v.changes(), 2u);
  EXPECT_TRUE(v.Active(0, 2000));  // seen at 1798, inside 600 s
  EXPECT_FALSE(v.Active(0, 2500));
  EXPECT_TRUE(v.Active(2, 2500));
}

TEST(VersionTrackerTest, AVersionBackAfterTheLongestWindowCountsAgain) {
  VersionTracker v(600);
  v.Observe(0, 0);
  v.Observe(1, 10);
  v.Observe(1, 400);
  v.Observe(1, 700);  // seen at 400, inside the 600 s before 700: no change
  EXPECT_EQ(v.changes(), 1u);
  v.Observe(0, 700);  // last seen at 0: outside the 600 s before 700
  EXPECT_EQ(v.changes(), 2u);
  v.Observe(0, 701);
  EXPECT_EQ(v.changes(), 2u);
}

}  // namespace
}  // namespace modelwatch::engine
