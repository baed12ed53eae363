// The value state of each kind of JSON value, for numeric and categorical fields
// (statistics.md §4).
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "unit/parse/parse_test_util.h"

namespace modelwatch::parse {
namespace {

using testing::Categorical;
using testing::Fields;
using testing::Harness;
using testing::Numeric;

struct StateCase {
  std::string name;
  std::string value;  // the JSON text at /v
  ValueState want;
};

class NumericStateTest : public ::testing::TestWithParam<StateCase> {};

TEST_P(NumericStateTest, ReadsState) {
  Harness h(Fields({Numeric("/v")}));
  ASSERT_EQ(h.Parse("{\"v\":" + GetParam().value + "}"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).state, GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(
    Values, NumericStateTest,
    ::testing::ValuesIn(std::vector<StateCase>{
        {"Integer", "3", ValueState::kValid},
        {"Float", "-2.5e3", ValueState::kValid},
        {"Null", "null", ValueState::kNull},
        {"EmptyString", R"("")", ValueState::kEmpty},
        {"NaNString", R"("NaN")", ValueState::kNan},
        {"LowerNan", R"("nan")", ValueState::kNan},
        {"Inf", R"("inf")", ValueState::kNan},
        {"MinusInf", R"("-inf")", ValueState::kNan},
        {"Infinity", R"("Infinity")", ValueState::kNan},
        {"MinusInfinityUpper", R"("-INFINITY")", ValueState::kNan},
        {"OverflowingNumber", "1e400", ValueState::kNan},
        {"NegativeOverflow", "-1e400", ValueState::kNan},
        {"NumericStringIsStrictlyAMismatch", R"("12.5")", ValueState::kTypeMismatch},
        {"Word", R"("abc")", ValueState::kTypeMismatch},
        {"LongString", "\"" + std::string(40, 'x') + "\"", ValueState::kTypeMismatch},
        {"True", "true", ValueState::kTypeMismatch},
        {"False", "false", ValueState::kTypeMismatch},
        {"Object", R"({"x":1})", ValueState::kTypeMismatch},
        {"Array", "[1]", ValueState::kTypeMismatch},
    }),
    [](const auto& info) { return info.param.name; });

class CategoricalStateTest : public ::testing::TestWithParam<StateCase> {};

TEST_P(CategoricalStateTest, ReadsState) {
  Harness h(Fields({Categorical("/v")}));
  ASSERT_EQ(h.Parse("{\"v\":" + GetParam().value + "}"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).state, GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(Values, CategoricalStateTest,
                         ::testing::ValuesIn(std::vector<StateCase>{
                             {"String", R"("fraud")", ValueState::kValid},
                             {"Number", "3", ValueState::kValid},
                             {"Bool", "true", ValueState::kValid},
                             {"Null", "null", ValueState::kNull},
                             {"EmptyString", R"("")", ValueState::kEmpty},
                             {"NaNString", R"("NaN")", ValueState::kNan},
                             {"InfString", R"("-Inf")", ValueState::kNan},
                             {"OverflowingNumber", "1e400", ValueState::kNan},
                             {"Object", R"({})", ValueState::kTypeMismatch},
                             {"Array", R"(["a"])", ValueState::kTypeMismatch},
                         }),
                         [](const auto& info) { return info.param.name; });

TEST(ValueStateTest, AbsentFieldIsMissing) {
  Harness h(Fields({Numeric("/v"), Categorical("/w"), Numeric("/x/y")}));
  ASSERT_EQ(h.Parse(R"({"other":1,"x":{}})"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).state, ValueState::kMissing);
  EXPECT_EQ(h.field(1).state, ValueState::kMissing);
  EXPECT_EQ(h.field(2).state, ValueState::kMissing);
}

TEST(ValueStateTest, PathThroughAScalarIsMissing) {
  Harness h(Fields({Numeric("/x/y")}));
  ASSERT_EQ(h.Parse(R"({"x":5})"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).state, ValueState::kMissing);
}

TEST(ValueStateTest, EverySlotIsResetBetweenLines) {
  Harness h(Fields({Numeric("/v"), Categorical("/c")}));
  ASSERT_EQ(h.Parse(R"({"v":1,"c":"a"})"), ParseOutcome::kOk);
  ASSERT_EQ(h.Parse(R"({})"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).state, ValueState::kMissing);
  EXPECT_EQ(h.field(1).state, ValueState::kMissing);
  EXPECT_TRUE(h.field(1).text.empty());
}

TEST(ValueStateTest, NumericValueIsTheNumber) {
  Harness h(Fields({Numeric("/v")}));
  ASSERT_EQ(h.Parse(R"({"v":-12.75})"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).number, -12.75);
}

TEST(ValueStateTest, HugeIntegerIsReadAsNearestDouble) {
  Harness h(Fields({Numeric("/v"), Categorical("/v")}));
  ASSERT_EQ(h.Parse(R"({"v":123456789012345678901234567890})"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).state, ValueState::kValid);
  EXPECT_DOUBLE_EQ(h.field(0).number, 1.2345678901234568e29);
  EXPECT_EQ(h.field(1).text, "1.2345678901234568e+29");
}

TEST(ValueStateTest, HugeFiniteAndTinyNumbersAreValues) {
  Harness h(Fields({Numeric("/a"), Numeric("/b")}));
  ASSERT_EQ(h.Parse(R"({"a":1.7e308,"b":1e-400})"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).number, 1.7e308);
  EXPECT_EQ(h.field(1).state, ValueState::kValid);
  EXPECT_EQ(h.field(1).number, 0);
}

TEST(ValueStateTest, OverflowElsewhereDoesNotRejectTheLine) {
  Harness h(Fields({Numeric("/a"), Numeric("/b")}));
  ASSERT_EQ(h.Parse(R"({"a":-1e999,"b":2,"c":1e999})"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).state, ValueState::kNan);
  EXPECT_EQ(h.field(1).number, 2);
}

}  // namespace
}  // namespace modelwatch::parse
