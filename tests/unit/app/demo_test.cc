#include "app/demo.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace modelwatch::app {
namespace {

std::string TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "demo-test-XXXXXX").string();
  EXPECT_NE(mkdtemp(pattern.data()), nullptr);
  return pattern;
}

std::size_t CountLines(const std::string& path) {
  std::ifstream in(path);
  return std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n');
}

TEST(PrepareDemo, WritesReferenceConfigAndEmptyLog) {
  std::string dir = TempDir(), used;
  auto config = PrepareDemo({.directory = dir}, &used);
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config.value(), used + "/modelwatch.yaml");
  EXPECT_EQ(CountLines(used + "/reference.jsonl"), 50000u);
  EXPECT_EQ(CountLines(used + "/predictions.jsonl"), 0u);
  std::filesystem::remove_all(dir);
}

TEST(PrepareDemo, RejectsAnUnknownScenario) {
  auto config = PrepareDemo({.scenario = "chaos", .directory = "/nonexistent/never"}, nullptr);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("chaos"), std::string::npos);
}

TEST(PrepareDemo, AcceptsEveryScenario) {
  for (const char* scenario : {"none", "drift", "quality"}) {
    std::string dir = TempDir();
    EXPECT_TRUE(PrepareDemo({.scenario = scenario, .directory = dir}, nullptr).ok()) << scenario;
    std::filesystem::remove_all(dir);
  }
}

TEST(DemoConfigYaml, NamesTheLogTheAddressAndEveryFeature) {
  std::string y = DemoConfigYaml({.listen_address = ":10123"}, "/d");
  EXPECT_NE(y.find("listen_address: \":10123\""), std::string::npos);
  EXPECT_NE(y.find("paths: [\"/d/predictions.jsonl\"]"), std::string::npos);
  EXPECT_NE(y.find("windows: [1m, 5m, 1h]"), std::string::npos);
  for (std::string_view f : kDemoCategoricalFeatures) {
    EXPECT_NE(y.find("path: /inputs/" + std::string(f) + ", type: categorical"), std::string::npos);
  }
  EXPECT_NE(y.find("path: /outputs/label, type: categorical"), std::string::npos);
}

TEST(DemoWriter, StartWritesTheBackfillAtOnce) {
  std::string dir = TempDir(), used;
  DemoOptions options{.rate = 10, .directory = dir, .backfill = 30};
  ASSERT_TRUE(PrepareDemo(options, &used).ok());
  DemoWriter writer(options, used);
  ASSERT_TRUE(writer.Start().ok());
  writer.Stop();
  EXPECT_GE(CountLines(used + "/predictions.jsonl"), 300u);
  EXPECT_FALSE(DemoWriter(options, "/nonexistent/never").Start().ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace modelwatch::app
