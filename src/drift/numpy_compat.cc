#include "drift/numpy_compat.h"

#include <cmath>
#include <cstddef>

namespace modelwatch::drift::numpy {
namespace {

constexpr std::size_t kPairwiseBlock = 128;  // numpy's PW_BLOCKSIZE

// pairwise_sum_DOUBLE from numpy/core/src/umath/loops_utils.h.src.
double Pairwise(const double* a, std::size_t n) {
  if (n < 8) {
    double res = 0.;
    for (std::size_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= kPairwiseBlock) {
    double r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    std::size_t i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    }
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  std::size_t n2 = n / 2;
  n2 -= n2 % 8;
  return Pairwise(a, n2) + Pairwise(a + n2, n - n2);
}

}  // namespace

double PairwiseSum(std::span<const double> a) { return 0.0 + Pairwise(a.data(), a.size()); }

double Mean(std::span<const double> a) { return PairwiseSum(a) / static_cast<double>(a.size()); }

double Std(std::span<const double> a) {
  const double mean = Mean(a);
  std::vector<double> sq(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double d = a[i] - mean;
    sq[i] = d * d;
  }
  return std::sqrt(PairwiseSum(sq) / static_cast<double>(a.size()));
}

double Quantile(std::span<const double> sorted, double q) {
  const std::size_t n = sorted.size();
  const double virtual_index = static_cast<double>(n - 1) * q;
  if (virtual_index >= static_cast<double>(n - 1)) return sorted[n - 1];
  const double previous = std::floor(virtual_index);
  const double gamma = virtual_index - previous;
  const auto i = static_cast<std::size_t>(previous);
  const double a = sorted[i];
  const double b = sorted[i + 1];
  const double diff = b - a;  // numpy's _lerp
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

std::vector<double> Linspace(double start, double stop, int num) {
  std::vector<double> y(static_cast<std::size_t>(num));
  const double div = num - 1;
  const double delta = stop - start;
  const double step = delta / div;
  for (int i = 0; i < num; ++i) {
    const double v = step == 0 ? (i / div) * delta : i * step;
    y[static_cast<std::size_t>(i)] = v + start;
  }
  y.back() = stop;
  return y;
}

int SturgesBinCount(std::span<const double> a, double min, double max) {
  const double ptp = max - min;
  const double width = ptp / (std::log2(static_cast<double>(a.size())) + 1.0);
  return width != 0 ? static_cast<int>(std::ceil(ptp / width)) : 1;
}

int DoaneBinCount(std::span<const double> a, double min, double max) {
  const std::size_t n = a.size();
  if (n <= 2) return 1;
  const double nd = static_cast<double>(n);
  const double sg1 = std::sqrt(6.0 * static_cast<double>(n - 2) / ((nd + 1.0) * (nd + 3)));
  const double sigma = Std(a);
  if (!(sigma > 0.0)) return 1;
  const double mean = Mean(a);
  std::vector<double> temp(n);
  for (std::size_t i = 0; i < n; ++i) temp[i] = std::pow((a[i] - mean) / sigma, 3.0);
  const double g1 = Mean(temp);
  const double ptp = max - min;
  const double width = ptp / (1.0 + std::log2(nd) + std::log2(1.0 + std::fabs(g1) / sg1));
  return width != 0 ? static_cast<int>(std::ceil(ptp / width)) : 1;
}

}  // namespace modelwatch::drift::numpy
