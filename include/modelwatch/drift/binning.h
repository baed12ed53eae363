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
  int FineBin(double x) const {
    return static_cast<int>(std::upper_bound(fine_edges.begin(), fine_edges.end(), x) -
                            fine_edges.begin());
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

CategoricalReference BuildCategoricalReference(const std::vector<std::string>& values,
                                               int max_categories);

}  // namespace modelwatch::drift

#endif  // MODELWATCH_DRIFT_BINNING_H_
