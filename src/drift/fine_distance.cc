// Wasserstein and KS between the exact reference and current values known by fine bin.
//
// Model for the current sample: values below the reference min and above its max are exact
// (their count and sum are known); inside an interior fine bin the current values are spread like
// the reference values in that bin (the current within-bin CDF is the reference's, scaled to the
// current bin mass). A bin without reference values (possible between coarse edges or between
// discrete values) spreads its current mass uniformly.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#include <modelwatch/drift/methods.h>

namespace modelwatch::drift {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Σ of the current counts; 0 when the counts do not match the reference's fine bins.
double Total(const NumericReference& ref, const FineCounts& cur) {
  if (ref.count == 0 || ref.sorted.empty() ||
      cur.counts.size() != static_cast<std::size_t>(ref.bins.fine_bin_count())) {
    return 0;
  }
  double n = 0;
  for (std::uint32_t c : cur.counts) n += c;
  return n;
}

// ∫ |d0 + (d1 − d0)·t/len| over t in [0, len].
double AbsLinearIntegral(double d0, double d1, double len) {
  if ((d0 >= 0) == (d1 >= 0)) return len * std::fabs(d0 + d1) / 2;
  return len * (d0 * d0 + d1 * d1) / (2 * (std::fabs(d0) + std::fabs(d1)));
}

}  // namespace

double WassersteinNormed(const NumericReference& ref, const FineCounts& cur) {
  const double n_cur = Total(ref, cur);
  if (n_cur == 0) return kNaN;
  const std::vector<double>& xs = ref.sorted;
  const std::vector<double>& edges = ref.bins.fine_edges;
  const std::size_t last = edges.size();  // the "above" fine bin
  const double n_ref = static_cast<double>(xs.size());
  const double inv_ref = 1.0 / n_ref;

  // Outside [min, max] the reference CDF is 0 resp. 1 and the current part is exact.
  double w = (cur.counts[0] * ref.min - cur.sum_below) / n_cur;
  w += (cur.sum_above - cur.counts[last] * ref.max) / n_cur;

  double cur_before = cur.counts[0];  // current values below the bin
  std::size_t i = 0;                  // first reference value in the bin
  for (std::size_t b = 1; b < last; ++b) {
    const double lo = edges[b - 1];
    const double hi = std::min(edges[b], ref.max);  // (max, next(max)) belongs to "above"
    std::size_t j = i;
    while (j < xs.size() && xs[j] < edges[b]) ++j;
    const double a = cur.counts[b] / n_cur;
    const double d0 = cur_before / n_cur - static_cast<double>(i) * inv_ref;  // F_cur − F_ref at lo
    if (j == i) {
      if (hi > lo) w += AbsLinearIntegral(d0, d0 + a, hi - lo);
    } else {
      // Between consecutive reference values the difference is constant; it moves by
      // `step` at each reference value in the bin.
      const double step = a / static_cast<double>(j - i) - inv_ref;
      double x = lo;
      for (std::size_t k = i; k < j; ++k) {
        w += (xs[k] - x) * std::fabs(d0 + static_cast<double>(k - i) * step);
        x = xs[k];
      }
      if (hi > x) w += (hi - x) * std::fabs(d0 + static_cast<double>(j - i) * step);
    }
    cur_before += cur.counts[b];
    i = j;
  }
  return w / std::max(ref.std, 0.001);
}

double KsStatistic(const NumericReference& ref, const FineCounts& cur) {
  const double n_cur = Total(ref, cur);
  if (n_cur == 0) return kNaN;
  const std::vector<double>& xs = ref.sorted;
  const std::vector<double>& edges = ref.bins.fine_edges;
  const double n_ref = static_cast<double>(xs.size());
  double d = 0;
  double cur_below = 0;
  auto it = xs.begin();
  for (std::size_t e = 0; e < edges.size(); ++e) {
    // Both CDFs just below edge e: the current bins 0..e and the reference values < edge.
    cur_below += cur.counts[e];
    it = std::lower_bound(it, xs.end(), edges[e]);
    const double ref_below = static_cast<double>(it - xs.begin()) / n_ref;
    d = std::max(d, std::fabs(cur_below / n_cur - ref_below));
  }
  return d;
}

}  // namespace modelwatch::drift
