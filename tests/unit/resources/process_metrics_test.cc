#include <modelwatch/resources/process_metrics.h>

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace modelwatch::resources {
namespace {

namespace fs = std::filesystem;

// A hand-written /proc for pid 4242: 250 + 150 ticks of CPU, 8 threads, started 1000 ticks
// after boot, 100 MiB virtual, 300 resident pages, 3 descriptors.
class ProcessMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mw_proc_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    Write("stat", "cpu  1 2 3 4\nintr 5\nbtime 1700000000\nprocesses 99\n");
    // comm with a space and a ')' must not shift the fields after it.
    Write("4242/stat",
          "4242 (python3 (srv)) S 1 4242 4242 0 -1 4194560 500 0 0 0 250 150 0 0 20 0 8 0 1000 "
          "104857600 300 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0\n");
    Write("4242/limits",
          "Limit                     Soft Limit           Hard Limit           Units     \n"
          "Max cpu time              unlimited            unlimited            seconds   \n"
          "Max open files            1024                 524288               files     \n");
    Write("4242/io", "rchar: 10\nwchar: 20\nread_bytes: 4096\nwrite_bytes: 8192\n");
    fs::create_directories(root_ / "4242/fd");
    for (const char* fd : {"0", "1", "2"}) Write(std::string("4242/fd/") + fd, "");
  }
  void TearDown() override { fs::remove_all(root_); }

  void Write(const std::string& relative, const std::string& content) {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative) << content;
  }

  fs::path root_;
  const double ticks_ = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page_ = static_cast<double>(sysconf(_SC_PAGESIZE));
};

TEST_F(ProcessMetricsTest, ReadsEveryFieldFromAFakeProcTree) {
  Result<ProcessSample> sample = ReadProcess(4242, root_.string());
  ASSERT_TRUE(sample.ok()) << sample.status().message();
  const ProcessSample& s = sample.value();
  EXPECT_DOUBLE_EQ(s.cpu_seconds, 400 / ticks_);
  EXPECT_DOUBLE_EQ(s.threads, 8);
  EXPECT_DOUBLE_EQ(s.start_time_seconds, 1700000000 + 1000 / ticks_);
  EXPECT_DOUBLE_EQ(s.virtual_bytes, 104857600);
  EXPECT_DOUBLE_EQ(s.resident_bytes, 300 * page_);
  EXPECT_EQ(s.open_fds, 3);
  EXPECT_EQ(s.max_fds, 1024);
  EXPECT_EQ(s.read_bytes, 4096);
  EXPECT_EQ(s.written_bytes, 8192);
  EXPECT_EQ(s.comm, "python3 (srv)");
}

TEST_F(ProcessMetricsTest, UnlimitedOpenFilesIsInfinity) {
  Write("4242/limits",
        "Max open files            unlimited            unlimited            files\n");
  Result<ProcessSample> sample = ReadProcess(4242, root_.string());
  ASSERT_TRUE(sample.ok());
  EXPECT_TRUE(std::isinf(*sample.value().max_fds));
}

TEST_F(ProcessMetricsTest, UnreadableOptionalFilesLeaveTheirFieldsEmpty) {
  fs::remove_all(root_ / "4242/fd");
  fs::remove(root_ / "4242/limits");
  fs::remove(root_ / "4242/io");
  Result<ProcessSample> sample = ReadProcess(4242, root_.string());
  ASSERT_TRUE(sample.ok());
  EXPECT_FALSE(sample.value().open_fds.has_value());
  EXPECT_FALSE(sample.value().max_fds.has_value());
  EXPECT_FALSE(sample.value().read_bytes.has_value());
  EXPECT_DOUBLE_EQ(sample.value().threads, 8);
}

TEST_F(ProcessMetricsTest, MissingProcessFailsNamingThePath) {
  Result<ProcessSample> sample = ReadProcess(777, root_.string());
  ASSERT_FALSE(sample.ok());
  EXPECT_NE(sample.status().message().find("/777/stat"), std::string::npos);
}

TEST_F(ProcessMetricsTest, TruncatedStatFails) {
  Write("4242/stat", "4242 (x) S 1 4242 4242 0 -1 4194560 500 0 0 0 250\n");
  EXPECT_FALSE(ReadProcess(4242, root_.string()).ok());
}

TEST_F(ProcessMetricsTest, MissingBootTimeFails) {
  Write("stat", "cpu  1 2 3 4\n");
  EXPECT_FALSE(ReadProcess(4242, root_.string()).ok());
}

TEST(ProcessMetricsRealTest, SelfLooksLikeThisProcess) {
  Result<ProcessSample> sample = ReadProcess();
  ASSERT_TRUE(sample.ok()) << sample.status().message();
  const ProcessSample& s = sample.value();
  EXPECT_GT(s.resident_bytes, 1 << 20);
  EXPECT_GE(s.virtual_bytes, s.resident_bytes);
  EXPECT_GE(s.threads, 1);
  EXPECT_GE(s.open_fds.value_or(0), 3);  // stdin, stdout, stderr
  EXPECT_GT(s.max_fds.value_or(0), 0);
  EXPECT_GT(s.start_time_seconds, 1.5e9);
  EXPECT_LE(s.start_time_seconds, static_cast<double>(time(nullptr)) + 1);
  EXPECT_EQ(s.comm, "unit_resources");
}

}  // namespace
}  // namespace modelwatch::resources
