// RelativeSketch: the fixed bucket layout of a DDSketch-style relative-error quantile sketch over
// positive values (latencies in seconds). Bucket k of the log range holds (γ^(k−1), γ^k] with
// γ = (1 + α)/(1 − α); reporting 2γ^k/(γ + 1) for any value in it is within α relative of the
// value. The layout is fixed, so a sketch is a plain array of counts: merging is adding counts,
// which is what the window rings do with them (window/window_ring.h).
//
// Slots: 0 holds values below kMinValue (0 included; reported as 0), 1..log buckets the range
// [kMinValue, kMaxValue], the last slot values above kMaxValue (reported as kMaxValue).
// Pure and stateless; thread-safe.
#ifndef MODELWATCH_STATS_RELATIVE_SKETCH_H_
#define MODELWATCH_STATS_RELATIVE_SKETCH_H_

#include <cstddef>
#include <cstdint>
#include <span>

namespace modelwatch::stats {

class RelativeSketch {
 public:
  // α: half the 1 % that statistics.md §6 allows, so boundary rounding can never reach it.
  static constexpr double kRelativeAccuracy = 0.005;
  static constexpr double kMinValue = 1e-6;  // 1 µs
  static constexpr double kMaxValue = 1e5;   // about 28 hours

  RelativeSketch();

  // Number of count slots (about 2,540).
  std::size_t size() const { return size_; }
  // The slot of a value: finite and >= 0 (the parser guarantees it for latencies).
  std::size_t Slot(double value) const;
  // The value reported for a slot: within α relative of every value in it (slot 0: 0; the last:
  // kMaxValue).
  double Value(std::size_t slot) const;

  // The lower-nearest-rank q-quantile (numpy's quantile(..., method="lower"): the element at
  // 0-based rank floor(q·(n − 1)) of the sorted values) of the values counted in `counts`
  // (size() slots), within α relative. q in [0, 1]; n = 0 gives 0 (callers check n first).
  double Quantile(std::span<const std::uint32_t> counts, double q) const;

 private:
  double log_gamma_ = 0;      // ln γ
  std::int64_t key_min_ = 0;  // the key of slot 1: ceil(log_γ kMinValue)
  std::size_t size_ = 0;
};

}  // namespace modelwatch::stats

#endif  // MODELWATCH_STATS_RELATIVE_SKETCH_H_
