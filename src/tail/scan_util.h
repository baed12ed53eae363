// Helpers of the tailer's scan, private to src/tail.
#ifndef MODELWATCH_SRC_TAIL_SCAN_UTIL_H_
#define MODELWATCH_SRC_TAIL_SCAN_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <modelwatch/tail/file_system.h>

namespace modelwatch::tail {

// True if a pattern matches the basename (fnmatch, no flags) or the full path (FNM_PATHNAME).
bool IsExcluded(const std::string& path, const std::vector<std::string>& exclude);

// The offset where the line containing byte end-1 starts, for start_at end: a writer caught
// mid-line must not yield a fragment. Looks back at most max_line_bytes + 1 bytes; if the line in
// progress is already longer, returns end and sets skipping (it is reported too long once its
// LF arrives). On a read error returns end.
std::uint64_t LineStartBefore(File& file, std::uint64_t end, std::size_t max_line_bytes,
                              bool& skipping);

// Paths that a known file left (renamed or deleted) and no file has taken since: a new file
// showing up there later is a rotation. Bounded: the oldest are forgotten past kMaxVacated.
inline constexpr std::size_t kMaxVacated = 64;
void AddVacated(std::vector<std::string>& vacated, const std::string& path);
// Removes path if present; returns whether it was.
bool TakeVacated(std::vector<std::string>& vacated, std::string_view path);

}  // namespace modelwatch::tail

#endif  // MODELWATCH_SRC_TAIL_SCAN_UTIL_H_
