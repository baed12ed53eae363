// The Clock seam: pure modules never read time; they are given it. The app injects the real
// clock, tests a FakeClock they advance by hand (no sleeps).
#ifndef MODELWATCH_CORE_CLOCK_H_
#define MODELWATCH_CORE_CLOCK_H_

namespace modelwatch {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time in seconds since the Unix epoch.
  virtual double Now() const = 0;
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(double now = 0) : now_(now) {}
  double Now() const override { return now_; }
  void Set(double now) { now_ = now; }
  void Advance(double seconds) { now_ += seconds; }

 private:
  double now_;
};

}  // namespace modelwatch

#endif  // MODELWATCH_CORE_CLOCK_H_
