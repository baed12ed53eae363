// Drift bins fixed by the reference (statistics.md §2) and the fine bins KS and Wasserstein use.
// Pure values: built once from the reference at configuration time, shared read-only.
#ifndef MODELWATCH_DRIFT_BINNING_H_
#define MODELWATCH_DRIFT_BINNING_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <modelwatch/config/config.h>

namespace modelwatch::drift {

// Numeric feature. Values go first to a *fine* bin (one binary search); each fine bin belongs to
// exactly one coarse *drift* bin (the bins PSI/KL/JS/Hellinger/chi-square see).
//
// fine_edges E (ascending, unique, E[0] = ref min, E.back() = nextafter(ref max, +inf)):
//   fine bin of x = upper_bound(E, x) - E.begin(), in [0, |E|]; fine bin b >= 1 is [E[b-1], E[b]).
//   fine bin 0 = (-inf, ref min)        -> always the coarse "below" bin when continuous
//   fine bin |E| = (ref max, +inf)      -> always the coarse "above" bin when continuous
// Continuous (> 20 distinct reference values): coarse bins are below, the interior bins of `kind`
//   over [min, max] (the last one includes max), above. Interior fine edges are the reference
//   values at ranks floor(j·n/kFineBins), kWidthFineBins equal-width edges over [min, max] (so
//   sparse tails are cut finely too), every coarse edge, and nextafter(v) for each value v
//   repeated more than n/kFineBins times (so such an atom is a fine bin of its own). At most
//   2·kFineBins + kWidthFineBins + bin_count edges; about 2,300 for 10 quantile bins.
// Discrete (<= 20 distinct values): one coarse bin per distinct value (fine bin [v, next(v)))
//   plus one "__other__" coarse bin (the last) for every other value.
struct NumericBinning {
  static constexpr int kFineBins = 2048;
  static constexpr int kWidthFineBins = 256;
  static constexpr int kMaxDiscreteValues = 20;
  static constexpr int kMaxCoarseBins = 1000;  // bin_count is clamped to [1, kMaxCoarseBins]
  bool discrete = false;
  std::vector<double> fine_edges;
  // Continuous: e_0 = min < ... < e_k = next(max), interior coarse bin j (coarse index j + 1) is
  // [e_j, e_{j+1}). Discrete: the distinct values, coarse bin i holding exactly coarse_edges[i].
  std::vector<double> coarse_edges;
  std::vector<std::uint16_t> coarse_of_fine;  // size |E| + 1
  std::vector<std::string> coarse_names;      // "(-inf, 1.5)", "[1.5, 2.25)", "[9, 9.8]", "3"
  std::vector<double> coarse_ref_share;       // reference share per coarse bin (sums to 1)

  int fine_bin_count() const { return static_cast<int>(fine_edges.size()) + 1; }
  int coarse_bin_count() const { return static_cast<int>(coarse_ref_share.size()); }
  // Search index over the edges (BuildIndex): kIndexCellsPerEdge·|E| equal cells over
  // [E.front(), E.back()]; index[c] = number of edges whose cell is < c. Because the cell of a
  // value is a monotone function of it, the answer for x in cell c is index[c] plus the edges of
  // cell c that are <= x, so FineBin searches a few neighbouring edges instead of all of them
  // (a full binary search over ~2,300 edges was a third of the per-line cost).
  static constexpr int kIndexCellsPerEdge = 2;
  std::vector<std::uint16_t> index;  // |E| < 65,536 always (at most ~3,300 edges)
  double index_lo = 0;
  double index_inv_width = 0;

  // Builds the search index; call after fine_edges is final.
  void BuildIndex() {
    index.clear();
    if (fine_edges.size() < 2) return;
    const std::size_t cells = kIndexCellsPerEdge * fine_edges.size();
    index_lo = fine_edges.front();
    index_inv_width = static_cast<double>(cells) / (fine_edges.back() - fine_edges.front());
    static_assert(2 * kFineBins + kWidthFineBins + kMaxCoarseBins < 65536);
    index.assign(cells + 1, 0);
    for (double e : fine_edges) ++index[Cell(e) + 1];
    for (std::size_t c = 1; c <= cells; ++c) index[c] += index[c - 1];
  }

  // upper_bound(E, x): the fine bin of x. NaN lands in bin 0 (callers pass finite values).
  int FineBin(double x) const {
    if (x != x) return 0;
    std::size_t first = 0;
    std::size_t n = fine_edges.size();
    if (!index.empty()) {
      const std::size_t c = Cell(x);
      first = index[c];
      n = index[c + 1] - first;
    }
    if (n == 0) return static_cast<int>(first);
    const double* b = fine_edges.data() + first;
    while (n > 1) {  // branch-free: the comparisons are unpredictable
      const std::size_t half = n / 2;
      b += (b[half] <= x) ? half : 0;
      n -= half;
    }
    return static_cast<int>(b - fine_edges.data()) + (*b <= x ? 1 : 0);
  }

 private:
  std::size_t Cell(double x) const {
    const std::size_t cells = index.size() - 1;
    const double pos = (x - index_lo) * index_inv_width;
    if (!(pos > 0)) return 0;
    if (pos >= static_cast<double>(cells)) return cells - 1;
    return static_cast<std::size_t>(pos);
  }
};

// The reference profile of one numeric feature/output.
struct NumericReference {
  std::int64_t count = 0;  // valid values
  std::int64_t distinct = 0;
  double min = 0, max = 0, mean = 0, std = 0;  // population std (numpy's pairwise sums)
  std::vector<double> sorted;                  // the valid reference values, ascending
  NumericBinning bins;
};

// Builds the profile from the valid reference values (any order; non-finite values are dropped).
// Quantile edges are numpy's default (linear) np.quantile(ref, i/bin_count); equal_width,
// sturges and doane edges are numpy's histogram_bin_edges(ref, bins=bin_count|"sturges"|"doane")
// (bin_count is ignored for sturges and doane). Equal quantile edges are merged. count == 0 is
// allowed and yields an empty profile with no bins (the feature then never reaches a score).
NumericReference BuildNumericReference(std::vector<double> values, config::BinKind kind,
                                       int bin_count);

// Transparent hash: lets the maps below be searched with a std::string_view, allocation-free.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

// Categorical feature: the max_categories most frequent reference categories (ties broken by
// byte order of the category), then "__other__" as the last bin.
struct CategoricalReference {
  std::int64_t count = 0;
  std::vector<std::string> categories;   // drift bins, most frequent first
  std::vector<double> coarse_ref_share;  // size categories + 1 (last: __other__); all 0 if empty
  StringMap<int> bin_of;                 // category -> drift bin (top ones only)
  StringMap<std::int64_t> all;           // every reference category -> count
  int Bin(std::string_view v) const;     // other -> categories.size()
  bool Seen(std::string_view v) const;   // among *all* reference categories
};

// Counts categorical values as they arrive (reference loading): one lookup per value, and a
// string allocated only at a category's first occurrence, instead of keeping every value.
struct CategoryCounts {
  std::int64_t total = 0;
  StringMap<std::int64_t> counts;
  void Add(std::string_view v) {
    ++total;
    const auto it = counts.find(v);
    if (it != counts.end()) {
      ++it->second;
    } else {
      counts.emplace(std::string(v), 1);
    }
  }
};

CategoricalReference BuildCategoricalReferenceFromCounts(CategoryCounts counts, int max_categories);
CategoricalReference BuildCategoricalReference(const std::vector<std::string>& values,
                                               int max_categories);

}  // namespace modelwatch::drift

#endif  // MODELWATCH_DRIFT_BINNING_H_
