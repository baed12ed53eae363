// LabelJoin: the delayed-label join of statistics.md §5, keyed by a 64-bit hash of the request id.
//
// A prediction waits (event time) up to `ttl` for its label in a table bounded by `max_pending`;
// a label that comes first waits in a table bounded by `max_pending_labels`. A prediction and a
// label join when their ids match and their timestamps are at most `ttl` apart. Each stream has
// its own clock (the newest timestamp seen in it): a waiting prediction expires (reason `ttl`)
// once the label clock has passed its timestamp + ttl, a waiting label (reason
// `unknown_request`) once the prediction clock has; so with each file in time order the joins
// do not depend on which file is read first (--one-shot). With `shared_clock` (the daemon, which
// reads both logs as they grow) both expire by the newer of the two clocks, so a label log that
// stops does not hold predictions until the table is full.
//
// Duplicates: a joined prediction is remembered until it expires, so a second label for it is
// counted (`duplicate`) and never credited; so is a second label waiting for the same id. A
// second prediction with an id already waiting or joined is ignored (the engine counts it in
// modelwatch_duplicate_request_ids_total). At a bound the entry with the oldest timestamp leaves:
// a waiting prediction as unlabelled (`evicted`), a remembered joined one silently, a label as
// unmatched (`evicted`). Memory: 48-byte slots at most 70 % full plus a 24-byte heap item per
// entry (about 100-130 bytes per held prediction; 1,000,000 held: ~215 MB peak RSS in --one-shot
// while the tables double), grown by doubling, never per line.
//
// Pure and not thread-safe: one ingest thread owns it. Save/Load carry every entry, both clocks
// and the counters, so a restart from a checkpoint loses no join.
#ifndef MODELWATCH_ENGINE_LABEL_JOIN_H_
#define MODELWATCH_ENGINE_LABEL_JOIN_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <modelwatch/core/status.h>

namespace modelwatch::engine {

// The 64-bit hash the join keys on (never 0).
std::uint64_t RequestIdHash(std::string_view id);

struct JoinLimits {
  double ttl = 3600;
  std::uint64_t max_pending = 1000000;
  std::uint64_t max_pending_labels = 100000;
  bool shared_clock = false;
};

// What a prediction brings: its timestamp (where the label is credited), the predicted class
// index (classification) or value (regression), and the score output (NaN when none).
struct JoinPrediction {
  double timestamp = 0;
  double predicted = 0;
  double score = 0;
};

// A label: the class index or value, and its time. has_timestamp false: the label carries no
// event time; it then matches any waiting prediction and moves no clock.
struct JoinLabel {
  double timestamp = 0;
  bool has_timestamp = false;
  double value = 0;
};

struct JoinCounters {
  std::uint64_t labels = 0;               // labels offered
  std::uint64_t joined = 0;               // labels joined to a prediction
  std::uint64_t unmatched_unknown = 0;    // waited ttl with no prediction
  std::uint64_t unmatched_duplicate = 0;  // id already joined or already waiting
  std::uint64_t unmatched_evicted = 0;    // pushed out at max_pending_labels
  std::uint64_t unlabeled_ttl = 0;        // predictions that waited ttl in vain
  std::uint64_t unlabeled_evicted = 0;    // pushed out at max_pending
};

struct JoinResult {
  JoinPrediction prediction;
  JoinLabel label;
};

class LabelJoin {
 public:
  explicit LabelJoin(JoinLimits limits);
  ~LabelJoin();
  LabelJoin(LabelJoin&&) noexcept;
  LabelJoin& operator=(LabelJoin&&) noexcept;

  // Each returns true and fills *out when the record completed a join.
  bool AddPrediction(std::uint64_t id, const JoinPrediction& p, JoinResult* out);
  bool AddLabel(std::uint64_t id, const JoinLabel& l, JoinResult* out);
  // In-line labels (ground_truth.source: predictions): the label came in its prediction's line,
  // so the two join at once: counted as offered and joined, nothing held, no clock moved, no
  // id needed. The result is what AddLabel gives for a join.
  JoinResult JoinInLine(const JoinPrediction& p, const JoinLabel& l);
  // An in-line label whose line has no usable prediction: offered and unmatched as
  // `unknown_request`, as a label log's would be once it expired.
  void UnmatchedInLine();

  std::uint64_t pending_predictions() const { return waiting_predictions_; }
  std::uint64_t pending_labels() const;
  // Predictions held: waiting ones and joined ones remembered for duplicates (<= max_pending).
  std::uint64_t held_predictions() const;
  const JoinCounters& counters() const { return counters_; }
  const JoinLimits& limits() const { return limits_; }

  // Appends the whole state to *out: a versioned, little-endian binary block.
  void Save(std::string& out) const;
  // Replaces the state with a block written by Save. Fails, leaving the state unchanged, on a
  // wrong magic or version, a truncated or oversized block, or inconsistent content. Entries
  // beyond the current limits are evicted at once (counted), so a smaller bound holds.
  Status Load(std::string_view in);

 private:
  struct State;
  void Expire();
  void EvictPredictionsTo(std::uint64_t bound);
  void EvictLabelsTo(std::uint64_t bound);
  void InsertPrediction(std::uint64_t id, const JoinPrediction& p, bool joined);
  bool WithinTtl(double prediction_ts, const JoinLabel& l) const;

  JoinLimits limits_;
  JoinCounters counters_;
  std::unique_ptr<State> s_;
  std::uint64_t waiting_predictions_ = 0;
};

}  // namespace modelwatch::engine

#endif  // MODELWATCH_ENGINE_LABEL_JOIN_H_
