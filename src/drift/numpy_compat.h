// numpy's floating-point recipes, reproduced operation for operation so that bin edges computed
// here equal np.quantile / np.histogram_bin_edges on the same reference (numpy 1.24).
#ifndef MODELWATCH_DRIFT_NUMPY_COMPAT_H_
#define MODELWATCH_DRIFT_NUMPY_COMPAT_H_

#include <span>
#include <vector>

namespace modelwatch::drift::numpy {

// np.add.reduce on a contiguous float64 array (pairwise summation, blocks of 128, 8 lanes).
double PairwiseSum(std::span<const double> a);
// np.mean and np.std (population) of a.
double Mean(std::span<const double> a);
double Std(std::span<const double> a);
// np.quantile(sorted, q) with the default method="linear"; sorted ascending, non-empty.
double Quantile(std::span<const double> sorted, double q);
// np.linspace(start, stop, num) with endpoint=True; num >= 2.
std::vector<double> Linspace(double start, double stop, int num);
// The number of equal-width bins np.histogram_bin_edges(a, bins="sturges" / "doane") uses over
// [min(a), max(a)]; a non-empty, min < max.
int SturgesBinCount(std::span<const double> a, double min, double max);
int DoaneBinCount(std::span<const double> a, double min, double max);

}  // namespace modelwatch::drift::numpy

#endif  // MODELWATCH_DRIFT_NUMPY_COMPAT_H_
