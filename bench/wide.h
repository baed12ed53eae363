// A wide workload for the scrape benchmark (performance.md: `/metrics` p99 <= 50 ms for 200
// features): prediction lines with N features under /inputs, alternately numeric ("n000", a
// lognormal) and categorical ("c001", one of 8 values), a latency, a score and a label, and the
// matching flat reference rows. Seeded and deterministic; no drift, no faults.
#ifndef MODELWATCH_BENCH_WIDE_H_
#define MODELWATCH_BENCH_WIDE_H_

#include <cstdint>
#include <random>
#include <string>

namespace modelwatch::bench {

class WideGenerator {
 public:
  WideGenerator(int features, std::uint64_t seed);

  // {"ts":"...","request_id":"w000000001","model_version":"1.0.0","latency_ms":12.5,
  //  "inputs":{"n000":1.25,"c001":"v3",...},"outputs":{"score":0.1234,"label":"no"}} + '\n'
  void AppendPredictionLine(double event_time, std::string* out);
  // {"n000":1.25,"c001":"v3",...,"score":0.1234,"predicted":"no","target":"no"} + '\n'
  void AppendReferenceRow(std::string* out);

  static std::string FeatureName(int i);  // "n000" for even i, "c001" for odd i
  static bool IsNumeric(int i) { return i % 2 == 0; }

 private:
  void AppendInputs(std::string* out);
  double Uniform();

  int features_;
  std::mt19937_64 rng_;
  std::uint64_t next_request_id_ = 1;
  double score_ = 0;
};

}  // namespace modelwatch::bench

#endif  // MODELWATCH_BENCH_WIDE_H_
