#include <cmath>

#include <gtest/gtest.h>

#include <modelwatch/drift/methods.h>

namespace modelwatch::drift {
namespace {

using config::DriftMethod;
using config::FeatureType;

TEST(ResolveAuto, LargeNumericReferenceWithManyValuesUsesWasserstein) {
  const auto m = ResolveAuto(FeatureType::kNumeric, 1001, 6);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m.value(), DriftMethod::kWasserstein);
}

TEST(ResolveAuto, LargeNumericReferenceWithFewValuesUsesJensenShannon) {
  EXPECT_EQ(ResolveAuto(FeatureType::kNumeric, 5000, 5).value(), DriftMethod::kJensenShannon);
  EXPECT_EQ(ResolveAuto(FeatureType::kNumeric, 5000, 2).value(), DriftMethod::kJensenShannon);
}

TEST(ResolveAuto, LargeCategoricalReferenceUsesJensenShannon) {
  EXPECT_EQ(ResolveAuto(FeatureType::kCategorical, 5000, 300).value(), DriftMethod::kJensenShannon);
  EXPECT_EQ(ResolveAuto(FeatureType::kCategorical, 5000, 2).value(), DriftMethod::kJensenShannon);
}

TEST(ResolveAuto, SmallNumericReferenceWithManyValuesUsesKs) {
  EXPECT_EQ(ResolveAuto(FeatureType::kNumeric, 1000, 6).value(), DriftMethod::kKs);
  EXPECT_EQ(ResolveAuto(FeatureType::kNumeric, 30, 30).value(), DriftMethod::kKs);
}

TEST(ResolveAuto, SmallNumericReferenceWithThreeToFiveValuesUsesChiSquare) {
  EXPECT_EQ(ResolveAuto(FeatureType::kNumeric, 1000, 5).value(), DriftMethod::kChiSquare);
  EXPECT_EQ(ResolveAuto(FeatureType::kNumeric, 500, 3).value(), DriftMethod::kChiSquare);
}

TEST(ResolveAuto, SmallNumericReferenceWithAtMostTwoValuesUsesZ) {
  EXPECT_EQ(ResolveAuto(FeatureType::kNumeric, 500, 2).value(), DriftMethod::kZ);
  EXPECT_EQ(ResolveAuto(FeatureType::kNumeric, 500, 1).value(), DriftMethod::kZ);
}

TEST(ResolveAuto, SmallCategoricalReferenceUsesChiSquareOrZWithTwoCategories) {
  EXPECT_EQ(ResolveAuto(FeatureType::kCategorical, 1000, 3).value(), DriftMethod::kChiSquare);
  EXPECT_EQ(ResolveAuto(FeatureType::kCategorical, 1000, 40).value(), DriftMethod::kChiSquare);
  EXPECT_EQ(ResolveAuto(FeatureType::kCategorical, 10, 2).value(), DriftMethod::kZ);
}

TEST(IsDrift, DistancesDriftAtOrAboveTheThreshold) {
  for (DriftMethod m : {DriftMethod::kPsi, DriftMethod::kKl, DriftMethod::kJensenShannon,
                        DriftMethod::kHellinger, DriftMethod::kWasserstein, DriftMethod::kLinf}) {
    EXPECT_TRUE(IsDrift(m, 0.1, 0.1));
    EXPECT_FALSE(IsDrift(m, 0.0999, 0.1));
  }
}

TEST(IsDrift, KsDriftsAtOrBelowThePValueThreshold) {
  EXPECT_TRUE(IsDrift(DriftMethod::kKs, 0.05, 0.05));
  EXPECT_FALSE(IsDrift(DriftMethod::kKs, 0.0501, 0.05));
}

TEST(IsDrift, ChiSquareAndZDriftStrictlyBelowThePValueThreshold) {
  for (DriftMethod m : {DriftMethod::kChiSquare, DriftMethod::kZ}) {
    EXPECT_FALSE(IsDrift(m, 0.05, 0.05));
    EXPECT_TRUE(IsDrift(m, 0.0499, 0.05));
  }
}

TEST(IsDrift, NaNScoreIsNeverDrift) {
  EXPECT_FALSE(IsDrift(DriftMethod::kPsi, std::nan(""), 0.1));
  EXPECT_FALSE(IsDrift(DriftMethod::kKs, std::nan(""), 0.05));
}

}  // namespace
}  // namespace modelwatch::drift
