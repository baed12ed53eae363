// cgroup v2 readers: the files of one cgroup directory (memory.current, memory.max, cpu.stat,
// io.stat, cgroup.procs, cgroup.threads) and the cgroup of a process (/proc/<pid>/cgroup).
// Files are read whole on each call; blocking I/O for a collector, never a hot path.
//
// A file that does not exist means its controller is not enabled there (or the cgroup is the
// root one): the value is absent and that is not an error. A file that exists but cannot be
// read or parsed (permissions, a format this version does not know) is a read error: the value
// is absent and `errors` counts it.
#ifndef MODELWATCH_RESOURCES_CGROUP_H_
#define MODELWATCH_RESOURCES_CGROUP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace modelwatch::resources {

struct CgroupSample {
  bool exists = false;                          // the directory exists
  std::optional<double> memory_current_bytes;   // memory.current
  std::optional<double> memory_max_bytes;       // memory.max; absent when "max" (no limit)
  bool memory_unlimited = false;                // memory.max read "max"
  std::optional<double> cpu_usage_seconds;      // cpu.stat usage_usec
  std::optional<double> cpu_throttled_seconds;  // cpu.stat throttled_usec (cpu controller)
  std::optional<double> read_bytes;             // io.stat rbytes, summed over devices
  std::optional<double> written_bytes;          // io.stat wbytes, summed over devices
  std::optional<std::vector<int>> procs;        // cgroup.procs
  std::optional<double> threads;                // lines of cgroup.threads
  int errors = 0;                               // files present but unreadable or malformed
};

// Reads the cgroup v2 directory `dir` (e.g. /sys/fs/cgroup/system.slice/model.service).
CgroupSample ReadCgroup(const std::string& dir);

// The cgroup v2 path of a process, from the "0::<path>" line of <proc_root>/<pid>/cgroup
// ("/system.slice/model.service"); nullopt when unreadable or there is no v2 line (v1 only).
std::optional<std::string> ProcessCgroupPath(int pid, const std::string& proc_root = "/proc");

// Where the cgroup v2 hierarchy is mounted, from <proc_root>/self/mountinfo: /sys/fs/cgroup on a
// unified system, /sys/fs/cgroup/unified on a hybrid one; "/sys/fs/cgroup" when none is found.
std::string CgroupV2Root(const std::string& proc_root = "/proc");

// A text file read whole (procfs and cgroupfs report size 0). nullopt with *missing set when it
// does not exist (ENOENT/ENOTDIR), nullopt otherwise when it cannot be read.
std::optional<std::string> ReadWholeFile(const std::string& path, bool* missing = nullptr);

}  // namespace modelwatch::resources

#endif  // MODELWATCH_RESOURCES_CGROUP_H_
