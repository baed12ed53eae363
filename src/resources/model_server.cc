#include <modelwatch/resources/model_server.h>

#include <dirent.h>
#include <sys/stat.h>

#include <charconv>
#include <string_view>
#include <utility>
#include <vector>

#include <modelwatch/resources/cgroup.h>
#include <modelwatch/resources/process_metrics.h>

namespace modelwatch::resources {
namespace {

constexpr std::size_t kCommBytes = 15;  // TASK_COMM_LEN − 1
constexpr int kStartTimeIndex = 19;     // field 22 of /proc/<pid>/stat, counted from field 3

std::optional<long long> ParseInt(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  long long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

bool Exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// comm and start time (clock ticks after boot) from a /proc/<pid>/stat text.
bool CommAndStart(std::string_view stat, std::string_view* comm, unsigned long long* start) {
  const std::size_t open = stat.find('(');
  const std::size_t close = stat.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return false;
  }
  *comm = stat.substr(open + 1, close - open - 1);
  std::string_view rest = stat.substr(close + 1);
  int index = -1;
  std::size_t i = 0;
  while (i < rest.size()) {
    while (i < rest.size() && rest[i] == ' ') ++i;
    const std::size_t begin = i;
    while (i < rest.size() && rest[i] != ' ') ++i;
    if (i == begin) break;
    if (++index == kStartTimeIndex) {
      auto [end, ec] = std::from_chars(rest.data() + begin, rest.data() + i, *start);
      return ec == std::errc();
    }
  }
  return false;
}

}  // namespace

const char* ReadPartName(ReadPart p) {
  switch (p) {
    case ReadPart::kPidFile:
      return "pid_file";
    case ReadPart::kStat:
      return "stat";
    case ReadPart::kFd:
      return "fd";
    case ReadPart::kIo:
      return "io";
    case ReadPart::kCgroup:
      return "cgroup";
  }
  return "unknown";
}

ModelServerReader::ModelServerReader(ProcessTarget target, std::string proc_root,
                                     std::string cgroup_root)
    : target_(std::move(target)),
      proc_root_(std::move(proc_root)),
      cgroup_root_(cgroup_root.empty() ? CgroupV2Root() : std::move(cgroup_root)) {}

ModelServerSample ModelServerReader::Read() {
  ModelServerSample s;
  if (target_.kind == ProcessTarget::Kind::kCgroup) {
    // An absolute directory that exists; else a path under the cgroup root, with or without
    // the leading '/' that /proc/<pid>/cgroup shows.
    const std::string& v = target_.value;
    const bool absolute = !v.empty() && v.front() == '/';
    const std::string dir = absolute && Exists(v) ? v : cgroup_root_ + (absolute ? "" : "/") + v;
    ReadCgroupInto(dir, /*whole=*/true, &s);
    return s;
  }
  const int pid = FindPid();
  if (pid > 0) ReadPid(pid, &s);
  return s;
}

int ModelServerReader::FindPid() {
  if (target_.kind == ProcessTarget::Kind::kName) return FindByName();
  bool missing = false;
  std::optional<std::string> text = ReadWholeFile(target_.value, &missing);
  if (!text) {
    if (!missing) Count(ReadPart::kPidFile);  // no pid file: the server is not running
    return 0;
  }
  std::optional<long long> pid = ParseInt(*text);
  if (!pid || *pid <= 0 || *pid > 0x7fffffff) {
    // An empty file is a server writing it right now; anything else is malformed.
    if (!text->empty()) Count(ReadPart::kPidFile);
    return 0;
  }
  return static_cast<int>(*pid);
}

int ModelServerReader::FindByName() {
  const std::string_view want = std::string_view(target_.value).substr(0, kCommBytes);
  DIR* dir = ::opendir(proc_root_.c_str());
  if (dir == nullptr) {
    Count(ReadPart::kStat);
    return 0;
  }
  int best = 0;
  unsigned long long best_start = 0;
  while (const dirent* e = ::readdir(dir)) {
    std::optional<long long> pid = ParseInt(e->d_name);
    if (!pid || *pid <= 0) continue;
    // Processes come and go during the scan: an unreadable one is skipped, not an error.
    std::optional<std::string> stat = ReadWholeFile(proc_root_ + "/" + e->d_name + "/stat");
    std::string_view comm;
    unsigned long long start = 0;
    if (!stat || !CommAndStart(*stat, &comm, &start) || comm != want) continue;
    if (best == 0 || start > best_start || (start == best_start && *pid > best)) {
      best = static_cast<int>(*pid);
      best_start = start;
    }
  }
  ::closedir(dir);
  return best;
}

void ModelServerReader::ReadPid(int pid, ModelServerSample* s) {
  const std::string dir = proc_root_ + "/" + std::to_string(pid);
  Result<ProcessSample> p = ReadProcess(pid, proc_root_);
  if (!p.ok()) {
    // Gone between finding and reading it: down. Present but unreadable: up, values unknown.
    if (Exists(dir)) {
      Count(ReadPart::kStat);
      s->up = true;
      s->pid = pid;
    }
    return;
  }
  const ProcessSample& v = p.value();
  s->up = true;
  s->pid = pid;
  s->comm = v.comm;
  s->cpu_seconds = v.cpu_seconds;
  s->resident_bytes = v.resident_bytes;
  s->virtual_bytes = v.virtual_bytes;
  s->threads = v.threads;
  s->open_fds = v.open_fds;
  s->read_bytes = v.read_bytes;
  s->written_bytes = v.written_bytes;
  // fd/ and io need ptrace read access (the same user); a process that exited meanwhile is not
  // an error.
  if (!v.open_fds && Exists(dir)) Count(ReadPart::kFd);
  if ((!v.read_bytes || !v.written_bytes) && Exists(dir)) Count(ReadPart::kIo);
  if (std::optional<std::string> cg = ProcessCgroupPath(pid, proc_root_)) {
    s->cgroup = *cg;
    ReadCgroupInto(cgroup_root_ + *cg, /*whole=*/false, s);
  }
}

// whole: the cgroup is the target (its CPU, memory, I/O, threads and processes); otherwise
// only the limit and the throttling of the process's own cgroup are taken.
void ModelServerReader::ReadCgroupInto(const std::string& dir, bool whole, ModelServerSample* s) {
  CgroupSample c = ReadCgroup(dir);
  for (int i = 0; i < c.errors; ++i) Count(ReadPart::kCgroup);
  s->memory_limit_bytes = c.memory_max_bytes;
  s->cpu_throttled_seconds = c.cpu_throttled_seconds;
  if (!whole) return;
  if (!c.exists || !c.procs || c.procs->empty()) return;  // no cgroup, or nothing runs in it
  s->up = true;
  s->cgroup =
      dir.substr(0, cgroup_root_.size()) == cgroup_root_ ? dir.substr(cgroup_root_.size()) : dir;
  if (s->cgroup.empty()) s->cgroup = "/";
  s->cpu_seconds = c.cpu_usage_seconds;
  s->resident_bytes = c.memory_current_bytes;
  s->threads = c.threads;
  s->read_bytes = c.read_bytes;
  s->written_bytes = c.written_bytes;
  // Virtual memory and descriptors are per process: summed over the cgroup's processes, absent
  // when any of them cannot be read. The oldest process names the cgroup in the info series.
  double vsz = 0, fds = 0;
  bool vsz_ok = true, fds_ok = true;
  double oldest = 0;
  for (int pid : *c.procs) {
    Result<ProcessSample> p = ReadProcess(pid, proc_root_);
    if (!p.ok()) {
      vsz_ok = fds_ok = false;
      continue;
    }
    vsz += p.value().virtual_bytes;
    if (p.value().open_fds) {
      fds += *p.value().open_fds;
    } else {
      fds_ok = false;
    }
    if (s->pid == 0 || p.value().start_time_seconds < oldest) {
      s->pid = pid;
      s->comm = p.value().comm;
      oldest = p.value().start_time_seconds;
    }
  }
  if (!fds_ok) Count(ReadPart::kFd);
  if (vsz_ok) s->virtual_bytes = vsz;
  if (fds_ok) s->open_fds = fds;
}

}  // namespace modelwatch::resources
