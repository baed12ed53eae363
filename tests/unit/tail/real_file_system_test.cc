#include <modelwatch/tail/file_system.h>

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <modelwatch/tail/tailer.h>

#include "unit/tail/recording_sink.h"

namespace modelwatch::tail {
namespace {

class RealFileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "mw_tail_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string PathOf(const std::string& name) const { return dir_ + "/" + name; }
  void WriteFile(const std::string& name, const std::string& bytes, bool append = false) {
    std::ofstream out(PathOf(name), append ? std::ios::app : std::ios::trunc);
    out << bytes;
  }
  std::string ReadAll(File& file, std::uint64_t offset, std::size_t n) {
    std::string buf(n, '\0');
    Result<std::size_t> got = file.ReadAt(offset, buf.data(), n);
    EXPECT_TRUE(got.ok()) << got.status().message();
    buf.resize(got.ok() ? got.value() : 0);
    return buf;
  }

  std::string dir_;
  std::unique_ptr<FileSystem> fs_ = MakeRealFileSystem();
};

TEST_F(RealFileSystemTest, GlobReturnsSortedMatchesOnly) {
  for (const char* name : {"c.log", "a.log", "b.log", "x.txt"}) WriteFile(name, "");
  Result<std::vector<std::string>> paths = fs_->Glob(PathOf("*.log"));
  ASSERT_TRUE(paths.ok());
  EXPECT_EQ(paths.value(),
            (std::vector<std::string>{PathOf("a.log"), PathOf("b.log"), PathOf("c.log")}));
}

TEST_F(RealFileSystemTest, GlobWithoutMatchesIsEmptyNotAnError) {
  Result<std::vector<std::string>> paths = fs_->Glob(PathOf("missing/*.log"));
  ASSERT_TRUE(paths.ok());
  EXPECT_TRUE(paths.value().empty());
}

TEST_F(RealFileSystemTest, StatAndFstatAgreeOnIdentityAndSize) {
  WriteFile("a.log", "hello\n");
  Result<FileInfo> by_path = fs_->Stat(PathOf("a.log"));
  Result<std::unique_ptr<File>> file = fs_->Open(PathOf("a.log"));
  ASSERT_TRUE(by_path.ok() && file.ok());
  Result<FileInfo> by_fd = file.value()->Stat();
  ASSERT_TRUE(by_fd.ok());
  EXPECT_EQ(by_fd.value().id, by_path.value().id);
  EXPECT_EQ(by_fd.value().size, 6u);
  EXPECT_TRUE(by_fd.value().is_regular);
}

TEST_F(RealFileSystemTest, ReadAtReadsFromOffsetAndZeroAtEnd) {
  WriteFile("a.log", "0123456789");
  Result<std::unique_ptr<File>> file = fs_->Open(PathOf("a.log"));
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(ReadAll(*file.value(), 3, 4), "3456");
  EXPECT_EQ(ReadAll(*file.value(), 10, 4), "");
}

TEST_F(RealFileSystemTest, ReadsContinueAfterUnlink) {
  WriteFile("a.log", "kept\n");
  Result<std::unique_ptr<File>> file = fs_->Open(PathOf("a.log"));
  ASSERT_TRUE(file.ok());
  ASSERT_EQ(unlink(PathOf("a.log").c_str()), 0);
  EXPECT_EQ(ReadAll(*file.value(), 0, 64), "kept\n");
  EXPECT_FALSE(fs_->Stat(PathOf("a.log")).ok());
}

TEST_F(RealFileSystemTest, DirectoriesAreNotRegularAndDoNotOpen) {
  std::filesystem::create_directory(PathOf("sub.log"));
  Result<FileInfo> info = fs_->Stat(PathOf("sub.log"));
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(info.value().is_regular);
  EXPECT_FALSE(fs_->Open(PathOf("sub.log")).ok());
}

TEST_F(RealFileSystemTest, TailerFollowsARenameRotationOnDisk) {
  TailerOptions options;
  options.paths = {PathOf("app.log*")};
  options.start_at = StartAt::kBeginning;
  Tailer tailer(*fs_, options);
  RecordingSink sink;
  WriteFile("app.log", "1\n");
  tailer.Poll(sink);
  WriteFile("app.log", "2\n", /*append=*/true);
  std::filesystem::rename(PathOf("app.log"), PathOf("app.log.1"));
  WriteFile("app.log", "3\n");
  tailer.Poll(sink);
  EXPECT_EQ(sink.events, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(tailer.stats().rotations, 1u);
}

}  // namespace
}  // namespace modelwatch::tail
