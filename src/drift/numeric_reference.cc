// BuildNumericReference: the reference profile and its coarse and fine bins (statistics.md §2).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <modelwatch/drift/binning.h>

#include "drift/numpy_compat.h"

namespace modelwatch::drift {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double Next(double v) { return std::nextafter(v, kInf); }

// The shortest text that reads back as v: "3", "0.1", "1e+300".
std::string Format(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// Ascending sort of finite doubles: LSD radix on the IEEE bits mapped to unsigned order, 11 bits
// a pass, a pass skipped when every value shares its digit. 2-3 times std::sort on the
// reference columns (50,000 values: about 0.5 vs 1.3 ms each), whose sorting was an eighth of
// start-up. Equal values are the same double except -0 and 0, which this puts -0 first.
void SortFinite(std::vector<double>& v) {
  const std::size_t n = v.size();
  if (n < 2048) {
    std::sort(v.begin(), v.end());
    return;
  }
  constexpr int kBits = 11;
  constexpr int kPasses = (64 + kBits - 1) / kBits;
  constexpr std::size_t kBuckets = std::size_t{1} << kBits;
  std::vector<std::uint64_t> keys(n), other(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t b;
    std::memcpy(&b, &v[i], sizeof b);
    keys[i] = (b >> 63) != 0 ? ~b : b | (std::uint64_t{1} << 63);
  }
  std::vector<std::size_t> counts(kPasses * kBuckets, 0);
  for (const std::uint64_t k : keys) {
    for (int p = 0; p < kPasses; ++p)
      ++counts[p * kBuckets + ((k >> (p * kBits)) & (kBuckets - 1))];
  }
  for (int p = 0; p < kPasses; ++p) {
    std::size_t* c = counts.data() + p * kBuckets;
    const std::size_t first = (keys[0] >> (p * kBits)) & (kBuckets - 1);
    if (c[first] == n) continue;  // one digit for all: nothing moves
    std::size_t sum = 0;
    for (std::size_t d = 0; d < kBuckets; ++d) {
      const std::size_t count = c[d];
      c[d] = sum;
      sum += count;
    }
    for (const std::uint64_t k : keys) other[c[(k >> (p * kBits)) & (kBuckets - 1)]++] = k;
    keys.swap(other);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t k = keys[i];
    const std::uint64_t b = (k >> 63) != 0 ? k & ~(std::uint64_t{1} << 63) : ~k;
    std::memcpy(&v[i], &b, sizeof b);
  }
}

void SortUnique(std::vector<double>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// Number of sorted values < x.
std::size_t CountBelow(const std::vector<double>& sorted, double x) {
  return static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), x) -
                                  sorted.begin());
}

// Coarse edges e_0 = min < ... < e_k = next(max): bin j is [e_j, e_{j+1}).
std::vector<double> CoarseEdges(const std::vector<double>& sorted, double min, double max,
                                config::BinKind kind, int count) {
  std::vector<double> edges;
  switch (kind) {
    case config::BinKind::kQuantile:
      for (int i = 0; i <= count; ++i) {
        edges.push_back(numpy::Quantile(sorted, static_cast<double>(i) / count));
      }
      break;
    case config::BinKind::kEqualWidth:
      edges = numpy::Linspace(min, max, count + 1);
      break;
    case config::BinKind::kSturges:
    case config::BinKind::kDoane: {
      int n = kind == config::BinKind::kSturges ? numpy::SturgesBinCount(sorted, min, max)
                                                : numpy::DoaneBinCount(sorted, min, max);
      n = std::clamp(n, 1, NumericBinning::kMaxCoarseBins);
      edges = numpy::Linspace(min, max, n + 1);
      break;
    }
  }
  edges.front() = min;
  edges.back() = Next(max);  // the last interior bin includes max, as numpy's last bin does
  SortUnique(edges);
  return edges;
}

void BuildDiscrete(const std::vector<double>& sorted, NumericBinning& bins) {
  const double n = static_cast<double>(sorted.size());
  std::vector<double> values;
  std::vector<double> shares;
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    values.push_back(sorted[i]);
    shares.push_back(static_cast<double>(j - i) / n);
    i = j;
  }
  bins.discrete = true;
  for (double v : values) {
    bins.fine_edges.push_back(v);
    bins.fine_edges.push_back(Next(v));
  }
  SortUnique(bins.fine_edges);
  const auto other = static_cast<std::uint16_t>(values.size());
  bins.coarse_of_fine.assign(bins.fine_edges.size() + 1, other);
  for (std::size_t i = 0; i < values.size(); ++i) {
    bins.coarse_of_fine[static_cast<std::size_t>(bins.FineBin(values[i]))] =
        static_cast<std::uint16_t>(i);
    bins.coarse_names.push_back(Format(values[i]));
  }
  bins.coarse_names.push_back("__other__");
  bins.coarse_ref_share = std::move(shares);
  bins.coarse_ref_share.push_back(0.0);
  bins.coarse_edges = std::move(values);
}

void BuildContinuous(const std::vector<double>& sorted, double min, double max,
                     config::BinKind kind, int count, NumericBinning& bins) {
  const std::vector<double> coarse = CoarseEdges(sorted, min, max, kind, count);
  const std::size_t k = coarse.size() - 1;  // interior coarse bins
  const auto n = static_cast<std::int64_t>(sorted.size());
  constexpr std::int64_t kFine = NumericBinning::kFineBins;

  std::vector<double>& fine = bins.fine_edges;
  fine = coarse;
  for (std::int64_t j = 1; j < kFine; ++j) {
    fine.push_back(sorted[static_cast<std::size_t>(j * n / kFine)]);
  }
  // Equal-width edges cap the width of the sparse tail bins, where the within-bin model would
  // otherwise misplace drifted current mass over a wide interval (W1 errors of 1-4 %).
  const double range = max - min;
  if (std::isfinite(range)) {
    for (int t = 1; t < NumericBinning::kWidthFineBins; ++t) {
      fine.push_back(min + range * t / NumericBinning::kWidthFineBins);
    }
  }
  // An atom heavier than a fine bin gets [v, next(v)) of its own, so ties are not smeared.
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    if (static_cast<std::int64_t>(j - i) * kFine > n) {
      fine.push_back(sorted[i]);
      fine.push_back(Next(sorted[i]));
    }
    i = j;
  }
  SortUnique(fine);

  const std::size_t last = fine.size();  // the "above" fine bin
  bins.coarse_of_fine.assign(last + 1, 0);
  for (std::size_t b = 1; b < last; ++b) {
    // Fine bin [fine[b-1], fine[b]) lies in interior coarse bin j, coarse index j + 1.
    bins.coarse_of_fine[b] = static_cast<std::uint16_t>(
        std::upper_bound(coarse.begin(), coarse.end(), fine[b - 1]) - coarse.begin());
  }
  bins.coarse_of_fine[last] = static_cast<std::uint16_t>(k + 1);

  const std::string max_text = Format(max);
  bins.coarse_names.push_back("(-inf, " + Format(min) + ")");
  bins.coarse_ref_share.push_back(0.0);
  for (std::size_t j = 0; j < k; ++j) {
    const std::size_t in_bin = CountBelow(sorted, coarse[j + 1]) - CountBelow(sorted, coarse[j]);
    bins.coarse_ref_share.push_back(static_cast<double>(in_bin) / static_cast<double>(n));
    bins.coarse_names.push_back("[" + Format(coarse[j]) + ", " +
                                (j + 1 < k ? Format(coarse[j + 1]) + ")" : max_text + "]"));
  }
  bins.coarse_names.push_back("(" + max_text + ", +inf)");
  bins.coarse_ref_share.push_back(0.0);
  bins.coarse_edges = coarse;
}

}  // namespace

NumericReference BuildNumericReference(std::vector<double> values, config::BinKind kind,
                                       int bin_count) {
  NumericReference ref;
  std::erase_if(values, [](double v) { return !std::isfinite(v); });
  if (values.empty()) return ref;
  SortFinite(values);
  ref.count = static_cast<std::int64_t>(values.size());
  ref.distinct = 1;
  for (std::size_t i = 1; i < values.size(); ++i) ref.distinct += values[i] != values[i - 1];
  ref.min = values.front();
  ref.max = values.back();
  ref.mean = numpy::Mean(values);
  ref.std = numpy::Std(values);
  if (ref.distinct <= NumericBinning::kMaxDiscreteValues) {
    BuildDiscrete(values, ref.bins);
  } else {
    BuildContinuous(values, ref.min, ref.max, kind,
                    std::clamp(bin_count, 1, NumericBinning::kMaxCoarseBins), ref.bins);
  }
  ref.bins.BuildIndex();
  ref.sorted = std::move(values);
  return ref;
}

}  // namespace modelwatch::drift
