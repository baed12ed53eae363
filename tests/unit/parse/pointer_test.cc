// JSON Pointers (RFC 6901) resolved in one pass over the line.
#include <string>

#include <gtest/gtest.h>

#include "parse/pointer_tree.h"
#include "unit/parse/parse_test_util.h"

namespace modelwatch::parse {
namespace {

using testing::Categorical;
using testing::Fields;
using testing::Harness;
using testing::Numeric;

struct PointerCase {
  std::string name;
  std::string pointer;
  std::string line;
  double want;  // the number at the pointer
};

class PointerTest : public ::testing::TestWithParam<PointerCase> {};

TEST_P(PointerTest, FindsValue) {
  Harness h(Fields({Numeric(GetParam().pointer)}));
  ASSERT_EQ(h.Parse(GetParam().line), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).state, ValueState::kValid);
  EXPECT_EQ(h.field(0).number, GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(
    Pointers, PointerTest,
    ::testing::ValuesIn(std::vector<PointerCase>{
        {"TopLevel", "/a", R"({"b":1,"a":2})", 2},
        {"Nested", "/inputs/amount", R"({"inputs":{"age":3,"amount":12.5},"amount":9})", 12.5},
        {"ArrayIndex", "/a/1/b", R"({"a":[{"b":1},{"b":2},{"b":3}]})", 2},
        {"ArrayIndexZero", "/a/0", R"({"a":[7,8]})", 7},
        {"NumericObjectKey", "/a/0", R"({"a":{"0":5}})", 5},
        {"SlashEscape", "/a~1b", R"({"a/b":4,"a":{"b":9}})", 4},
        {"TildeEscape", "/m~0n", R"({"m~n":6})", 6},
        {"TildeThenOne", "/~01", R"({"~1":8,"/":9})", 8},
        {"QuoteInKey", "/a\"b", R"({"a\"b":3})", 3},
        {"BackslashInKey", "/a\\b", R"({"a\\b":3})", 3},
        {"EscapedLetterInDocument", "/amount", R"({"\u0061mount":5})", 5},
        {"EscapedSlashInDocument", "/a~1b", R"({"a\/b":5})", 5},
        {"UnicodeKey", "/\xC3\xA9t\xC3\xA9", R"({"\u00e9t\u00e9":2,"x":1})", 2},
        {"EmptyKey", "/", R"({"":11})", 11},
        {"EmptyNestedKey", "/a/", R"({"a":{"":12}})", 12},
        {"DeepPath", "/a/b/c/d", R"({"a":{"x":[1],"b":{"c":{"d":13}}}})", 13},
        {"PrefixKeyDoesNotMatch", "/ab", R"({"a":1,"abc":2,"ab":3})", 3},
        {"KeyAcrossWords", "/abcdefghij", R"({"abcdefgh":1,"abcdefghijk":2,"abcdefghij":3})", 3},
        {"LongKey", "/" + std::string(40, 'k'),
         "{\"" + std::string(39, 'k') + "\":1,\"" + std::string(40, 'k') + "\":4}", 4},
        {"DuplicateKeyLastWins", "/a", R"({"a":1,"a":2})", 2},
        {"DuplicateParentLastWins", "/p/a", R"({"p":{"a":1},"p":{"a":2}})", 2},
    }),
    [](const auto& info) { return info.param.name; });

TEST(PointerTreeTest, ArrayIndexBeyondEndIsMissing) {
  Harness h(Fields({Numeric("/a/5")}));
  ASSERT_EQ(h.Parse(R"({"a":[1,2]})"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).state, ValueState::kMissing);
}

TEST(PointerTreeTest, LeadingZeroSegmentIsAKeyNotAnIndex) {
  Harness h(Fields({Numeric("/a/01")}));
  ASSERT_EQ(h.Parse(R"({"a":[1,2]})"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).state, ValueState::kMissing);
  ASSERT_EQ(h.Parse(R"({"a":{"01":4}})"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).number, 4);
}

TEST(PointerTreeTest, KeyOrderMayChangeBetweenLines) {
  Harness h(Fields({Numeric("/a"), Numeric("/b"), Numeric("/c")}));
  ASSERT_EQ(h.Parse(R"({"a":1,"b":2,"c":3})"), ParseOutcome::kOk);
  ASSERT_EQ(h.Parse(R"({"c":6,"x":0,"b":5,"a":4})"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).number, 4);
  EXPECT_EQ(h.field(1).number, 5);
  EXPECT_EQ(h.field(2).number, 6);
}

TEST(PointerTreeTest, TwoFieldsMayShareAPath) {
  Harness h(Fields({Numeric("/v"), Categorical("/v")}));
  ASSERT_EQ(h.Parse(R"({"v":2.5})"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).number, 2.5);
  EXPECT_EQ(h.field(1).text, "2.5");
}

TEST(PointerTreeTest, ContainerOnThePathIsAMismatchAndStillDescended) {
  Harness h(Fields({Categorical("/a"), Numeric("/a/b")}));
  ASSERT_EQ(h.Parse(R"({"a":{"b":1}})"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).state, ValueState::kTypeMismatch);
  EXPECT_EQ(h.field(1).number, 1);
}

TEST(PointerTreeTest, FieldsKeepConfigurationOrder) {
  Harness h(Fields({Numeric("/z"), Numeric("/a"), Numeric("/m/n")}));
  ASSERT_EQ(h.Parse(R"({"a":1,"m":{"n":2},"z":3})"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).number, 3);
  EXPECT_EQ(h.field(1).number, 1);
  EXPECT_EQ(h.field(2).number, 2);
}

TEST(PointerTreeTest, CreateRejectsMalformedPointers) {
  for (const char* bad : {"", "a", "/a~", "/a~2", "/~x"}) {
    EXPECT_FALSE(RecordParser::Create(Fields({Numeric(bad)})).ok()) << bad;
  }
  RecordLayout layout;
  layout.request_id = "request_id";
  EXPECT_FALSE(RecordParser::Create(layout).ok());
}

TEST(PointerTreeTest, SplitUnescapesSegments) {
  std::vector<std::string> segments;
  ASSERT_TRUE(SplitPointer("/a~1b/~0/c~01", &segments));
  EXPECT_EQ(segments, (std::vector<std::string>{"a/b", "~", "c~1"}));
  EXPECT_EQ(EscapePointerSegment("a/b~c"), "a~1b~0c");
}

}  // namespace
}  // namespace modelwatch::parse
