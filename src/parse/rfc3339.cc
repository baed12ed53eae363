// ParseRfc3339: by hand, because strptime and std::chrono::parse are locale-bound, slow, and
// (for the latter) missing from GCC 12. No allocation.
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include <modelwatch/parse/record_parser.h>

namespace modelwatch::parse {
namespace {

// Reads n decimal digits at s[pos]; false unless all are digits.
bool Digits(std::string_view s, std::size_t pos, int n, int* out) {
  int v = 0;
  for (int i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8, 1e9,
                             1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};

// The shared reader. rfc3339: exactly RFC 3339's date-time: YYYY-MM-DD, 'T'/'t'/' ', HH:MM:SS,
// an optional '.' fraction of any length (digits past the 18th are read but ignored), then
// 'Z'/'z' or ±HH:MM. iso (log shapes): also a ',' fraction, ±HHMM or ±HH offsets, and no zone at
// all (then default_offset, seconds east of UTC, applies). A leap second (:60) is accepted and
// counts as the next second.
// The last valid "YYYY-MM-DDTHH:MM" prefix read on this thread and its seconds since the epoch:
// a log's consecutive timestamps share it, and reading it again was most of the parse.
struct MinuteCache {
  char prefix[16] = {};  // all zero: matches no timestamp (they start with a digit)
  std::int64_t seconds = 0;
};
thread_local MinuteCache minute_cache;

std::optional<double> ParseDateTime(std::string_view s, bool iso, double default_offset) {
  // "YYYY-MM-DDTHH:MM:SSZ" is the shortest RFC 3339 form; ISO may drop the zone.
  if (s.size() < (iso ? 19u : 20u)) return std::nullopt;
  std::int64_t minute_start;
  int second;
  MinuteCache& cache = minute_cache;
  if (std::memcmp(s.data(), cache.prefix, sizeof cache.prefix) == 0) {
    minute_start = cache.seconds;
  } else {
    int year, month, day, hour, minute;
    if (!Digits(s, 0, 4, &year) || s[4] != '-' || !Digits(s, 5, 2, &month) || s[7] != '-' ||
        !Digits(s, 8, 2, &day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        !Digits(s, 11, 2, &hour) || s[13] != ':' || !Digits(s, 14, 2, &minute)) {
      return std::nullopt;
    }
    if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
        minute > 59) {
      return std::nullopt;
    }
    minute_start = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60;
    std::memcpy(cache.prefix, s.data(), sizeof cache.prefix);
    cache.seconds = minute_start;
  }
  if (s[16] != ':' || !Digits(s, 17, 2, &second) || second > 60) return std::nullopt;
  std::size_t pos = 19;
  double fraction = 0;
  if (pos < s.size() && (s[pos] == '.' || (iso && s[pos] == ','))) {
    ++pos;
    std::uint64_t digits = 0;
    int used = 0;
    const std::size_t start = pos;
    for (; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos) {
      if (used < 18) {
        digits = digits * 10 + static_cast<std::uint64_t>(s[pos] - '0');
        ++used;
      }
    }
    if (pos == start) return std::nullopt;
    fraction = static_cast<double>(digits) / kPow10[used];
  }
  double offset = 0;
  if (pos >= s.size()) {
    if (!iso) return std::nullopt;
    offset = default_offset;
  } else if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh = 0, om = 0;
    const char sign = s[pos];
    const std::size_t left = s.size() - pos;
    if (left >= 6 && s[pos + 3] == ':') {
      if (!Digits(s, pos + 1, 2, &oh) || !Digits(s, pos + 4, 2, &om)) return std::nullopt;
      pos += 6;
    } else if (iso && left == 5) {  // +HHMM
      if (!Digits(s, pos + 1, 2, &oh) || !Digits(s, pos + 3, 2, &om)) return std::nullopt;
      pos += 5;
    } else if (iso && left == 3) {  // +HH
      if (!Digits(s, pos + 1, 2, &oh)) return std::nullopt;
      pos += 3;
    } else {
      return std::nullopt;
    }
    if (oh > 23 || om > 59) return std::nullopt;
    offset = (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  const std::int64_t seconds = minute_start + second;
  return static_cast<double>(seconds) - offset + fraction;
}

}  // namespace

std::optional<double> ParseRfc3339(std::string_view s) { return ParseDateTime(s, false, 0); }

std::optional<double> ParseIso8601(std::string_view s, double default_offset) {
  return ParseDateTime(s, true, default_offset);
}

}  // namespace modelwatch::parse
