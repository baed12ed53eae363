#include "app/dir_watch.h"

#include <stdlib.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

namespace modelwatch::app {
namespace {

TEST(DirWatchTest, ANewFileWakesTheLoopBeforeThePollInterval) {
  char tmpl[] = "/tmp/mw-watch-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  DirWatch watch({dir + "/*.jsonl*"});
  if (watch.watches() == 0) GTEST_SKIP() << "inotify unavailable here";
  EXPECT_FALSE(watch.Wait(0.05));  // nothing happened
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::ofstream(dir + "/new.jsonl") << "{}\n";
  });
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(watch.Wait(10));
  const double waited =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  writer.join();
  EXPECT_LT(waited, 5.0);
}

TEST(DirWatchTest, AMissingDirectoryFallsBackToSleeping) {
  DirWatch watch({"/nonexistent/modelwatch/*.jsonl"});
  EXPECT_EQ(watch.watches(), 0);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(watch.Wait(0.1));
  EXPECT_GE(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 0.09);
}

}  // namespace
}  // namespace modelwatch::app
