// The model server reader against real child processes (pid_file, name) and cgroup v2 fixtures.
#include <modelwatch/resources/model_server.h>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <modelwatch/resources/cgroup.h>

namespace modelwatch::resources {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif
#else
constexpr bool kAsan = false;
#endif

namespace fs = std::filesystem;

constexpr std::size_t kHeldBytes = 256u << 20;  // 256 MiB
constexpr double kBurnSeconds = 0.6;

double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// A child that (optionally) holds kHeldBytes of touched memory and burns CPU until its own CPU
// clock reads kBurnSeconds, reports that clock over a pipe, then waits to be killed.
struct Child {
  pid_t pid = 0;
  double cpu_seconds = 0;  // as the child measured it

  static Child Start(const char* comm, bool work) {
    int fds[2];
    EXPECT_EQ(pipe(fds), 0);
    Child c;
    c.pid = fork();
    if (c.pid == 0) {
      close(fds[0]);
      prctl(PR_SET_NAME, comm, 0, 0, 0);
      double used = 0;
      if (work) {
        auto* block = static_cast<volatile char*>(std::malloc(kHeldBytes));
        for (std::size_t i = 0; i < kHeldBytes; i += 4096) block[i] = static_cast<char>(i);
        volatile double x = 1;
        while (ProcessCpuSeconds() < kBurnSeconds) {
          for (int i = 0; i < 100000; ++i) x = x * 1.0000001 + 1e-9;
        }
        used = ProcessCpuSeconds();
      }
      (void)!write(fds[1], &used, sizeof used);
      for (;;) pause();
    }
    close(fds[1]);
    EXPECT_EQ(read(fds[0], &c.cpu_seconds, sizeof c.cpu_seconds),
              static_cast<ssize_t>(sizeof c.cpu_seconds));
    close(fds[0]);
    return c;
  }
  void Stop() {
    if (pid <= 0) return;
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    pid = 0;
  }
};

class ModelServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mw_server_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    for (Child& c : children_) c.Stop();
    fs::remove_all(dir_);
  }
  Child& Spawn(const char* comm, bool work = false) {
    children_.push_back(Child::Start(comm, work));
    return children_.back();
  }
  void Write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  // A unique comm of at most 15 bytes.
  std::string Comm(const char* tag) { return std::string(tag) + std::to_string(getpid() % 100000); }

  fs::path dir_;
  std::deque<Child> children_;  // stable references
};

TEST_F(ModelServerTest, ChildHoldingMemoryAndBurningCpuIsMeasuredWithinTenPercent) {
  Child& c = Spawn("mw-busy", /*work=*/true);
  ASSERT_GE(c.cpu_seconds, kBurnSeconds);
  Write(dir_ / "model.pid", std::to_string(c.pid) + "\n");
  ModelServerReader reader({ProcessTarget::Kind::kPidFile, (dir_ / "model.pid").string()});
  ModelServerSample s = reader.Read();
  ASSERT_TRUE(s.up);
  EXPECT_EQ(s.pid, c.pid);
  EXPECT_EQ(s.comm, "mw-busy");
  ASSERT_TRUE(s.resident_bytes);
  // Under AddressSanitizer the child's touched heap also has its shadow (an eighth) resident.
  const double expected = static_cast<double>(kHeldBytes) * (kAsan ? 9.0 / 8 : 1.0);
  EXPECT_NEAR(*s.resident_bytes, expected, 0.10 * kHeldBytes);
  ASSERT_TRUE(s.cpu_seconds);
  EXPECT_NEAR(*s.cpu_seconds, c.cpu_seconds, 0.10 * c.cpu_seconds);
  ASSERT_TRUE(s.threads);
  EXPECT_EQ(*s.threads, 1);
  ASSERT_TRUE(s.open_fds);  // same user: fd/ is readable
  EXPECT_GE(*s.open_fds, 1);
  EXPECT_TRUE(s.virtual_bytes && *s.virtual_bytes >= static_cast<double>(kHeldBytes));
  for (std::uint64_t e : reader.errors()) EXPECT_EQ(e, 0u);
}

TEST_F(ModelServerTest, AServerThatDisappearsAndComesBackIsDownThenUp) {
  const fs::path pid_file = dir_ / "model.pid";
  ModelServerReader reader({ProcessTarget::Kind::kPidFile, pid_file.string()});
  EXPECT_FALSE(reader.Read().up);  // no pid file yet: down, and not an error
  Child& first = Spawn("mw-first");
  Write(pid_file, std::to_string(first.pid));
  EXPECT_TRUE(reader.Read().up);
  first.Stop();  // the pid file stays behind, stale
  EXPECT_FALSE(reader.Read().up);
  Child& second = Spawn("mw-second");
  Write(pid_file, std::to_string(second.pid));
  ModelServerSample s = reader.Read();
  EXPECT_TRUE(s.up);
  EXPECT_EQ(s.pid, second.pid);
  EXPECT_EQ(s.comm, "mw-second");
  EXPECT_EQ(reader.errors()[static_cast<int>(ReadPart::kPidFile)], 0u);
}

TEST_F(ModelServerTest, AMalformedPidFileIsCountedAsAReadError) {
  Write(dir_ / "model.pid", "not-a-pid\n");
  ModelServerReader reader({ProcessTarget::Kind::kPidFile, (dir_ / "model.pid").string()});
  EXPECT_FALSE(reader.Read().up);
  EXPECT_EQ(reader.errors()[static_cast<int>(ReadPart::kPidFile)], 1u);
}

TEST_F(ModelServerTest, NameMatchesTheCommAndTheNewestWins) {
  const std::string comm = Comm("mwname");
  ModelServerReader reader({ProcessTarget::Kind::kName, comm});
  EXPECT_FALSE(reader.Read().up);
  Child& older = Spawn(comm.c_str());
  usleep(50000);  // start times are in clock ticks (10 ms)
  Child& newer = Spawn(comm.c_str());
  Spawn(Comm("mwother").c_str());
  ModelServerSample s = reader.Read();
  ASSERT_TRUE(s.up);
  EXPECT_EQ(s.pid, newer.pid);
  newer.Stop();
  s = reader.Read();
  ASSERT_TRUE(s.up);
  EXPECT_EQ(s.pid, older.pid);
}

TEST_F(ModelServerTest, NamesLongerThanTheKernelCommMatchOnTheirFirst15Bytes) {
  const std::string comm = Comm("mwlongname");  // <= 15 bytes as the kernel keeps it
  Child& c = Spawn(comm.c_str());
  ModelServerReader reader({ProcessTarget::Kind::kName, comm + "-and-more-of-the-name"});
  if (comm.size() < 15) {
    EXPECT_FALSE(reader.Read().up);  // the name is not cut below the comm's length
    return;
  }
  EXPECT_EQ(reader.Read().pid, c.pid);
}

// A cgroup v2 directory as the kernel writes it.
void WriteCgroupFixture(const fs::path& d, const std::string& procs, const char* memory_max) {
  fs::create_directories(d);
  std::ofstream(d / "memory.current") << "536870912\n";
  std::ofstream(d / "memory.max") << memory_max << "\n";
  std::ofstream(d / "cpu.stat") << "usage_usec 12500000\nuser_usec 10000000\n"
                                   "system_usec 2500000\nnr_periods 100\nnr_throttled 7\n"
                                   "throttled_usec 2500000\nnr_bursts 0\nburst_usec 0\n";
  std::ofstream(d / "io.stat") << "8:0 rbytes=1048576 wbytes=4096 rios=10 wios=1 dbytes=0 dios=0\n"
                                  "259:0 rbytes=1048576 wbytes=0 rios=3 wios=0 dbytes=0 dios=0\n";
  std::ofstream(d / "cgroup.procs") << procs;
  std::ofstream(d / "cgroup.threads") << procs << "777777\n";
}

TEST_F(ModelServerTest, CgroupFixtureIsReadFileByFile) {
  const fs::path d = dir_ / "system.slice/model.service";
  WriteCgroupFixture(d, "", "1073741824");
  CgroupSample c = ReadCgroup(d.string());
  EXPECT_TRUE(c.exists);
  EXPECT_EQ(c.memory_current_bytes, 536870912.0);
  EXPECT_EQ(c.memory_max_bytes, 1073741824.0);
  EXPECT_EQ(c.cpu_usage_seconds, 12.5);
  EXPECT_EQ(c.cpu_throttled_seconds, 2.5);
  EXPECT_EQ(c.read_bytes, 2097152.0);
  EXPECT_EQ(c.written_bytes, 4096.0);
  ASSERT_TRUE(c.procs);
  EXPECT_TRUE(c.procs->empty());
  EXPECT_EQ(c.threads, 1.0);
  EXPECT_EQ(c.errors, 0);
}

TEST_F(ModelServerTest, CgroupWithoutLimitOrControllersHasNoSuchValuesAndNoErrors) {
  const fs::path d = dir_ / "bare";
  fs::create_directories(d);
  std::ofstream(d / "memory.max") << "max\n";
  std::ofstream(d / "cpu.stat") << "usage_usec 10\nuser_usec 5\nsystem_usec 5\n";
  std::ofstream(d / "cgroup.procs") << "1\n";
  CgroupSample c = ReadCgroup(d.string());
  EXPECT_TRUE(c.memory_unlimited);
  EXPECT_FALSE(c.memory_max_bytes);
  EXPECT_FALSE(c.memory_current_bytes);   // no memory controller here
  EXPECT_FALSE(c.cpu_throttled_seconds);  // no cpu controller: usage only
  EXPECT_EQ(c.cpu_usage_seconds, 10e-6);
  EXPECT_EQ(c.errors, 0);
  EXPECT_FALSE(ReadCgroup((dir_ / "absent").string()).exists);
}

TEST_F(ModelServerTest, MalformedCgroupFilesAreCountedAndTheRestIsRead) {
  const fs::path d = dir_ / "broken";
  WriteCgroupFixture(d, "", "1073741824");
  std::ofstream(d / "memory.current") << "lots\n";
  std::ofstream(d / "cpu.stat") << "something_else 1\n";
  CgroupSample c = ReadCgroup(d.string());
  EXPECT_EQ(c.errors, 2);
  EXPECT_FALSE(c.memory_current_bytes);
  EXPECT_FALSE(c.cpu_usage_seconds);
  EXPECT_EQ(c.memory_max_bytes, 1073741824.0);
}

TEST_F(ModelServerTest, CgroupTargetReportsTheWholeCgroupAndItsOldestProcess) {
  Child& older = Spawn("mw-cg-a");
  usleep(50000);
  Child& newer = Spawn("mw-cg-b");
  const fs::path root = dir_ / "cgroupfs";
  WriteCgroupFixture(root / "kubepods/pod1",
                     std::to_string(newer.pid) + "\n" + std::to_string(older.pid) + "\n",
                     "2147483648");
  ModelServerReader reader({ProcessTarget::Kind::kCgroup, "kubepods/pod1"}, "/proc", root.string());
  ModelServerSample s = reader.Read();
  ASSERT_TRUE(s.up);
  EXPECT_EQ(s.pid, older.pid);
  EXPECT_EQ(s.comm, "mw-cg-a");
  EXPECT_EQ(s.cgroup, "/kubepods/pod1");
  EXPECT_EQ(s.cpu_seconds, 12.5);
  EXPECT_EQ(s.resident_bytes, 536870912.0);
  EXPECT_EQ(s.memory_limit_bytes, 2147483648.0);
  EXPECT_EQ(s.cpu_throttled_seconds, 2.5);
  EXPECT_EQ(s.threads, 3.0);
  EXPECT_EQ(s.read_bytes, 2097152.0);
  ASSERT_TRUE(s.open_fds);
  EXPECT_GE(*s.open_fds, 2);
  // An absolute directory works too; a cgroup with no process is down.
  WriteCgroupFixture(dir_ / "empty", "", "max");
  ModelServerReader empty({ProcessTarget::Kind::kCgroup, (dir_ / "empty").string()});
  EXPECT_FALSE(empty.Read().up);
}

TEST_F(ModelServerTest, AProcessGetsTheLimitAndThrottlingOfItsOwnCgroup) {
  Child& c = Spawn("mw-limited");
  std::optional<std::string> path = ProcessCgroupPath(c.pid);
  if (!path) GTEST_SKIP() << "no cgroup v2 line in /proc/" << c.pid << "/cgroup";
  const fs::path root = dir_ / "cgroupfs";
  WriteCgroupFixture(root.string() + *path, std::to_string(c.pid) + "\n", "1073741824");
  Write(dir_ / "model.pid", std::to_string(c.pid));
  ModelServerReader reader({ProcessTarget::Kind::kPidFile, (dir_ / "model.pid").string()}, "/proc",
                           root.string());
  ModelServerSample s = reader.Read();
  ASSERT_TRUE(s.up);
  EXPECT_EQ(s.cgroup, *path);
  EXPECT_EQ(s.memory_limit_bytes, 1073741824.0);
  EXPECT_EQ(s.cpu_throttled_seconds, 2.5);
  // The process's own figures, not the cgroup's.
  EXPECT_NE(s.resident_bytes, 536870912.0);
}

TEST_F(ModelServerTest, TheMachinesOwnCgroupIsReadableWhereTheKernelAllows) {
  std::optional<std::string> path = ProcessCgroupPath(getpid());
  if (!path) GTEST_SKIP() << "this machine has no cgroup v2 hierarchy";
  const std::string root = CgroupV2Root();
  const std::string dir = root + (*path == "/" ? "" : *path);
  if (!fs::exists(dir + "/cgroup.procs")) GTEST_SKIP() << dir << " is not mounted here";
  CgroupSample c = ReadCgroup(dir);
  ASSERT_TRUE(c.exists);
  EXPECT_EQ(c.errors, 0);
  ASSERT_TRUE(c.procs);
  if (c.cpu_usage_seconds) {
    EXPECT_GT(*c.cpu_usage_seconds, 0);
  }
  if (c.memory_current_bytes) {
    EXPECT_GT(*c.memory_current_bytes, 0);
  }
  std::cout << "own cgroup " << dir << ": " << c.procs->size() << " processes, cpu "
            << c.cpu_usage_seconds.value_or(-1) << " s, memory "
            << c.memory_current_bytes.value_or(-1) << " bytes, limit "
            << (c.memory_unlimited ? "max" : std::to_string(c.memory_max_bytes.value_or(-1)))
            << "\n";
}

}  // namespace
}  // namespace modelwatch::resources
