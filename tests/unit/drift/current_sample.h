// Test helper: bins raw current values into a reference's fine bins, as the windows will.
#ifndef MODELWATCH_TESTS_UNIT_DRIFT_CURRENT_SAMPLE_H_
#define MODELWATCH_TESTS_UNIT_DRIFT_CURRENT_SAMPLE_H_

#include <cstdint>
#include <span>
#include <vector>

#include <modelwatch/drift/binning.h>
#include <modelwatch/drift/methods.h>

namespace modelwatch::drift::testing {

struct CurrentSample {
  std::vector<std::uint32_t> counts;
  double sum_below = 0;
  double sum_above = 0;

  CurrentSample(const NumericBinning& bins, std::span<const double> values)
      : counts(static_cast<std::size_t>(bins.fine_bin_count()), 0) {
    for (double v : values) {
      const int b = bins.FineBin(v);
      ++counts[static_cast<std::size_t>(b)];
      if (b == 0) sum_below += v;
      if (b == bins.fine_bin_count() - 1) sum_above += v;
    }
  }
  FineCounts View() const { return FineCounts{counts, sum_below, sum_above}; }
};

}  // namespace modelwatch::drift::testing

#endif  // MODELWATCH_TESTS_UNIT_DRIFT_CURRENT_SAMPLE_H_
