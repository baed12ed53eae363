// Keys the configuration does not know, under the objects holding features (schema drift).
#include <string>

#include <gtest/gtest.h>

#include "unit/parse/parse_test_util.h"

namespace modelwatch::parse {
namespace {

using testing::Categorical;
using testing::Fields;
using testing::Harness;
using testing::Numeric;

std::vector<std::string> Names(const Record& r) {
  return {r.unexpected_names.begin(), r.unexpected_names.begin() + r.unexpected_named};
}

TEST(UnexpectedFieldsTest, CountsUnknownKeysOnlyUnderObjectsHoldingFeatures) {
  RecordLayout layout = Fields({Numeric("/inputs/a"), Categorical("/inputs/b")});
  layout.model_version = "/v";
  Harness h(layout);
  ASSERT_EQ(h.Parse(R"({"v":"1","root_extra":1,"inputs":{"a":1,"new":[1,{"x":2}],"b":"k",)"
                    R"("z\"q":4},"outputs":{"s":1}})"),
            ParseOutcome::kOk);
  EXPECT_EQ(h.record().unexpected_fields, 2u);
  EXPECT_EQ(Names(h.record()), (std::vector<std::string>{"new", "z\"q"}));
  EXPECT_EQ(h.field(0).number, 1);
}

TEST(UnexpectedFieldsTest, AtTheRootConfiguredRecordKeysAreKnown) {
  RecordLayout layout = Fields({Numeric("/a")});
  layout.timestamp = config::TimestampField{"/ts", config::TimestampFormat::kUnixSeconds};
  Harness h(layout);
  ASSERT_EQ(h.Parse(R"({"ts":1,"a":2,"extra":3})"), ParseOutcome::kOk);
  EXPECT_EQ(h.record().unexpected_fields, 1u);
  EXPECT_EQ(Names(h.record()), (std::vector<std::string>{"extra"}));
}

TEST(UnexpectedFieldsTest, CountsEveryOccurrenceButNamesOnlyTheFirstFew) {
  Harness h(Fields({Numeric("/a")}));
  ASSERT_EQ(h.Parse(R"({"a":1,"k1":1,"k2":1,"k3":1,"k1":1,"k5":1,"k6":1})"), ParseOutcome::kOk);
  EXPECT_EQ(h.record().unexpected_fields, 6u);
  EXPECT_EQ(Names(h.record()), (std::vector<std::string>{"k1", "k2", "k3", "k5"}));
}

TEST(UnexpectedFieldsTest, NamesEachKeyOnlyOnTheLineWhereItFirstAppears) {
  Harness h(Fields({Numeric("/a")}));
  ASSERT_EQ(h.Parse(R"({"a":1,"k1":1,"k\\2":1})"), ParseOutcome::kOk);
  EXPECT_EQ(Names(h.record()), (std::vector<std::string>{"k1", "k\\2"}));
  ASSERT_EQ(h.Parse(R"({"k\\2":1,"a":1,"k3":1,"k1":1})"), ParseOutcome::kOk);
  EXPECT_EQ(h.record().unexpected_fields, 3u);
  EXPECT_EQ(Names(h.record()), (std::vector<std::string>{"k3"}));
}

TEST(UnexpectedFieldsTest, ResetsOnEveryLineAndCutsLongNames) {
  Harness h(Fields({Numeric("/a")}));
  const std::string long_key(300, 'k');
  ASSERT_EQ(h.Parse(R"({"a":1,")" + long_key + R"(":1})"), ParseOutcome::kOk);
  ASSERT_EQ(h.record().unexpected_named, 1u);
  EXPECT_EQ(h.record().unexpected_names[0], std::string(128, 'k'));
  ASSERT_EQ(h.Parse(R"({"a":1,")" + long_key + R"(":1})"), ParseOutcome::kOk);
  EXPECT_EQ(h.record().unexpected_fields, 1u);
  EXPECT_EQ(h.record().unexpected_named, 1u);  // a cut name is named on every line
  ASSERT_EQ(h.Parse(R"({"a":1})"), ParseOutcome::kOk);
  EXPECT_EQ(h.record().unexpected_fields, 0u);
  EXPECT_EQ(h.record().unexpected_named, 0u);
}

}  // namespace
}  // namespace modelwatch::parse
