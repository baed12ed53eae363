// The delayed label log of `modelwatch demo --scenario labels`: for every prediction line the
// demo writes, a label line {"ts", "request_id", "label"} appears `delay` seconds later (event
// time and wall clock alike): fraud with probability score (the demo's score is calibrated
// against the reference's targets). 10 % of predictions are never labelled. From
// `concept_drift_start` on, the labels stop agreeing with the scores: fraud with probability
// 1 − score, so realised accuracy falls while CBPE's estimate (scores only) does not.
#ifndef MODELWATCH_APP_DEMO_LABELS_H_
#define MODELWATCH_APP_DEMO_LABELS_H_

#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <string_view>

namespace modelwatch::app {

inline constexpr double kDemoLabelDelayMin = 5;   // seconds
inline constexpr double kDemoLabelDelayMax = 20;  // seconds
inline constexpr double kDemoUnlabeledShare = 0.10;

class DemoLabels {
 public:
  DemoLabels(std::uint64_t seed, double concept_drift_start)
      : rng_(seed), drift_start_(concept_drift_start) {}

  // Schedules the labels of the prediction lines in `lines` (the demo's format: "ts" is read
  // from the event time passed with each line's request id and score).
  void OnPredictions(std::string_view lines);
  // Appends (one JSON line each) the labels due at or before `now`, in due order.
  void AppendDue(double now, std::string* out);
  std::size_t waiting() const { return queue_.size(); }

 private:
  struct Pending {
    double due;
    std::string line;
  };
  double Uniform();
  std::mt19937_64 rng_;
  double drift_start_;
  std::deque<Pending> queue_;  // kept sorted by due
};

}  // namespace modelwatch::app

#endif  // MODELWATCH_APP_DEMO_LABELS_H_
