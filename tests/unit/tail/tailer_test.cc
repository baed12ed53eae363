#include <modelwatch/tail/tailer.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "unit/tail/recording_sink.h"

namespace modelwatch::tail {
namespace {

using Lines = std::vector<std::string>;

class TailerTest : public ::testing::Test {
 protected:
  Tailer& Make(StartAt start_at = StartAt::kEnd, std::vector<std::string> paths = {"/logs/*.log*"},
               std::size_t chunk = 4096) {
    TailerOptions o;
    o.paths = std::move(paths);
    o.exclude = {"*.gz"};
    o.start_at = start_at;
    o.max_line_bytes = 64;
    o.read_chunk_bytes = chunk;
    o.max_open_files = max_open_files_;
    o.max_bytes_per_poll = max_bytes_per_poll_;
    tailer_ = std::make_unique<Tailer>(fs_, std::move(o));
    return *tailer_;
  }
  Lines Poll() {
    tailer_->Poll(sink_);
    return sink_.Take();
  }

  MemFileSystem fs_;
  RecordingSink sink_;
  std::uint64_t max_bytes_per_poll_ = 0;
  std::unique_ptr<Tailer> tailer_;
  std::size_t max_open_files_ = 256;
};

TEST_F(TailerTest, StartAtEndSkipsExistingLinesAndReadsAppendedOnes) {
  fs_.Write("/logs/a.log", "old1\nold2\n");
  Make(StartAt::kEnd);
  EXPECT_EQ(Poll(), Lines{});
  fs_.Append("/logs/a.log", "new\n");
  EXPECT_EQ(Poll(), Lines{"new"});
}

TEST_F(TailerTest, BacklogIsReadInBoundedSlicesWithoutLoss) {
  max_bytes_per_poll_ = 8;
  fs_.Write("/logs/a.log", "l1\nl2\nl3\nl4\nl5\n");  // 15 bytes
  Make(StartAt::kBeginning, {"/logs/*.log*"}, 4);
  EXPECT_EQ(Poll(), (Lines{"l1", "l2"}));
  EXPECT_EQ(tailer_->stats().lag_bytes, 9u);
  EXPECT_EQ(Poll(), (Lines{"l3", "l4", "l5"}));
  EXPECT_EQ(tailer_->stats().lag_bytes, 0u);
}

TEST_F(TailerTest, RotatedFileIsReadToItsEndWhateverTheSlice) {
  max_bytes_per_poll_ = 4;
  fs_.Write("/logs/a.log", "");
  Make(StartAt::kBeginning, {"/logs/a.log"}, 4);
  Poll();
  fs_.Append("/logs/a.log", "one\ntwo\nthree\n");
  fs_.Rename("/logs/a.log", "/logs/a.log.1");  // rotated away: not matched any more
  EXPECT_EQ(Poll(), (Lines{"one", "two", "three"}));
}

TEST_F(TailerTest, StartAtBeginningReadsExistingLines) {
  fs_.Write("/logs/a.log", "old1\nold2\n");
  Make(StartAt::kBeginning);
  EXPECT_EQ(Poll(), (Lines{"old1", "old2"}));
}

TEST_F(TailerTest, StartAtEndBacksUpToTheLineInProgress) {
  fs_.Write("/logs/a.log", "old\npar");
  Make(StartAt::kEnd);
  EXPECT_EQ(Poll(), Lines{});
  fs_.Append("/logs/a.log", "tial\n");
  EXPECT_EQ(Poll(), Lines{"partial"});
}

TEST_F(TailerTest, PartialLineWaitsForItsNewline) {
  Make();
  fs_.Write("/logs/a.log", "{\"a\":");
  EXPECT_EQ(Poll(), Lines{});
  fs_.Append("/logs/a.log", "1}\n{");
  EXPECT_EQ(Poll(), Lines{"{\"a\":1}"});
}

TEST_F(TailerTest, FileMatchingTheGlobLaterIsReadFromZero) {
  Make(StartAt::kEnd);
  Poll();
  fs_.Write("/logs/b.log", "b1\nb2\n");
  EXPECT_EQ(Poll(), (Lines{"b1", "b2"}));
}

TEST_F(TailerTest, ExcludedAndNonMatchingFilesAreNotRead) {
  Make(StartAt::kBeginning, {"/logs/*"});
  fs_.Write("/logs/a.log.1.gz", "zipped\n");
  fs_.Write("/other/a.log", "elsewhere\n");
  fs_.Write("/logs/a.log", "kept\n");
  EXPECT_EQ(Poll(), Lines{"kept"});
  EXPECT_EQ(tailer_->stats().files, 1u);
}

TEST_F(TailerTest, ExcludePatternMatchesTheFullPathToo) {
  TailerOptions o;
  o.paths = {"/logs/*/*.log"};
  o.exclude = {"/logs/old/*"};
  o.start_at = StartAt::kBeginning;
  fs_.Write("/logs/old/a.log", "old\n");
  fs_.Write("/logs/new/a.log", "new\n");
  Tailer tailer(fs_, o);
  tailer.Poll(sink_);
  EXPECT_EQ(sink_.Take(), Lines{"new"});
}

TEST_F(TailerTest, FileMatchedByTwoGlobsIsReadOnce) {
  fs_.Write("/logs/a.log", "once\n");
  Make(StartAt::kBeginning, {"/logs/*.log", "/logs/a.*"});
  EXPECT_EQ(Poll(), Lines{"once"});
  EXPECT_EQ(tailer_->stats().files, 1u);
}

TEST_F(TailerTest, PartialLinesDoNotMixBetweenFiles) {
  Make(StartAt::kBeginning);
  fs_.Write("/logs/a.log", "aa");
  fs_.Write("/logs/b.log", "bb");
  Poll();
  fs_.Append("/logs/b.log", "B\n");
  fs_.Append("/logs/a.log", "A\n");
  EXPECT_EQ(Poll(), (Lines{"aaA", "bbB"}));
}

TEST_F(TailerTest, RenameRotationReadsOldFileToEndThenNewFile) {
  Make(StartAt::kBeginning);
  fs_.Write("/logs/a.log", "1\n");
  EXPECT_EQ(Poll(), Lines{"1"});
  fs_.Append("/logs/a.log", "2\n3");
  fs_.Rename("/logs/a.log", "/logs/a.log.1");  // still matches the glob
  fs_.Append("/logs/a.log.1", "\n");           // the writer finishes its line
  fs_.Write("/logs/a.log", "4\n");
  EXPECT_EQ(Poll(), (Lines{"2", "3", "4"}));
  EXPECT_EQ(tailer_->stats().rotations, 1u);
  fs_.Append("/logs/a.log", "5\n");
  EXPECT_EQ(Poll(), Lines{"5"});
  EXPECT_EQ(tailer_->stats().files, 2u);
}

TEST_F(TailerTest, RotatedAwayFileIsReadToEndAndClosed) {
  Make(StartAt::kBeginning, {"/logs/a.log"});
  fs_.Write("/logs/a.log", "1\n");
  Poll();
  fs_.Append("/logs/a.log", "2\n");
  fs_.Rename("/logs/a.log", "/logs/a.log.1");  // no longer matches
  fs_.Write("/logs/a.log", "3\n");
  EXPECT_EQ(Poll(), (Lines{"2", "3"}));
  EXPECT_EQ(tailer_->stats().rotations, 1u);
  EXPECT_EQ(tailer_->stats().files, 1u);
  EXPECT_EQ(tailer_->stats().bytes_lost_deleted, 0u);
}

TEST_F(TailerTest, RotationSpanningTwoPollsIsCountedOnce) {
  Make(StartAt::kBeginning, {"/logs/a.log"});
  fs_.Write("/logs/a.log", "1\n");
  Poll();
  fs_.Rename("/logs/a.log", "/logs/a.log.1");
  Poll();
  fs_.Write("/logs/a.log", "2\n");
  EXPECT_EQ(Poll(), Lines{"2"});
  EXPECT_EQ(tailer_->stats().rotations, 1u);
}

// A listing taken while a file is renamed within the directory may report neither name
// (readdir leaves it unspecified); the file is dropped as gone, then found again under its new
// name. It resumes where it stopped: a rotated file was once read twice this way (100,000
// duplicate lines in rotation_test under load).
TEST_F(TailerTest, AFileMissedByOneListingIsNotReadTwice) {
  Make(StartAt::kBeginning);
  fs_.Write("/logs/a.log", "1\n2\n");
  EXPECT_EQ(Poll(), (Lines{"1", "2"}));
  fs_.Rename("/logs/a.log", "/logs/hidden");  // the listing sees neither name
  EXPECT_EQ(Poll(), Lines{});
  fs_.Rename("/logs/hidden", "/logs/a.log.1");
  fs_.Append("/logs/a.log.1", "3\n");
  EXPECT_EQ(Poll(), Lines{"3"});
  EXPECT_EQ(tailer_->stats().truncations, 0u);
  EXPECT_EQ(tailer_->stats().bytes_lost_deleted, 0u);
}

// The same inode soon after a deletion, with other content, is a new file read from 0.
TEST_F(TailerTest, AnInodeReusedSoonAfterADeletionIsANewFile) {
  Make(StartAt::kBeginning);
  fs_.Write("/logs/a.log", "old1\nold2\n");  // inode 1
  EXPECT_EQ(Poll(), (Lines{"old1", "old2"}));
  fs_.Remove("/logs/a.log");
  EXPECT_EQ(Poll(), Lines{});
  fs_.WriteReusingInode("/logs/b.log", 1, "new1\nnew2\nnew3\n");
  EXPECT_EQ(Poll(), (Lines{"new1", "new2", "new3"}));
  EXPECT_EQ(tailer_->stats().truncations, 0u);
}

// Two copytruncates between two polls of a slow daemon: the live file is truncated again before
// the copy of its earlier content is seen. Each copy still continues where reading of its content
// stopped (rotation_test once counted one rotation's lines twice under load).
TEST_F(TailerTest, TwoCopytruncatesBetweenPollsReadNoLineTwice) {
  Make(StartAt::kBeginning);
  fs_.Write("/logs/a.log", "a1\na2\n");
  EXPECT_EQ(Poll(), (Lines{"a1", "a2"}));
  fs_.Append("/logs/a.log", "a3\n");
  fs_.Write("/logs/hidden", fs_.Contents("/logs/a.log"));  // copy of "a", not listed yet
  fs_.Truncate("/logs/a.log", 0);
  fs_.Append("/logs/a.log", "b1\n");
  EXPECT_EQ(Poll(), Lines{"b1"});
  fs_.Append("/logs/a.log", "b2\n");
  fs_.Write("/logs/a.log.1", fs_.Contents("/logs/a.log"));  // copy of "b"
  fs_.Truncate("/logs/a.log", 0);
  fs_.Append("/logs/a.log", "c1\n");
  fs_.Rename("/logs/hidden", "/logs/a.log.2");
  Lines got = Poll();
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (Lines{"a3", "b2", "c1"}));
  EXPECT_EQ(tailer_->stats().copies, 2u);
  EXPECT_EQ(Poll(), Lines{});
  EXPECT_EQ(tailer_->stats().bytes_lost_truncated, 0u);
}

// A listing taken while a rotation renames files can miss the copy, and a starved daemon can see
// several truncations before the copies are listed: each copy is recognised within
// kPriorPolls polls of its truncation (rotation_test's 220,000 lines of 200,000 under load).
TEST_F(TailerTest, CopiesListedPollsAfterTheirTruncationsAreNotReadAgain) {
  Make(StartAt::kBeginning);
  fs_.Write("/logs/a.log", "a1\na2\n");
  EXPECT_EQ(Poll(), (Lines{"a1", "a2"}));
  const char* hidden[] = {"/logs/hidden-a", "/logs/hidden-b", "/logs/hidden-c"};
  const char* next[] = {"b1", "c1", "d1"};
  for (int i = 0; i < 3; ++i) {
    fs_.Write(hidden[i], fs_.Contents("/logs/a.log"));  // the copy, not listed yet
    fs_.Truncate("/logs/a.log", 0);
    fs_.Append("/logs/a.log", std::string(next[i]) + "\n");
    EXPECT_EQ(Poll(), Lines{next[i]});
  }
  EXPECT_EQ(Poll(), Lines{});
  for (int i = 0; i < 3; ++i) fs_.Rename(hidden[i], "/logs/a.log." + std::to_string(3 - i));
  EXPECT_EQ(Poll(), Lines{});
  EXPECT_EQ(tailer_->stats().copies, 3u);
  EXPECT_EQ(tailer_->stats().truncations, 3u);
  for (std::uint64_t i = 0; i <= Tailer::kPriorPolls; ++i) EXPECT_EQ(Poll(), Lines{});
  EXPECT_EQ(tailer_->stats().bytes_lost_truncated, 0u);
}

TEST_F(TailerTest, TruncationRestartsAtZeroAndCountsThePartialAsLost) {
  Make(StartAt::kBeginning);
  fs_.Write("/logs/a.log", "aaa\nbb");
  EXPECT_EQ(Poll(), Lines{"aaa"});
  fs_.Truncate("/logs/a.log", 0);
  fs_.Append("/logs/a.log", "c\n");
  EXPECT_EQ(Poll(), Lines{"c"});
  EXPECT_EQ(tailer_->stats().truncations, 1u);
  // The loss is final once no copy of the old content showed up (copytruncate) within
  // kPriorPolls polls.
  for (std::uint64_t i = 1; i < Tailer::kPriorPolls; ++i) {
    EXPECT_EQ(Poll(), Lines{});
    EXPECT_EQ(tailer_->stats().bytes_lost_truncated, 0u) << "poll " << i;
  }
  EXPECT_EQ(Poll(), Lines{});
  EXPECT_EQ(tailer_->stats().bytes_lost_truncated, 2u);
}

TEST_F(TailerTest, DeletedFileIsReadToEndThenClosed) {
  Make(StartAt::kBeginning);
  fs_.Write("/logs/a.log", "1\n");
  Poll();
  fs_.Append("/logs/a.log", "2\n");
  fs_.Remove("/logs/a.log");
  EXPECT_EQ(Poll(), Lines{"2"});
  EXPECT_EQ(tailer_->stats().files, 0u);
  EXPECT_EQ(tailer_->stats().rotations, 0u);
  EXPECT_EQ(tailer_->stats().bytes_lost_deleted, 0u);
}

TEST_F(TailerTest, LagCountsUnreadBytesAndThePartialLine) {
  max_open_files_ = 1;
  Make(StartAt::kBeginning);
  fs_.Write("/logs/a.log", "1\n22");
  fs_.Write("/logs/b.log", "12345\n");  // waits: only one file may be open
  EXPECT_EQ(Poll(), Lines{"1"});
  EXPECT_EQ(tailer_->stats().lag_bytes, 2u + 6u);
  fs_.Remove("/logs/a.log");
  EXPECT_EQ(Poll(), Lines{"12345"});
  EXPECT_EQ(tailer_->stats().lag_bytes, 0u);
  EXPECT_EQ(tailer_->stats().bytes_lost_deleted, 2u);  // "22" never got its newline
}

TEST_F(TailerTest, FileDeletedBeforeItCouldBeOpenedCountsItsBytesAsLost) {
  max_open_files_ = 1;
  Make(StartAt::kBeginning);
  fs_.Write("/logs/a.log", "1\n");
  fs_.Write("/logs/b.log", "1234\n");
  Poll();
  fs_.Remove("/logs/b.log");
  Poll();
  EXPECT_EQ(tailer_->stats().bytes_lost_deleted, 5u);
}

TEST_F(TailerTest, StatsCountLinesBytesAndOverLongLines) {
  Make(StartAt::kBeginning);
  fs_.Write("/logs/a.log", "a\n\n" + std::string(100, 'x') + "\nb\n");
  EXPECT_EQ(Poll(), (Lines{"a", kTooLongMarker, "b"}));
  const TailerStats s = tailer_->stats();
  EXPECT_EQ(s.lines, 3u);
  EXPECT_EQ(s.lines_too_long, 1u);
  EXPECT_EQ(s.bytes_read, 106u);
}

TEST_F(TailerTest, SmallReadChunksGiveTheSameLines) {
  Make(StartAt::kBeginning, {"/logs/*.log*"}, /*chunk=*/3);
  fs_.Write("/logs/a.log", "alpha\r\nbeta\n\ngamma\n");
  EXPECT_EQ(Poll(), (Lines{"alpha", "beta", "gamma"}));
}

TEST_F(TailerTest, GlobFailureClosesNothing) {
  Make(StartAt::kBeginning);
  fs_.Write("/logs/a.log", "1\n");
  Poll();
  fs_.set_fail_glob(true);
  fs_.Append("/logs/a.log", "2\n");
  EXPECT_EQ(Poll(), Lines{"2"});
  EXPECT_EQ(tailer_->stats().files, 1u);
  EXPECT_GT(tailer_->stats().io_errors, 0u);
  fs_.set_fail_glob(false);
  fs_.Append("/logs/a.log", "3\n");
  EXPECT_EQ(Poll(), Lines{"3"});
}

TEST_F(TailerTest, FailedOpenIsRetriedFromTheSamePosition) {
  Make(StartAt::kEnd);
  Poll();
  fs_.set_fail_open(true);
  fs_.Write("/logs/a.log", "1\n");
  EXPECT_EQ(Poll(), Lines{});
  fs_.set_fail_open(false);
  EXPECT_EQ(Poll(), Lines{"1"});
}

TEST_F(TailerTest, FilesReportsPositionsAndSizes) {
  Make(StartAt::kBeginning);
  fs_.Write("/logs/b.log", "1\n2");
  fs_.Write("/logs/a.log", "x\n");
  Poll();
  const std::vector<FileStatus> files = tailer_->Files();
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].path, "/logs/a.log");
  EXPECT_EQ(files[1].path, "/logs/b.log");
  EXPECT_EQ(files[1].position, 2u);
  EXPECT_EQ(files[1].size, 3u);
  EXPECT_EQ(files[1].id, fs_.Stat("/logs/b.log").value().id);
}

TEST_F(TailerTest, RestoredPositionsResumeWithThePartialLine) {
  Make(StartAt::kBeginning);
  fs_.Write("/logs/a.log", "1\n2");
  Poll();
  std::vector<FilePosition> saved = tailer_->Positions();
  fs_.Append("/logs/a.log", "3\n");
  fs_.Write("/logs/new.log", "n\n");  // appeared while down: read from 0
  Make(StartAt::kEnd);
  tailer_->RestorePositions(saved);
  EXPECT_EQ(Poll(), (Lines{"23", "n"}));
}

TEST_F(TailerTest, RestoredFileNowSmallerCountsAsTruncated) {
  Make(StartAt::kBeginning);
  fs_.Write("/logs/a.log", "1111\n");
  Poll();
  std::vector<FilePosition> saved = tailer_->Positions();
  fs_.Truncate("/logs/a.log", 0);
  fs_.Append("/logs/a.log", "2\n");
  Make(StartAt::kEnd);
  tailer_->RestorePositions(saved);
  EXPECT_EQ(Poll(), Lines{"2"});
  EXPECT_EQ(tailer_->stats().truncations, 1u);
}

TEST_F(TailerTest, InodeReusedWithNewContentIsReadFromZero) {
  Make(StartAt::kBeginning);
  fs_.Write("/logs/a.log", "old-1\nold-2\n");
  Poll();
  std::vector<FilePosition> saved = tailer_->Positions();
  const std::uint64_t inode = fs_.Stat("/logs/a.log").value().id.inode;
  // While down: the file is deleted and the file system hands its inode to new content that is
  // already longer than the saved offset.
  fs_.Remove("/logs/a.log");
  fs_.WriteReusingInode("/logs/a.log", inode, "brand-new-1\nbrand-new-2\n");
  Make(StartAt::kEnd);
  tailer_->RestorePositions(saved);
  EXPECT_EQ(Poll(), (Lines{"brand-new-1", "brand-new-2"}));
}

TEST_F(TailerTest, CopytruncateRegrownPastTheOffsetWhileDownRestartsAtZero) {
  Make(StartAt::kBeginning);
  fs_.Write("/logs/a.log", "line-1\nline-2\n");
  Poll();
  std::vector<FilePosition> saved = tailer_->Positions();
  // While down: more lines, copytruncate (the copy is excluded: compressed at once), regrowth.
  fs_.Append("/logs/a.log", "line-3\n");
  fs_.Truncate("/logs/a.log", 0);
  fs_.Append("/logs/a.log", "line-4-is-longer\nline-5\n");
  Make(StartAt::kEnd);
  tailer_->RestorePositions(saved);
  EXPECT_EQ(Poll(), (Lines{"line-4-is-longer", "line-5"}));
  EXPECT_EQ(tailer_->stats().truncations, 1u);
}

TEST_F(TailerTest, CopytruncateCopyGoesOnWhereTheOriginalStopped) {
  Make(StartAt::kBeginning);
  fs_.Write("/logs/a.log", "1\n2\n");
  EXPECT_EQ(Poll(), (Lines{"1", "2"}));
  fs_.Append("/logs/a.log", "3\n");
  fs_.Write("/logs/a.log.1", fs_.Contents("/logs/a.log"));  // the copy
  fs_.Truncate("/logs/a.log", 0);
  fs_.Append("/logs/a.log", "4\n");
  // "3" was written before the copy and never read from the original: read from the copy.
  Lines got = Poll();
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (Lines{"3", "4"}));
  EXPECT_EQ(tailer_->stats().copies, 1u);
  EXPECT_EQ(tailer_->stats().bytes_lost_truncated, 0u);
  fs_.Append("/logs/a.log", "5\n");
  EXPECT_EQ(Poll(), Lines{"5"});
}

TEST_F(TailerTest, CopySeenBeforeTheTruncationIsShadowedThenReleased) {
  Make(StartAt::kBeginning);
  fs_.Write("/logs/a.log", "1\n2\n");
  Poll();
  fs_.Append("/logs/a.log", "3\n");
  fs_.Write("/logs/a.log.1", fs_.Contents("/logs/a.log"));
  EXPECT_EQ(Poll(), Lines{"3"});  // through the original; the copy is a shadow
  EXPECT_EQ(tailer_->stats().lag_bytes, 0u);
  fs_.Append("/logs/a.log", "4\n");  // between the copy and the truncation: lost
  EXPECT_EQ(Poll(), Lines{"4"});     // ... unless a poll reads it first, as here
  fs_.Truncate("/logs/a.log", 0);
  fs_.Append("/logs/a.log", "5\n");
  EXPECT_EQ(Poll(), Lines{"5"});
  EXPECT_EQ(tailer_->stats().bytes_lost_truncated, 0u);
  // A restart while the copy is a shadow does not read it again either.
  fs_.Write("/logs/b.log", "b1\n");
  fs_.Write("/logs/b.log.1", "b1\n");
  Poll();
  std::vector<FilePosition> saved = tailer_->Positions();
  Make(StartAt::kEnd);
  tailer_->RestorePositions(saved);
  EXPECT_EQ(Poll(), Lines{});
}

TEST_F(TailerTest, BytesSeenButNotInTheCopyCountAsLost) {
  max_bytes_per_poll_ = 4;
  Make(StartAt::kBeginning, {"/logs/*.log*"}, 4);
  fs_.Write("/logs/a.log", "1\n");
  EXPECT_EQ(Poll(), Lines{"1"});
  fs_.Write("/logs/a.log.1", fs_.Contents("/logs/a.log"));  // copy: "1\n"
  fs_.Append("/logs/a.log", "2\n3\n4\n");                   // in the window, seen by a scan
  Poll();                                                   // reads "2\n3\n" (the slice)
  fs_.Truncate("/logs/a.log", 0);
  Poll();
  // "4\n" was in the original (its size was seen) and is in neither file now.
  EXPECT_EQ(tailer_->stats().bytes_lost_truncated, 2u);
}

TEST_F(TailerTest, RotatedAwayWhileDownCountsItsUnreadBytesAsLost) {
  max_bytes_per_poll_ = 4;
  Make(StartAt::kBeginning, {"/logs/*.log*"}, 4);
  fs_.Write("/logs/a.log", "1\n2\n3\n4\n");
  EXPECT_EQ(Poll(), (Lines{"1", "2"}));  // 4 of 8 bytes read
  std::vector<FilePosition> saved = tailer_->Positions();
  // While down: rotated and gzip'ed before it was drained.
  fs_.Rename("/logs/a.log", "/logs/a.log.1.gz");
  Make(StartAt::kEnd);
  tailer_->RestorePositions(saved);
  Poll();
  EXPECT_EQ(tailer_->stats().bytes_lost_rotated_away, 4u);
}

TEST_F(TailerTest, RotatedSiblingIsFinishedFirstAfterARestart) {
  Make(StartAt::kBeginning);
  fs_.Write("/logs/z.log", "a1\n");
  Poll();
  std::vector<FilePosition> saved = tailer_->Positions();
  fs_.Append("/logs/z.log", "a2\n");
  fs_.Rename("/logs/z.log", "/logs/z.log.1");
  fs_.Write("/logs/z.log", "b1\n");
  Make(StartAt::kEnd);
  tailer_->RestorePositions(saved);
  EXPECT_EQ(Poll(), (Lines{"a2", "b1"}));
}

}  // namespace
}  // namespace modelwatch::tail
