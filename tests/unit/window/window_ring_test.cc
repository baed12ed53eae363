#include <modelwatch/window/window_ring.h>

#include <gtest/gtest.h>

namespace modelwatch::window {
namespace {

struct Count {
  int n = 0;
  void Clear() { n = 0; }
};

int Sum(const WindowRing<Count>& ring, double t) {
  int total = 0;
  ring.ForEachInWindow(t, [&](const Count& c) { total += c.n; });
  return total;
}

TEST(WindowRingTest, BucketsAreAlignedToTheEpoch) {
  WindowRing<Count> ring(60, 6, Count{});
  EXPECT_EQ(ring.Index(0), 0);
  EXPECT_EQ(ring.Index(9.999), 0);
  EXPECT_EQ(ring.Index(10), 1);
  EXPECT_EQ(ring.Index(-0.5), -1);
}

TEST(WindowRingTest, WindowHoldsWhatIsYoungerThanItsLength) {
  WindowRing<Count> ring(60, 6, Count{});
  ring.At(1000)->n += 1;
  ring.At(1030)->n += 2;
  EXPECT_EQ(Sum(ring, 1030), 3);
  EXPECT_EQ(Sum(ring, 1059), 3);
  EXPECT_EQ(Sum(ring, 1061), 2);  // bucket [1000,1010) starts before 1061-60
  EXPECT_EQ(Sum(ring, 1095), 0);
}

TEST(WindowRingTest, ExpiredSlotsAreClearedOnReuse) {
  WindowRing<Count> ring(60, 6, Count{});
  ring.At(0)->n = 5;
  for (double t = 10; t <= 200; t += 10) ring.At(t)->n += 1;
  EXPECT_EQ(Sum(ring, 200), 7);  // buckets 140..200 (seven): [140,150) starts at 200-60
}

TEST(WindowRingTest, TooOldForTheRingIsRejected) {
  WindowRing<Count> ring(60, 6, Count{});
  ASSERT_NE(ring.At(1000), nullptr);
  EXPECT_EQ(ring.At(1000 - 70), nullptr);  // its slot now serves bucket 100
  EXPECT_NE(ring.At(1000 - 50), nullptr);  // still inside the ring
}

TEST(WindowRingTest, FutureBucketsStayOutUntilTheirTime) {
  WindowRing<Count> ring(60, 6, Count{});
  ring.At(120)->n = 4;
  EXPECT_EQ(Sum(ring, 100), 0);
  EXPECT_EQ(Sum(ring, 125), 4);
}

}  // namespace
}  // namespace modelwatch::window
