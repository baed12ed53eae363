// Which lines are rejected, and with which reason (interface.md §4.1).
#include <string>

#include <gtest/gtest.h>

#include "unit/parse/parse_test_util.h"

namespace modelwatch::parse {
namespace {

using testing::Fields;
using testing::Harness;
using testing::Numeric;

struct OutcomeCase {
  std::string name;
  std::string line;
  ParseOutcome want;
};

class OutcomeTest : public ::testing::TestWithParam<OutcomeCase> {};

TEST_P(OutcomeTest, ClassifiesLine) {
  Harness h(Fields({Numeric("/a"), Numeric("/n/b")}));
  EXPECT_EQ(h.Parse(GetParam().line), GetParam().want)
      << ParseOutcomeName(h.Parse(GetParam().line));
}

const OutcomeCase kOutcomeCases[] = {
    {"Object", R"({"a":1})", ParseOutcome::kOk},
    {"EmptyObject", "{}", ParseOutcome::kOk},
    {"Whitespace", "  {\"a\" : 1 }\t", ParseOutcome::kOk},
    {"UnreadValuesAreSkipped", R"({"x":{"y":[1,{"z":null}]},"a":1})", ParseOutcome::kOk},
    {"Truncated", R"({"a":1)", ParseOutcome::kInvalidJson},
    {"TruncatedInNested", R"({"n":{"b":1)", ParseOutcome::kInvalidJson},
    {"ExtraClosingBrace", R"({"a":1}})", ParseOutcome::kInvalidJson},
    {"TrailingGarbage", R"({"a":1} x)", ParseOutcome::kInvalidJson},
    {"TwoObjects", R"({"a":1}{"a":2})", ParseOutcome::kInvalidJson},
    {"TrailingComma", R"({"a":1,})", ParseOutcome::kInvalidJson},
    {"MissingColon", R"({"a" 1})", ParseOutcome::kInvalidJson},
    {"MissingComma", R"({"a":1 "b":2})", ParseOutcome::kInvalidJson},
    {"UnclosedString", R"({"a":"abc})", ParseOutcome::kInvalidJson},
    {"UnclosedSkippedArray", R"({"x":[1,2,"a":1})", ParseOutcome::kInvalidJson},
    {"BadLiteralRead", R"({"a":nul})", ParseOutcome::kInvalidJson},
    {"BadNumberRead", R"({"a":01})", ParseOutcome::kInvalidJson},
    {"LoneMinusRead", R"({"a":-})", ParseOutcome::kInvalidJson},
    {"NumberWithLetters", R"({"a":1x})", ParseOutcome::kInvalidJson},
    {"ControlCharInString", "{\"x\":\"a\x01\"}", ParseOutcome::kInvalidJson},
    {"BareWord", "hello", ParseOutcome::kInvalidJson},
    {"DeepArray", std::string(10000, '['), ParseOutcome::kInvalidJson},
    {"DeepBalancedArrayRoot", std::string(2000, '[') + std::string(2000, ']'),
     ParseOutcome::kInvalidJson},
    {"DeepInsideObject", "{\"x\":" + std::string(10000, '[') + "}", ParseOutcome::kInvalidJson},
    {"ArrayRoot", "[1,2]", ParseOutcome::kNotAnObject},
    {"StringRoot", R"("text")", ParseOutcome::kNotAnObject},
    {"NumberRoot", "3.5", ParseOutcome::kNotAnObject},
    {"NullRoot", "null", ParseOutcome::kNotAnObject},
    {"TrueRoot", "true", ParseOutcome::kNotAnObject},
    {"NestedArrayRoot", R"([{"a":1},[2,"x"]])", ParseOutcome::kNotAnObject},
    {"BrokenArrayRoot", "[1,2", ParseOutcome::kInvalidJson},
    {"ArrayRootWithBadNumber", "[1,01]", ParseOutcome::kInvalidJson},
    {"ScalarRootWithTrailing", "3 4", ParseOutcome::kInvalidJson},
    {"InvalidUtf8InString", "{\"x\":\"\xff\"}", ParseOutcome::kInvalidUtf8},
    {"InvalidUtf8InKey", "{\"\xc3\x28\":1}", ParseOutcome::kInvalidUtf8},
    {"OverlongUtf8", "{\"x\":\"\xc0\xaf\"}", ParseOutcome::kInvalidUtf8},
    {"InvalidEscapeInReadString", R"({"a":"\x"})", ParseOutcome::kInvalidJson},
};

INSTANTIATE_TEST_SUITE_P(Lines, OutcomeTest, ::testing::ValuesIn(kOutcomeCases),
                         [](const auto& info) { return info.param.name; });

TEST(OutcomeNameTest, NamesAreTheReasonLabels) {
  EXPECT_STREQ(ParseOutcomeName(ParseOutcome::kOk), "ok");
  EXPECT_STREQ(ParseOutcomeName(ParseOutcome::kInvalidJson), "invalid_json");
  EXPECT_STREQ(ParseOutcomeName(ParseOutcome::kNotAnObject), "not_an_object");
  EXPECT_STREQ(ParseOutcomeName(ParseOutcome::kInvalidUtf8), "invalid_utf8");
  EXPECT_STREQ(ParseOutcomeName(ParseOutcome::kBadTimestamp), "bad_timestamp");
}

TEST(OutcomeTest2, ParsesOnlyTheLineNotTheBytesAfterIt) {
  Harness h(Fields({Numeric("/a")}));
  EXPECT_EQ(h.Parse(R"({"a":1})", "}garbage\"{[ \xff"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).number, 1);
  EXPECT_EQ(h.Parse(R"({"a":2})", R"({"a":3})"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).number, 2);
}

TEST(OutcomeTest2, RecoversAfterAnInvalidLine) {
  Harness h(Fields({Numeric("/a")}));
  EXPECT_EQ(h.Parse(R"({"a":"unclosed)"), ParseOutcome::kInvalidJson);
  EXPECT_EQ(h.Parse(R"({"a":7})"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).number, 7);
}

TEST(OutcomeTest2, InvalidEscapeInUnreadStringIsNotNoticed) {
  // Documented laxness: unread values are skipped by structure only.
  Harness h(Fields({Numeric("/a")}));
  EXPECT_EQ(h.Parse(R"({"x":"\x","a":1})"), ParseOutcome::kOk);
}

}  // namespace
}  // namespace modelwatch::parse
