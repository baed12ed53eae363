#include <modelwatch/state/checkpoint.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace modelwatch::state {
namespace {

Checkpoint Sample() {
  Checkpoint c;
  c.written_at = 1700000000.5;
  tail::FilePosition f;
  f.path = "/var/log/p.jsonl";
  f.id = {2049, 77};
  f.offset = 1234;
  f.partial = "{\"half\":";
  f.size = 1300;
  f.head_len = 1024;
  f.head_hash = 0x1234567890abcdefull;
  f.tail_len = 256;
  f.tail_hash = 42;
  c.positions.push_back({"fraud", "predictions", {f}});
  c.aggregates.push_back({"fraud", std::string("\0\1\2aggregates", 13)});
  return c;
}

std::string TempDir() {
  char tmpl[] = "/tmp/mw-ckpt-XXXXXX";
  const char* d = mkdtemp(tmpl);
  EXPECT_NE(d, nullptr);
  return d;
}

TEST(CheckpointTest, RoundTrips) {
  const std::string bytes = EncodeCheckpoint(Sample());
  auto d = DecodeCheckpoint(bytes);
  ASSERT_TRUE(d.ok()) << d.status().message();
  const Checkpoint& c = d.value().checkpoint;
  EXPECT_EQ(d.value().aggregates_problem, "");
  EXPECT_DOUBLE_EQ(c.written_at, 1700000000.5);
  ASSERT_EQ(c.positions.size(), 1u);
  const tail::FilePosition& f = c.positions[0].files.at(0);
  EXPECT_EQ(f.path, "/var/log/p.jsonl");
  EXPECT_EQ(f.id.inode, 77u);
  EXPECT_EQ(f.offset, 1234u);
  EXPECT_EQ(f.partial, "{\"half\":");
  EXPECT_EQ(f.head_hash, 0x1234567890abcdefull);
  EXPECT_EQ(c.aggregates.at(0).bytes, std::string("\0\1\2aggregates", 13));
}

TEST(CheckpointTest, EmptyTruncatedAndCorruptFilesAreRejected) {
  const std::string bytes = EncodeCheckpoint(Sample());
  EXPECT_FALSE(DecodeCheckpoint("").ok());
  EXPECT_FALSE(DecodeCheckpoint("garbage that is long enough").ok());
  // Every truncation that cuts into the positions section is an error; cuts inside the
  // aggregates section keep the positions and report the aggregates.
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    auto d = DecodeCheckpoint(std::string_view(bytes).substr(0, n));
    if (d.ok()) {
      EXPECT_FALSE(d.value().aggregates_problem.empty()) << n;
      EXPECT_EQ(d.value().checkpoint.positions.size(), 1u);
    }
  }
  std::mt19937 rng(5);
  for (int i = 0; i < 2000; ++i) {
    std::string copy = bytes;
    copy[rng() % copy.size()] ^= static_cast<char>(1 + rng() % 255);
    auto d = DecodeCheckpoint(copy);
    if (d.ok() && d.value().aggregates_problem.empty()) {
      // A flip the checksums cannot see is impossible except in the unchecked header time.
      EXPECT_EQ(d.value().checkpoint.positions.at(0).files.at(0).offset, 1234u);
    }
  }
}

TEST(CheckpointTest, BadAggregatesKeepThePositions) {
  std::string bytes = EncodeCheckpoint(Sample());
  bytes[bytes.size() - 3] ^= 0x55;  // inside the aggregates payload
  auto d = DecodeCheckpoint(bytes);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().aggregates_problem, "checksum mismatch");
  EXPECT_EQ(d.value().checkpoint.positions.at(0).files.at(0).offset, 1234u);
  EXPECT_TRUE(d.value().checkpoint.aggregates.empty());
}

TEST(CheckpointTest, WriteReadAndMoveAside) {
  const std::string dir = TempDir();
  bool absent = false;
  auto none = ReadCheckpointFile(dir, &absent);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(absent);
  const std::string bytes = EncodeCheckpoint(Sample());
  ASSERT_TRUE(WriteCheckpointFile(dir, bytes).ok());
  auto back = ReadCheckpointFile(dir, &absent);
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(absent);
  EXPECT_EQ(back.value(), bytes);
  struct stat st;
  EXPECT_NE(::stat((dir + "/checkpoint.tmp").c_str(), &st), 0);  // no temporary left
  auto moved = MoveCheckpointAside(dir, 1234);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved.value(), dir + "/checkpoint.corrupt.1234");
  EXPECT_EQ(::stat(moved.value().c_str(), &st), 0);
  (void)ReadCheckpointFile(dir, &absent);
  EXPECT_TRUE(absent);
}

TEST(CheckpointTest, ReadOnlyDirectoryFailsToWriteAndKeepsTheOldFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  const std::string dir = TempDir();
  ASSERT_TRUE(WriteCheckpointFile(dir, "old").ok());
  ASSERT_EQ(::chmod(dir.c_str(), 0500), 0);
  EXPECT_FALSE(WriteCheckpointFile(dir, "new").ok());
  ::chmod(dir.c_str(), 0700);
  bool absent = false;
  EXPECT_EQ(ReadCheckpointFile(dir, &absent).value(), "old");
}

TEST(CheckpointTest, SecondLockOnADirectoryFailsNamingIt) {
  const std::string dir = TempDir() + "/state";
  auto first = DirectoryLock::Acquire(dir);
  ASSERT_TRUE(first.ok()) << first.status().message();
  auto second = DirectoryLock::Acquire(dir);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find(dir), std::string::npos);
  EXPECT_NE(second.status().message().find(std::to_string(::getpid())), std::string::npos);
  first.value().reset();
  EXPECT_TRUE(DirectoryLock::Acquire(dir).ok());
}

}  // namespace
}  // namespace modelwatch::state
