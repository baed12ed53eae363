// One drift score from its inputs (statistics.md §3): the dispatch from a method to its
// formula, shared by the engine's windows and the label drift of ground truth. Pure.
#ifndef MODELWATCH_DRIFT_SCORE_H_
#define MODELWATCH_DRIFT_SCORE_H_

#include <cstdint>
#include <span>

#include <modelwatch/config/config.h>
#include <modelwatch/drift/binning.h>
#include <modelwatch/drift/methods.h>

namespace modelwatch::drift {

struct ScoreInputs {
  std::span<const double> p;                  // reference shares per drift bin
  std::span<const double> q;                  // current shares per drift bin
  std::span<const double> counts;             // current counts per drift bin
  std::int64_t n_ref = 0;                     // reference values
  std::int64_t n_cur = 0;                     // current values (Σ counts)
  const NumericReference* numeric = nullptr;  // numeric fields only
  FineCounts fine;                            // numeric fields: the current fine bins
  double ks_d = 0;                            // the KS statistic, when ks is scored
  double js_base = 0;
};

// The score of method m; NaN for auto (resolved before) and for wasserstein and ks without a
// numeric reference.
double Score(config::DriftMethod m, const ScoreInputs& in);

}  // namespace modelwatch::drift

#endif  // MODELWATCH_DRIFT_SCORE_H_
