#include <modelwatch/parse/infer_fields.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace modelwatch::parse {
namespace {

using config::FeatureType;

class InferFieldsTest : public ::testing::Test {
 protected:
  void TearDown() override { std::filesystem::remove(path_); }

  InferredFields Infer(const std::string& content, std::string_view under) {
    std::ofstream(path_, std::ios::binary) << content;
    auto r = InferFields(path_, under);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r.value() : InferredFields{};
  }

  std::string path_ = (std::filesystem::temp_directory_path() /
                       ("infer-fields-" + std::to_string(::getpid()) + ".jsonl"))
                          .string();
};

TEST_F(InferFieldsTest, RowKeysSortedWithTheTypeTheirValuesSuggest) {
  InferredFields f =
      Infer("{\"b\":1,\"a\":\"x\",\"c\":true}\n{\"b\":2.5,\"a\":\"y\",\"c\":false}\n", "");
  ASSERT_EQ(f.fields.size(), 3u);
  EXPECT_EQ(f.fields[0].key, "a");
  EXPECT_EQ(f.fields[0].type, FeatureType::kCategorical);
  EXPECT_EQ(f.fields[1].key, "b");
  EXPECT_EQ(f.fields[1].type, FeatureType::kNumeric);
  EXPECT_EQ(f.fields[2].type, FeatureType::kCategorical);  // booleans are categories
  EXPECT_EQ(f.objects, 2u);
}

TEST_F(InferFieldsTest, OneStringMakesANumericLookingKeyCategorical) {
  InferredFields f = Infer("{\"z\":1}\n{\"z\":2}\n{\"z\":\"3\"}\n", "");
  ASSERT_EQ(f.fields.size(), 1u);
  EXPECT_EQ(f.fields[0].type, FeatureType::kCategorical);
}

TEST_F(InferFieldsTest, NullEmptyAndNanWordsDecideNothing) {
  InferredFields f = Infer(
      "{\"n\":1,\"m\":null}\n{\"n\":null}\n{\"n\":\"\"}\n{\"n\":\"NaN\"}\n{\"n\":\"-inf\"}\n", "");
  ASSERT_EQ(f.fields.size(), 2u);
  EXPECT_EQ(f.fields[0].key, "m");
  EXPECT_EQ(f.fields[0].type, FeatureType::kNumeric);  // only nulls: vacuously numeric
  EXPECT_EQ(f.fields[1].key, "n");
  EXPECT_EQ(f.fields[1].type, FeatureType::kNumeric);
  EXPECT_EQ(f.fields[1].lines, 5u);
}

TEST_F(InferFieldsTest, LogLinesAreReadUnderThePointer) {
  InferredFields f = Infer(
      "{\"ts\":1,\"in\":{\"age\":30,\"c\":\"US\"},\"out\":{\"s\":0.1}}\n"
      "{\"ts\":2,\"in\":{\"age\":31,\"new\":7}}\n"
      "{\"ts\":3,\"in\":[1]}\n{\"ts\":4}\n",
      "/in");
  ASSERT_EQ(f.fields.size(), 3u);
  EXPECT_EQ(f.fields[0].key, "age");
  EXPECT_EQ(f.fields[1].key, "c");
  EXPECT_EQ(f.fields[2].key, "new");
  EXPECT_EQ(f.objects, 2u);
}

TEST_F(InferFieldsTest, NestedPointerWithEscapesAndArrayIndex) {
  InferredFields f = Infer("{\"a/b\":[{\"k\":1}]}\n", "/a~1b/0");
  ASSERT_EQ(f.fields.size(), 1u);
  EXPECT_EQ(f.fields[0].key, "k");
}

TEST_F(InferFieldsTest, ObjectsAndArraysAreNotScalars) {
  InferredFields f = Infer("{\"o\":{\"x\":1},\"a\":[1],\"s\":1}\n{\"o\":2}\n", "");
  ASSERT_EQ(f.fields.size(), 1u);
  EXPECT_EQ(f.fields[0].key, "s");
  EXPECT_EQ(f.non_scalar, (std::vector<std::string>{"a", "o"}));
}

TEST_F(InferFieldsTest, SkipsBlankLinesBomAndCrlfAndCountsRejected) {
  InferredFields f = Infer("\xEF\xBB\xBF{\"a\":1}\r\n\n  \nnot json\n[1,2]\n{\"b\":2}", "");
  ASSERT_EQ(f.fields.size(), 2u);
  EXPECT_EQ(f.rejected_lines, 2u);
  EXPECT_EQ(f.objects, 2u);
}

TEST_F(InferFieldsTest, FailsOnAMissingFileOrABadPointer) {
  EXPECT_FALSE(InferFields("/nonexistent/ref.jsonl", "").ok());
  std::ofstream(path_) << "{}\n";
  EXPECT_FALSE(InferFields(path_, "inputs").ok());
  EXPECT_FALSE(InferFields(path_, "/a~2").ok());
}

TEST(ChildPointerTest, EscapesTildeAndSlash) {
  EXPECT_EQ(ChildPointer("/inputs", "a/b~c"), "/inputs/a~1b~0c");
  EXPECT_EQ(ChildPointer("", "x"), "/x");
}

}  // namespace
}  // namespace modelwatch::parse
