// ModelServerReader: the model server beside us (a model's `process:`), found on every Read by
//   - pid_file: the pid written in a file (re-read every time, so a restart is followed);
//   - name: the processes whose comm (the first 15 bytes of the executable name, as in
//     /proc/<pid>/stat) equals the name (cut to 15 bytes); the newest (latest start) wins;
//   - cgroup: a cgroup v2 directory, absolute or relative to the cgroup root: the whole cgroup.
// and read from procfs and cgroupfs. What each value needs (docs/metrics.md): /proc/<pid>/stat
// (CPU, memory, threads) is readable by anyone; /proc/<pid>/fd and /proc/<pid>/io need the same
// user (ptrace read access); cgroup files are world-readable by default.
//
// Not thread-safe: one collector calls Read (ResourceMonitor serialises it).
#ifndef MODELWATCH_RESOURCES_MODEL_SERVER_H_
#define MODELWATCH_RESOURCES_MODEL_SERVER_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace modelwatch::resources {

struct ProcessTarget {
  enum class Kind { kPidFile, kName, kCgroup };
  Kind kind = Kind::kPidFile;
  std::string value;  // the pid file, the comm, or the cgroup directory
};

// Parts of a reading that can fail while the rest succeeds; the `file` label values.
enum class ReadPart : std::uint8_t { kPidFile, kStat, kFd, kIo, kCgroup };
inline constexpr int kReadParts = 5;
const char* ReadPartName(ReadPart p);  // "pid_file", "stat", "fd", "io", "cgroup"

struct ModelServerSample {
  bool up = false;  // the process (pid_file, name) exists / the cgroup has processes
  // Identity, for modelwatch_model_server_info (when up).
  int pid = 0;         // the process; with cgroup: its oldest process
  std::string comm;    // its comm
  std::string cgroup;  // cgroup v2 path, e.g. "/system.slice/model.service"; "" when unknown
  std::optional<double> cpu_seconds;
  std::optional<double> resident_bytes;  // cgroup: memory.current
  std::optional<double> virtual_bytes;
  std::optional<double> open_fds;
  std::optional<double> threads;
  std::optional<double> read_bytes;  // storage I/O (/proc/<pid>/io, cgroup io.stat)
  std::optional<double> written_bytes;
  std::optional<double> memory_limit_bytes;     // cgroup memory.max, when not "max"
  std::optional<double> cpu_throttled_seconds;  // cgroup cpu.stat throttled_usec
};

class ModelServerReader {
 public:
  // cgroup_root: where cgroup v2 is mounted; empty: found in /proc/self/mountinfo.
  explicit ModelServerReader(ProcessTarget target, std::string proc_root = "/proc",
                             std::string cgroup_root = "");

  ModelServerSample Read();
  // Read errors so far, per ReadPart: a part that exists but could not be read or parsed.
  const std::array<std::uint64_t, kReadParts>& errors() const { return errors_; }

 private:
  // The pid to read, or 0 when the process is not there.
  int FindPid();
  int FindByName();
  void ReadPid(int pid, ModelServerSample* s);
  void ReadCgroupInto(const std::string& dir, bool whole, ModelServerSample* s);
  void Count(ReadPart p) { ++errors_[static_cast<std::size_t>(p)]; }

  ProcessTarget target_;
  std::string proc_root_;
  std::string cgroup_root_;
  std::array<std::uint64_t, kReadParts> errors_{};
};

}  // namespace modelwatch::resources

#endif  // MODELWATCH_RESOURCES_MODEL_SERVER_H_
