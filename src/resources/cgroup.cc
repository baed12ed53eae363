#include <modelwatch/resources/cgroup.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <string_view>

namespace modelwatch::resources {
namespace {

std::optional<std::uint64_t> ParseU64(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

// Calls fn(line) for every non-empty line.
template <typename Fn>
void ForEachLine(std::string_view text, Fn&& fn) {
  while (!text.empty()) {
    const std::size_t eol = text.find('\n');
    const std::string_view line = text.substr(0, eol);
    if (!line.empty()) fn(line);
    if (eol == std::string_view::npos) break;
    text.remove_prefix(eol + 1);
  }
}

// "key value" lines (cpu.stat): the value of `key`.
std::optional<std::uint64_t> Keyed(std::string_view text, std::string_view key) {
  std::optional<std::uint64_t> out;
  ForEachLine(text, [&](std::string_view line) {
    if (line.size() > key.size() && line.substr(0, key.size()) == key && line[key.size()] == ' ') {
      out = ParseU64(line.substr(key.size() + 1));
    }
  });
  return out;
}

// A file of the cgroup: nullopt when absent (not an error) or unreadable (counted).
std::optional<std::string> CgroupFile(const std::string& dir, const char* name, int* errors) {
  bool missing = false;
  std::optional<std::string> text = ReadWholeFile(dir + "/" + name, &missing);
  if (!text && !missing) ++*errors;
  return text;
}

}  // namespace

std::optional<std::string> ReadWholeFile(const std::string& path, bool* missing) {
  if (missing) *missing = false;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (missing) *missing = errno == ENOENT || errno == ENOTDIR;
    return std::nullopt;
  }
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      // A process that exited between open and read reads ESRCH: it is gone, not unreadable.
      if (missing) *missing = errno == ESRCH;
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

CgroupSample ReadCgroup(const std::string& dir) {
  CgroupSample s;
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return s;
  s.exists = true;
  int* errors = &s.errors;
  if (auto t = CgroupFile(dir, "memory.current", errors)) {
    if (auto v = ParseU64(*t)) {
      s.memory_current_bytes = static_cast<double>(*v);
    } else {
      ++*errors;
    }
  }
  if (auto t = CgroupFile(dir, "memory.max", errors)) {
    if (std::string_view(*t).substr(0, 3) == "max") {
      s.memory_unlimited = true;
    } else if (auto v = ParseU64(*t)) {
      s.memory_max_bytes = static_cast<double>(*v);
    } else {
      ++*errors;
    }
  }
  if (auto t = CgroupFile(dir, "cpu.stat", errors)) {
    const auto usage = Keyed(*t, "usage_usec");
    if (usage) {
      s.cpu_usage_seconds = static_cast<double>(*usage) / 1e6;
    } else {
      ++*errors;
    }
    // throttled_usec is there only with the cpu controller enabled: absent is not an error.
    if (auto th = Keyed(*t, "throttled_usec"))
      s.cpu_throttled_seconds = static_cast<double>(*th) / 1e6;
  }
  if (auto t = CgroupFile(dir, "io.stat", errors)) {
    // "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" per device.
    double rbytes = 0, wbytes = 0;
    bool bad = false;
    ForEachLine(*t, [&](std::string_view line) {
      for (auto [key, sum] : {std::pair<std::string_view, double*>{"rbytes=", &rbytes},
                              std::pair<std::string_view, double*>{"wbytes=", &wbytes}}) {
        const std::size_t at = line.find(key);
        if (at == std::string_view::npos) continue;
        std::string_view rest = line.substr(at + key.size());
        rest = rest.substr(0, rest.find(' '));
        if (auto v = ParseU64(rest)) {
          *sum += static_cast<double>(*v);
        } else {
          bad = true;
        }
      }
    });
    if (bad) {
      ++*errors;
    } else {
      s.read_bytes = rbytes;
      s.written_bytes = wbytes;
    }
  }
  if (auto t = CgroupFile(dir, "cgroup.procs", errors)) {
    std::vector<int> pids;
    bool bad = false;
    ForEachLine(*t, [&](std::string_view line) {
      if (auto v = ParseU64(line)) {
        pids.push_back(static_cast<int>(*v));
      } else {
        bad = true;
      }
    });
    if (bad) {
      ++*errors;
    } else {
      s.procs = std::move(pids);
    }
  }
  if (auto t = CgroupFile(dir, "cgroup.threads", errors)) {
    double n = 0;
    ForEachLine(*t, [&](std::string_view) { ++n; });
    s.threads = n;
  }
  return s;
}

std::string CgroupV2Root(const std::string& proc_root) {
  std::string root = "/sys/fs/cgroup";
  std::optional<std::string> text = ReadWholeFile(proc_root + "/self/mountinfo");
  if (!text) return root;
  bool found = false;
  // "36 25 0:31 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw": the mount point is the fifth
  // field, the file system type the first after " - ".
  ForEachLine(*text, [&](std::string_view line) {
    const std::size_t dash = line.find(" - ");
    if (found || dash == std::string_view::npos) return;
    if (line.substr(dash + 3, 8) != "cgroup2 ") return;
    std::size_t at = 0;
    for (int field = 0; field < 4; ++field) {
      at = line.find(' ', at);
      if (at == std::string_view::npos) return;
      ++at;
    }
    const std::size_t end = line.find(' ', at);
    root = std::string(line.substr(at, end - at));
    found = true;
  });
  return root;
}

std::optional<std::string> ProcessCgroupPath(int pid, const std::string& proc_root) {
  std::optional<std::string> text =
      ReadWholeFile(proc_root + "/" + std::to_string(pid) + "/cgroup");
  if (!text) return std::nullopt;
  std::optional<std::string> out;
  ForEachLine(*text, [&](std::string_view line) {
    if (line.substr(0, 3) == "0::") out = std::string(line.substr(3));
  });
  return out;
}

}  // namespace modelwatch::resources
