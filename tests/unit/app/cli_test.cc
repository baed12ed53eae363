// Command-line errors are usage errors (exit 2) with a message, never an exception.
#include "app/cli.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace modelwatch::app {
namespace {

int Invoke(std::vector<std::string> args) {
  args.insert(args.begin(), "modelwatch");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return Main(static_cast<int>(argv.size()), argv.data());
}

TEST(CliTest, MalformedRateIsAUsageError) {
  EXPECT_EQ(Invoke({"demo", "--rate", "abc"}), kExitUsage);
  EXPECT_EQ(Invoke({"demo", "--rate", "-5"}), kExitUsage);
  EXPECT_EQ(Invoke({"demo", "--rate", "10x"}), kExitUsage);
}

TEST(CliTest, MissingRequiredFlagsAndStrayArgumentsAreUsageErrors) {
  EXPECT_EQ(Invoke({"run"}), kExitUsage);
  EXPECT_EQ(Invoke({"baseline", "--config", "x.yaml"}), kExitUsage);
  EXPECT_EQ(Invoke({"check", "--config", "x.yaml"}), kExitUsage);
  EXPECT_EQ(Invoke({"check-config", "--config", "x.yaml", "extra"}), kExitUsage);
  EXPECT_EQ(Invoke({"demo", "stray"}), kExitUsage);
  EXPECT_EQ(Invoke({"run", "--config"}), kExitUsage);
  EXPECT_EQ(Invoke({"nope"}), kExitUsage);
}

TEST(CliTest, UnreadableConfigurationIsAnError) {
  EXPECT_EQ(Invoke({"check-config", "--config", "/nonexistent/modelwatch.yaml"}), kExitError);
}

}  // namespace
}  // namespace modelwatch::app
