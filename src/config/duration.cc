// ParseDuration (Prometheus syntax) and ParseSize (IEC and SI byte units).
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include <modelwatch/config/config.h>

namespace modelwatch::config {
namespace {

struct Unit {
  std::string_view suffix;
  double seconds;
};

// Prometheus' order: each unit at most once, largest first ("1h30m", not "30m1h").
constexpr Unit kDurationUnits[] = {
    {"y", 365.0 * 86400}, {"w", 7.0 * 86400}, {"d", 86400}, {"h", 3600}, {"m", 60}, {"s", 1},
    {"ms", 0.001},
};

// Reads leading decimal digits of `text` into *value; returns how many characters were read.
std::size_t ReadDigits(std::string_view text, std::uint64_t* value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  if (ec != std::errc()) return 0;
  return static_cast<std::size_t>(end - text.data());
}

}  // namespace

std::optional<double> ParseDuration(const std::string& text) {
  if (text == "0") return 0.0;
  std::string_view rest = text;
  if (rest.empty()) return std::nullopt;
  double total = 0;
  std::size_t next_unit = 0;  // units must appear in kDurationUnits order
  while (!rest.empty()) {
    if (rest.front() < '0' || rest.front() > '9') return std::nullopt;
    std::uint64_t n = 0;
    std::size_t digits = ReadDigits(rest, &n);
    if (digits == 0) return std::nullopt;
    rest.remove_prefix(digits);
    std::size_t len = 0;
    while (len < rest.size() && rest[len] >= 'a' && rest[len] <= 'z') ++len;
    std::string_view suffix = rest.substr(0, len);
    rest.remove_prefix(len);
    bool found = false;
    for (std::size_t i = next_unit; i < std::size(kDurationUnits); ++i) {
      if (kDurationUnits[i].suffix == suffix) {
        total += static_cast<double>(n) * kDurationUnits[i].seconds;
        next_unit = i + 1;
        found = true;
        break;
      }
    }
    if (!found) return std::nullopt;
  }
  return total;
}

std::optional<std::uint64_t> ParseSize(const std::string& text) {
  struct SizeUnit {
    std::string_view suffix;
    std::uint64_t bytes;
  };
  static constexpr SizeUnit kUnits[] = {
      {"", 1},
      {"B", 1},
      {"KiB", 1ULL << 10},
      {"MiB", 1ULL << 20},
      {"GiB", 1ULL << 30},
      {"TiB", 1ULL << 40},
      {"kB", 1000},
      {"KB", 1000},
      {"MB", 1000 * 1000},
      {"GB", 1000 * 1000 * 1000},
      {"TB", 1000ULL * 1000 * 1000 * 1000},
  };
  std::string_view view = text;
  if (view.empty() || view.front() < '0' || view.front() > '9') return std::nullopt;
  std::uint64_t n = 0;
  std::size_t digits = ReadDigits(view, &n);
  if (digits == 0) return std::nullopt;
  std::string_view suffix = view.substr(digits);
  if (!suffix.empty() && suffix.front() == ' ') suffix.remove_prefix(1);  // "64 KiB"
  for (const SizeUnit& unit : kUnits) {
    if (unit.suffix != suffix) continue;
    if (n > std::numeric_limits<std::uint64_t>::max() / unit.bytes) return std::nullopt;
    return n * unit.bytes;
  }
  return std::nullopt;
}

}  // namespace modelwatch::config
