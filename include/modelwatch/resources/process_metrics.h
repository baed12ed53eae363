// Process metrics read from procfs: the Prometheus process_* set (writing_clientlibs.md) for
// the daemon itself, and the same figures for the model server beside it.
#ifndef MODELWATCH_RESOURCES_PROCESS_METRICS_H_
#define MODELWATCH_RESOURCES_PROCESS_METRICS_H_

#include <optional>
#include <string>

#include <modelwatch/core/status.h>

namespace modelwatch::resources {

// One reading, in base units. The optional fields need more than /proc/<pid>/stat and may be
// unreadable for another user's process; they are empty then (omit the series, never NaN).
struct ProcessSample {
  double cpu_seconds = 0;         // user + system time
  double resident_bytes = 0;      // RSS
  double virtual_bytes = 0;       // VSZ
  double start_time_seconds = 0;  // since the Unix epoch (boot time + start ticks)
  double threads = 0;
  std::optional<double> open_fds;       // entries of /proc/<pid>/fd
  std::optional<double> max_fds;        // soft RLIMIT_NOFILE; +Inf when "unlimited"
  std::optional<double> read_bytes;     // /proc/<pid>/io read_bytes (storage, not page cache)
  std::optional<double> written_bytes;  // /proc/<pid>/io write_bytes
  std::string comm;                     // the command name from stat
};

// Reads <proc_root>/<pid> ("self" for pid 0) and <proc_root>/stat (btime). Fails when the
// process does not exist (it may have exited) or stat cannot be parsed. Clock ticks and the
// page size come from sysconf. Blocking file I/O: call it from a collector thread, not a hot path.
Result<ProcessSample> ReadProcess(int pid = 0, const std::string& proc_root = "/proc");

}  // namespace modelwatch::resources

#endif  // MODELWATCH_RESOURCES_PROCESS_METRICS_H_
