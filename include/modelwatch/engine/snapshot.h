// Snapshot: the immutable result of one evaluation, everything /metrics and /api/v1/status show
// about the data. Built by ModelEngine::Evaluate on the ingest thread, published as
// shared_ptr<const Snapshot>, read by any number of scrape threads without locks.
#ifndef MODELWATCH_ENGINE_SNAPSHOT_H_
#define MODELWATCH_ENGINE_SNAPSHOT_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <modelwatch/config/config.h>
#include <modelwatch/engine/latency_view.h>

namespace modelwatch::engine {

// Why a line did not become a prediction; the names are the `reason` label values.
enum class RejectReason : std::uint8_t {
  kInvalidJson,
  kNotAnObject,
  kLineTooLong,
  kInvalidUtf8,
  kBadTimestamp,
  kMissingRequestId,
};
inline constexpr int kRejectReasons = 6;
const char* RejectReasonName(RejectReason r);

enum class OutsideReason : std::uint8_t { kTooLate, kInFuture };
inline constexpr int kOutsideReasons = 2;
const char* OutsideReasonName(OutsideReason r);

// Data-quality states (statistics.md §4): the ValueState values (0 = valid, then missing, null,
// nan, empty, type_mismatch, decided by the parser), then the engine's two, which stay in drift.
inline constexpr int kQualityStates = 8;
inline constexpr int kOutOfRange = 6;  // numeric: outside the range (configured, else reference)
inline constexpr int kUnseenCategory = 7;  // categorical: not among the reference's categories
// The `reason` label value of a state: "missing", ..., "out_of_range", "unseen_category".
const char* InvalidReasonName(int state);
// Whether a reason can happen for a field of this type: out_of_range only for numeric fields,
// unseen_category only for categorical ones, the parser's reasons for both.
bool InvalidReasonApplies(int state, config::FeatureType type);
// At most this many distinct unexpected field names are kept per model (the first seen).
inline constexpr int kMaxUnexpectedFieldNames = 20;

struct MethodScore {
  const char* method;  // label value: "psi", "wasserstein", "ks_statistic", ...
  double score;
};

struct FieldWindow {
  std::int64_t values = 0;  // valid values in the window
  bool scored = false;      // values >= min_samples and a non-empty reference
  double score = 0;
  double threshold = 0;
  bool detected = false;
  std::vector<MethodScore> extra;  // extra_methods, when scored
  // Values per quality state in the window (index 0 unused). The invalid ratio of a reason is
  // invalid[reason] / WindowView::records: every record looks at every field.
  std::array<std::int64_t, kQualityStates> invalid{};
};

struct WindowView {
  std::string label;
  std::int64_t records = 0;
  std::vector<FieldWindow> fields;  // features then outputs
  int features_scored = 0;          // features (not outputs) that reached min_samples
  int features_drifted = 0;
  bool has_share = false;  // features_scored > 0
  double drift_share = 0;
  bool dataset_detected = false;
  LatencyWindow latency;  // when record.latency is configured
};

struct FieldInfo {
  std::string name;
  bool is_output = false;
  config::FeatureType type = config::FeatureType::kNumeric;
  const char* method = "";                      // resolved deciding method
  std::vector<std::string> bin_names;           // coarse drift bins, for status
  std::vector<double> baseline_share;           // reference share per coarse bin
  std::vector<std::uint64_t> bin_observations;  // cumulative current counts per coarse bin
  std::uint64_t values_total = 0;               // records in which the field was looked at
  std::array<std::uint64_t, kQualityStates> states_total{};  // per quality state (0 = valid)
  bool has_reference_ratio = false;                          // the reference had rows
  // Share of the reference rows per quality state: out_of_range counts reference values outside
  // a configured range (0 without one); unseen_category is 0 by definition.
  std::array<double, kQualityStates> reference_ratio{};
  // The capped category table (categorical fields whose expose_categories is not false):
  // canonical values (with expose_categories: hash, their 8-hex FNV-1a prefix), the reference's
  // top categories first (drift-bin order), then the first values seen in traffic, up to
  // max_categories; the rest are counted in category_overflow.
  bool has_categories = false;
  config::ExposeCategories expose_categories = config::ExposeCategories::kTrue;
  std::vector<std::string> category_names;
  std::vector<std::uint64_t> category_counts;  // per name, cumulative
  std::uint64_t category_overflow = 0;         // observations counted as __other__
};

struct FileView {
  std::string path;
  std::uint64_t position = 0;
  std::uint64_t size = 0;
};

struct SourceView {
  std::string source = "predictions";
  std::int64_t files = 0;
  std::uint64_t lines = 0;  // complete non-blank lines = predictions + rejected
  std::uint64_t bytes = 0;
  std::uint64_t rotations = 0;
  std::uint64_t truncations = 0;
  std::uint64_t bytes_lost_deleted = 0;
  std::uint64_t bytes_lost_truncated = 0;
  std::uint64_t bytes_lost_rotated_away = 0;
  std::uint64_t lag_bytes = 0;
  bool has_last_record = false;
  double last_record_timestamp = 0;
  std::array<std::uint64_t, kRejectReasons> rejected{};
  // Whether a reason can happen with this configuration (bad_timestamp only with time: event,
  // missing_request_id only with ground truth); only those are exported.
  std::array<bool, kRejectReasons> reason_applies{};
  std::vector<FileView> file_list;
  // Log shapes: lines of another model in a shared source (match), or pair lines of another
  // event type; exported when the model has match or record.pair.
  bool has_filtered = false;
  std::uint64_t filtered = 0;
};

struct VersionCount {
  std::string version;
  std::uint64_t predictions = 0;
};

// split_by_version: the windows of one model version, counted over its records alone (the
// model's windows, in the same order, with the same fields).
struct VersionWindows {
  std::string version;  // the model_version label (VersionCount::version)
  std::vector<WindowView> windows;
};

struct LabelsView;  // quality_snapshot.h

struct ModelSnapshot {
  std::string name;
  std::vector<FieldInfo> fields;
  std::vector<WindowView> windows;
  std::vector<VersionCount> versions;
  std::array<std::uint64_t, kOutsideReasons> outside{};
  SourceView predictions;
  // Schema: keys the configuration does not know, under the objects holding the features.
  std::uint64_t unexpected_fields = 0;
  std::vector<std::string> unexpected_field_names;  // distinct, first seen first, capped
  // Only when record.request_id is configured; approximate (see DuplicateFilter).
  bool has_request_id = false;
  std::uint64_t duplicate_request_ids = 0;
  LatencyView latency;
  // record.pair: halves that never met their other half, by kind (request, response).
  bool has_pair = false;
  std::uint64_t unpaired_requests = 0;
  std::uint64_t unpaired_responses = 0;
  // Versions seen inside the longest window ending at T, and how often a version appeared that
  // had not been seen inside it (VersionTracker).
  std::vector<std::string> active_versions;
  std::uint64_t version_changes = 0;
  // split_by_version: the windows per version seen inside the longest window (active_versions
  // order); empty when split_by_version is false.
  std::vector<VersionWindows> version_windows;
  // Ground truth and model quality (interface.md §4.5); null without `ground_truth`.
  std::shared_ptr<const LabelsView> labels;
};

struct Snapshot {
  double time = 0;  // T of the evaluation, seconds since the epoch
  std::vector<ModelSnapshot> models;
};

}  // namespace modelwatch::engine

#endif  // MODELWATCH_ENGINE_SNAPSHOT_H_
