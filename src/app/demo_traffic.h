// Synthetic, seeded traffic of a fraud-style model: the prediction-log lines a model server would
// write (performance.md's reference workload) and the matching training-time reference rows.
// Used by `modelwatch demo` and by bench/gen.
#ifndef MODELWATCH_APP_DEMO_TRAFFIC_H_
#define MODELWATCH_APP_DEMO_TRAFFIC_H_

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace modelwatch::app {

inline constexpr std::string_view kDemoModelName = "fraud-detector";
inline constexpr std::string_view kDemoModelVersion = "3.2.0";
// Feature names, in the order they appear under /inputs of a line and in a reference row.
inline constexpr std::array<std::string_view, 8> kDemoNumericFeatures = {"amount",
                                                                         "age",
                                                                         "account_age_days",
                                                                         "num_transactions_24h",
                                                                         "distance_from_home_km",
                                                                         "hour_of_day",
                                                                         "velocity_1h",
                                                                         "credit_limit"};
inline constexpr std::array<std::string_view, 4> kDemoCategoricalFeatures = {
    "country", "merchant_category", "device_type", "payment_method"};
// Outputs: name in the reference row / configuration, and key under /outputs of a line.
inline constexpr std::string_view kDemoScoreOutput = "score";          // /outputs/score
inline constexpr std::string_view kDemoPredictedOutput = "predicted";  // /outputs/label
inline constexpr std::string_view kDemoTargetKey = "target";
// With drift on, from drift_start: amount's mean ×2.5, distance_from_home_km ×3, and the share
// of the rare country "NG" jumps from 0.5 % to 30 %. Every other feature keeps its distribution;
// the score and the predicted label shift as a consequence (they depend on the drifted features).
inline constexpr std::array<std::string_view, 3> kDemoDriftingFeatures = {
    "amount", "distance_from_home_km", "country"};
// With quality on, from quality_start, each prediction line independently (one draw per fault)
// carries: age null (5 %) or else age 150, outside the reference's 18-90 (2 %); no device_type
// key (3 %); credit_limit as a JSON string, "12500" (5 %); payment_method "bnpl", a category the
// reference never saw (10 %). They become the reasons null, out_of_range, missing,
// type_mismatch and unseen_category; the other features stay clean.
inline constexpr double kDemoAgeNullShare = 0.05;
inline constexpr double kDemoAgeOutOfRangeShare = 0.02;
inline constexpr double kDemoAgeOutOfRangeValue = 150;
inline constexpr double kDemoDeviceMissingShare = 0.03;
inline constexpr double kDemoCreditLimitTextShare = 0.05;
inline constexpr double kDemoNewPaymentShare = 0.10;
inline constexpr std::string_view kDemoNewPayment = "bnpl";
// With latency on, from latency_start: heavy-tailed latency spikes. Time is cut into periods of
// kDemoSpikePeriodSeconds; in the first kDemoSpikeSeconds of each, a request is slow with
// probability kDemoSpikeSlowShare, otherwise with kDemoSlowShare. A slow request takes a Pareto
// latency (x_m kDemoSlowMinMs, shape kDemoSlowShape: a heavy tail) capped at kDemoSlowCapMs. The
// median stays at about 11 ms; p99 over a minute climbs past a 250 ms objective.
inline constexpr double kDemoSpikePeriodSeconds = 60;
inline constexpr double kDemoSpikeSeconds = 15;
inline constexpr double kDemoSpikeSlowShare = 0.25;
inline constexpr double kDemoSlowShare = 0.02;
inline constexpr double kDemoSlowMinMs = 200;
inline constexpr double kDemoSlowShape = 1.5;
inline constexpr double kDemoSlowCapMs = 30000;
// The reference is drawn with seed + this, so it is not the traffic's own sample.
inline constexpr std::uint64_t kDemoReferenceSeedOffset = 1000003;

struct TrafficOptions {
  std::uint64_t seed = 42;
  bool drift = false;
  double drift_start = 0;  // event time (epoch seconds) at which drift begins
  bool quality = false;
  double quality_start = 0;  // event time at which the data-quality faults begin
  bool latency = false;
  double latency_start = 0;  // event time at which the latency spikes begin
};

// Deterministic for a seed (own transforms over mt19937_64, not the implementation-defined
// std distributions). Appending a line allocates only when `out` must grow.
//
// Each feature is drawn by inverse CDF from its own *stratified* uniform stream: every block of
// kStratum consecutive draws has one value in each 1/kStratum slice of [0, 1), in random order.
// Values still look random, but any window of a few thousand consecutive records matches the
// feature's distribution far more closely than iid draws would (normed Wasserstein 0.004-0.012
// against 50,000 reference rows instead of ~0.025 at 3,000 records; worst of 200 windows 0.023
// instead of 0.07), so undrifted features stay far from the 0.1 drift thresholds (iid draws put
// about 1 % of 3,000-record windows above half of it). The score's model noise and the latency
// are iid, so the score output keeps iid-like noise (worst window ~0.05).
class TrafficGenerator {
 public:
  explicit TrafficGenerator(TrafficOptions options);

  // One JSON line + '\n', about 390 bytes:
  // {"ts":"2026-11-28T05:00:00.123Z","request_id":"r000000001","model":"fraud-detector",
  //  "model_version":"3.2.0","latency_ms":12.8,"inputs":{...12 features...},
  //  "outputs":{"score":0.8731,"label":"fraud"}}
  void AppendPredictionLine(double event_time, std::string* out);

  // One flat JSON row + '\n', never drifted: the 12 features, "score", "predicted" and "target"
  // (the ground truth, drawn from the score so the reference has realistic labels).
  void AppendReferenceRow(std::string* out);

  std::uint64_t lines_written() const { return next_request_id_ - 1; }
  // The next line's request id is r<id>: a second generator continues a first one's log
  // (bench/gen.cc --first-line) without repeating request ids.
  void set_next_request_id(std::uint64_t id) { next_request_id_ = id; }

 private:
  struct Sample {
    double amount, age, account_age_days, num_transactions_24h, distance_from_home_km;
    int hour_of_day;
    double velocity_1h, credit_limit;
    int country, merchant_category, device_type, payment_method;
    double score;
  };

  // Data-quality faults of one line (all false: a clean line).
  struct Faults {
    bool age_null = false, age_out_of_range = false, no_device_type = false,
         credit_limit_text = false, new_payment = false;
  };

  static constexpr int kStratum = 64;
  struct Stratified {
    std::array<std::uint8_t, kStratum> order;
    int next = kStratum;
  };
  static constexpr int kStreams = 12;  // one per feature

  double Uniform();          // iid in [0, 1)
  double Strat(int stream);  // stratified in (0, 1)
  double Normal();           // iid
  Sample Draw(bool drifted);
  Faults DrawFaults();                      // iid, independent of the sample
  double SlowLatencyMs(double event_time);  // 0: not slow (latency scenario, iid)
  void AppendInputs(const Sample& s, const Faults& faults, std::string* out);

  TrafficOptions options_;
  std::mt19937_64 rng_;
  std::array<Stratified, kStreams> streams_;
  std::uint64_t next_request_id_ = 1;
};

}  // namespace modelwatch::app

#endif  // MODELWATCH_APP_DEMO_TRAFFIC_H_
