#include <modelwatch/resources/process_metrics.h>

#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string_view>
#include <vector>

namespace modelwatch::resources {
namespace {

// Fields of /proc/<pid>/stat (proc(5), 1-based), counted here from field 3 (state) on, which
// follows the last ')' so that a comm holding spaces or parentheses cannot shift them.
constexpr int kFirstField = 3;
constexpr int kUtime = 14;
constexpr int kStime = 15;
constexpr int kNumThreads = 20;
constexpr int kStartTime = 22;
constexpr int kVsize = 23;
constexpr int kRss = 24;

std::optional<std::string> ReadFile(const std::string& path, std::string* error = nullptr) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (error) *error = "cannot read " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream content;
  content << in.rdbuf();  // procfs reports size 0: read to the end, not by size
  return content.str();
}

std::optional<uint64_t> ParseUint(std::string_view text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::vector<std::string_view> SplitWhitespace(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

// The value after `key` at the start of a line ("btime 1700000000", "read_bytes: 42").
std::optional<uint64_t> FindKeyed(std::string_view text, std::string_view key) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string_view line = text.substr(pos, eol == std::string_view::npos ? eol : eol - pos);
    if (line.substr(0, key.size()) == key) {
      std::vector<std::string_view> words = SplitWhitespace(line.substr(key.size()));
      return words.empty() ? std::nullopt : ParseUint(words[0]);
    }
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return std::nullopt;
}

// The soft limit of "Max open files" in /proc/<pid>/limits.
std::optional<double> ParseMaxFds(std::string_view limits) {
  constexpr std::string_view kName = "Max open files";
  size_t at = limits.find(kName);
  if (at == std::string_view::npos) return std::nullopt;
  size_t eol = limits.find('\n', at);
  std::string_view line =
      limits.substr(at + kName.size(), eol == std::string_view::npos ? std::string_view::npos
                                                                     : eol - at - kName.size());
  std::vector<std::string_view> words = SplitWhitespace(line);
  if (words.empty()) return std::nullopt;
  if (words[0] == "unlimited") return std::numeric_limits<double>::infinity();
  std::optional<uint64_t> soft = ParseUint(words[0]);
  if (!soft) return std::nullopt;
  return static_cast<double>(*soft);
}

std::optional<double> CountFds(const std::string& dir) {
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) return std::nullopt;
  double count = 0;
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (ec) return std::nullopt;
    ++count;
  }
  return count;
}

}  // namespace

Result<ProcessSample> ReadProcess(int pid, const std::string& proc_root) {
  const std::string dir = proc_root + "/" + (pid == 0 ? std::string("self") : std::to_string(pid));
  std::string error;
  std::optional<std::string> stat = ReadFile(dir + "/stat", &error);
  if (!stat) return Status::Error(error);
  size_t open = stat->find('(');
  size_t close = stat->rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) {
    return Status::Error("malformed " + dir + "/stat");
  }
  std::vector<std::string_view> fields = SplitWhitespace(std::string_view(*stat).substr(close + 1));
  std::optional<uint64_t> values[kRss + 1];
  for (int field : {kUtime, kStime, kNumThreads, kStartTime, kVsize, kRss}) {
    size_t index = static_cast<size_t>(field - kFirstField);
    if (index < fields.size()) values[field] = ParseUint(fields[index]);
    if (!values[field]) return Status::Error("malformed " + dir + "/stat");
  }
  std::optional<std::string> system_stat = ReadFile(proc_root + "/stat", &error);
  if (!system_stat) return Status::Error(error);
  std::optional<uint64_t> boot_time = FindKeyed(*system_stat, "btime");
  if (!boot_time) return Status::Error("no btime in " + proc_root + "/stat");

  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page_size = static_cast<double>(sysconf(_SC_PAGESIZE));
  ProcessSample sample;
  sample.comm = stat->substr(open + 1, close - open - 1);
  sample.cpu_seconds = static_cast<double>(*values[kUtime] + *values[kStime]) / ticks;
  sample.threads = static_cast<double>(*values[kNumThreads]);
  sample.start_time_seconds =
      static_cast<double>(*boot_time) + static_cast<double>(*values[kStartTime]) / ticks;
  sample.virtual_bytes = static_cast<double>(*values[kVsize]);
  sample.resident_bytes = static_cast<double>(*values[kRss]) * page_size;
  sample.open_fds = CountFds(dir + "/fd");
  if (std::optional<std::string> limits = ReadFile(dir + "/limits")) {
    sample.max_fds = ParseMaxFds(*limits);
  }
  if (std::optional<std::string> io = ReadFile(dir + "/io")) {
    if (auto read = FindKeyed(*io, "read_bytes:")) sample.read_bytes = static_cast<double>(*read);
    if (auto written = FindKeyed(*io, "write_bytes:")) {
      sample.written_bytes = static_cast<double>(*written);
    }
  }
  return sample;
}

}  // namespace modelwatch::resources
