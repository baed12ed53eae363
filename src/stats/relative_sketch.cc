#include <modelwatch/stats/relative_sketch.h>

#include <cmath>

namespace modelwatch::stats {
namespace {

constexpr double kGamma =
    (1 + RelativeSketch::kRelativeAccuracy) / (1 - RelativeSketch::kRelativeAccuracy);

}  // namespace

RelativeSketch::RelativeSketch() : log_gamma_(std::log(kGamma)) {
  key_min_ = static_cast<std::int64_t>(std::ceil(std::log(kMinValue) / log_gamma_));
  const auto key_max = static_cast<std::int64_t>(std::ceil(std::log(kMaxValue) / log_gamma_));
  // Slot 0 (below the range), keys key_min_..key_max, one slot above the range.
  size_ = static_cast<std::size_t>(key_max - key_min_ + 1) + 2;
}

std::size_t RelativeSketch::Slot(double value) const {
  if (!(value >= kMinValue)) return 0;
  if (value > kMaxValue) return size_ - 1;
  auto key = static_cast<std::int64_t>(std::ceil(std::log(value) / log_gamma_));
  // ln near a bucket edge may round across it: either neighbour is within α (plus 1e-15).
  if (key < key_min_) key = key_min_;
  const auto slot = static_cast<std::size_t>(key - key_min_) + 1;
  return slot < size_ - 1 ? slot : size_ - 2;
}

double RelativeSketch::Value(std::size_t slot) const {
  if (slot == 0) return 0;
  if (slot >= size_ - 1) return kMaxValue;
  const auto key = static_cast<double>(key_min_ + static_cast<std::int64_t>(slot) - 1);
  return 2 * std::exp(key * log_gamma_) / (kGamma + 1);
}

double RelativeSketch::Quantile(std::span<const std::uint32_t> counts, double q) const {
  std::uint64_t n = 0;
  for (std::uint32_t c : counts) n += c;
  if (n == 0) return 0;
  const auto rank = static_cast<std::uint64_t>(std::floor(q * static_cast<double>(n - 1)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    seen += counts[i];
    if (seen > rank) return Value(i);
  }
  return Value(counts.size() - 1);
}

}  // namespace modelwatch::stats
