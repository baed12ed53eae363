#include "tail/scan_util.h"

#include <fnmatch.h>

#include <algorithm>
#include <cstring>

namespace modelwatch::tail {

bool IsExcluded(const std::string& path, const std::vector<std::string>& exclude) {
  const std::size_t slash = path.rfind('/');
  const char* base = path.c_str() + (slash == std::string::npos ? 0 : slash + 1);
  for (const std::string& pattern : exclude) {
    if (fnmatch(pattern.c_str(), base, 0) == 0) return true;
    if (fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME) == 0) return true;
  }
  return false;
}

std::uint64_t LineStartBefore(File& file, std::uint64_t end, std::size_t max_line_bytes,
                              bool& skipping) {
  const std::uint64_t window = std::min<std::uint64_t>(end, std::uint64_t{max_line_bytes} + 1);
  if (window == 0) return end;
  std::string buf(window, '\0');  // once per file, at start-up
  const std::uint64_t begin = end - window;
  std::size_t got = 0;
  while (got < window) {
    Result<std::size_t> n = file.ReadAt(begin + got, buf.data() + got, window - got);
    if (!n.ok() || n.value() == 0) return end;
    got += n.value();
  }
  const void* nl = memrchr(buf.data(), '\n', window);
  if (nl != nullptr) return begin + (static_cast<const char*>(nl) - buf.data()) + 1;
  if (begin == 0 && window <= max_line_bytes) return 0;  // the whole file is one partial line
  skipping = true;
  return end;
}

void AddVacated(std::vector<std::string>& vacated, const std::string& path) {
  if (std::find(vacated.begin(), vacated.end(), path) != vacated.end()) return;
  if (vacated.size() >= kMaxVacated) vacated.erase(vacated.begin());
  vacated.push_back(path);
}

bool TakeVacated(std::vector<std::string>& vacated, std::string_view path) {
  auto it = std::find(vacated.begin(), vacated.end(), path);
  if (it == vacated.end()) return false;
  vacated.erase(it);
  return true;
}

}  // namespace modelwatch::tail
