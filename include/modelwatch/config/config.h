// The validated configuration: plain structs, filled by LoadConfig from YAML (interface.md §2).
// Every default below is the documented default. Durations are seconds (double); sizes bytes.
// Model settings are already resolved: `defaults` merged with the model's own overrides.
#ifndef MODELWATCH_CONFIG_CONFIG_H_
#define MODELWATCH_CONFIG_CONFIG_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace modelwatch::config {

enum class TimeMode { kEvent, kArrival };
enum class StartAt { kEnd, kBeginning };
enum class OnCorrupt { kBeginning, kEnd };
enum class TimestampFormat {
  kRfc3339,
  kUnixSeconds,
  kUnixMillis,
  // Log shapes (issue #8): ISO 8601 as Python writes it (zone optional), and finer epochs.
  kIso8601,
  kUnixMicros,
  kUnixNanos,
};
enum class LatencyUnit { kSeconds, kMilliseconds, kMicroseconds, kNanoseconds };
enum class FeatureType { kNumeric, kCategorical };
enum class ExposeCategories { kTrue, kFalse, kHash };
enum class ReferenceFormat { kRows, kLog };
enum class BinKind { kQuantile, kEqualWidth, kSturges, kDoane };
enum class Task { kBinaryClassification, kMulticlassClassification, kRegression };
enum class DriftMethod {
  kAuto,
  kPsi,
  kKl,
  kJensenShannon,
  kHellinger,
  kWasserstein,
  kKs,
  kChiSquare,
  kZ,
  kLinf,
};

// "psi", "jensenshannon", ...; "auto" for kAuto. The spelling used in config and in the
// `method` label.
const char* DriftMethodName(DriftMethod m);
std::optional<DriftMethod> ParseDriftMethod(const std::string& name);
// The default threshold of each method (statistics.md §3).
double DefaultThreshold(DriftMethod m);

struct Window {
  std::string label;  // as written in the file: "5m", "1h"; the `window` label value
  double seconds = 0;
};

struct DriftConfig {
  DriftMethod method = DriftMethod::kAuto;
  std::map<DriftMethod, double> thresholds;  // per-method overrides of DefaultThreshold
  std::vector<DriftMethod> extra_methods;
  BinKind bin_kind = BinKind::kQuantile;
  int bin_count = 10;
  double js_base = 0;  // 0 means e (natural log); otherwise 2
  std::int64_t min_samples = 100;
  double drift_share = 0.5;

  // The threshold for method m: the override if any, else DefaultThreshold(m).
  double ThresholdFor(DriftMethod m) const;
};

struct ModelSettings {  // `defaults`, overridable per model
  std::vector<Window> windows = {{"5m", 300}, {"1h", 3600}, {"24h", 86400}};
  int buckets_per_window = 30;
  TimeMode time = TimeMode::kEvent;
  double allowed_lateness = 60;
  double max_future_skew = 60;
  DriftConfig drift;
  int max_categories = 50;
  int max_versions = 5;
  bool split_by_version = false;
  // `parse`: lenient scalars (log shapes, docs/configuration.md). Both off by default.
  bool numbers_in_strings = false;  // "0.91" counts as 0.91 for numeric fields, labels, latency
  bool nan_literals = false;        // bare NaN/Infinity/-Infinity: kept, the value is nan
};

struct Range {
  std::optional<double> min;
  std::optional<double> max;
};

struct FeatureConfig {
  std::string name;
  std::string path;  // JSON Pointer (RFC 6901), e.g. "/inputs/amount"
  FeatureType type = FeatureType::kNumeric;
  std::optional<Range> range;
  ExposeCategories expose_categories = ExposeCategories::kTrue;
  std::optional<DriftMethod> drift_method;  // per-feature `drift: { method, threshold }`
  std::optional<double> drift_threshold;
  // Log shapes: the value is column `column` of the Open Inference Protocol tensor named
  // `tensor` (under record.batch.tensors) at the current batch row; `path` is then empty.
  std::string tensor;
  std::int64_t column = 0;
  // `type: probabilities` while parsing; such outputs move to ModelConfig::probabilities.
  bool probabilities = false;
  std::vector<std::string> classes;
};

// `type: probabilities` outputs: per-class scores, a vector (in `classes` order) or an object
// class -> score. Parsed into Record::probabilities for the label join (issue #6).
struct ProbabilitiesConfig {
  std::string name;
  std::string path;
  std::vector<std::string> classes;
};

struct FeatureInference {  // `features: { infer: { under, max } }`
  std::string under;
  int max = 100;
};

struct SourceConfig {
  std::vector<std::string> paths;  // globs, absolute after loading
  std::vector<std::string> exclude = {"*.gz", "*.zst", "*.bz2", "*.xz"};
  std::string format = "jsonl";
  StartAt start_at = StartAt::kEnd;
  std::uint64_t max_line_bytes = 1024 * 1024;
  // Container runtime wrapper around each line: none | cri | docker.
  enum class Envelope { kNone, kCri, kDocker } envelope = Envelope::kNone;
};

struct TimestampField {
  // A constructor, not an aggregate, so that {path, format} stays complete as fields are added.
  TimestampField(std::string p = "", TimestampFormat f = TimestampFormat::kRfc3339)
      : path(std::move(p)), format(f) {}
  std::string path;
  TimestampFormat format;
  std::vector<std::string> fallback_paths;  // `path: [a, b]`: the first present wins
  // Seconds east of UTC applied to zone-less iso8601 text (`timezone: UTC|+02:00`).
  double timezone_offset = 0;
};

struct LatencyField {
  std::string path;
  LatencyUnit unit = LatencyUnit::kMilliseconds;
  std::optional<double> objective_seconds;
  bool from_pair = false;  // path empty: response time - request time of a record.pair
  std::vector<double> buckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                 0.25,  0.5,    1,     2.5,  5,     10};
};

// Log shapes (docs/configuration.md "Log shapes"): embedded payloads, batches, pairs, routing.
enum class DecodeAs { kJson, kBase64, kCsv, kAuto };
struct DecodeStep {
  std::string path;  // a string in the line (or in an earlier decoded document)
  DecodeAs as = DecodeAs::kJson;
  std::string encoding;      // auto: pointer to CSV|JSON|BASE64
  std::string content_type;  // auto/base64: pointer to a MIME type telling csv from json
};

struct BatchConfig {
  std::string path;                  // rows: an array; empty with tensors
  std::string names;                 // optional header array: 0/<name> finds the column
  std::vector<std::string> tensors;  // OIP tensor arrays; rows = shape[0]
  std::string id = "{request_id}-item-{index}";
};

struct PairConfig {
  std::string key;        // the id joining request and response
  std::string kind_path;  // what tells them apart
  std::string request;    // value of kind_path on request lines
  std::string response;   // ... on response lines
  double timeout = 30;
  std::uint64_t max_pending = 100000;
};

struct MatchConfig {
  std::string path;
  enum class Op { kEquals, kIn, kPrefix, kRegex } op = Op::kEquals;
  std::vector<std::string> values;  // one for equals/prefix/regex
};

struct RecordConfig {
  std::optional<TimestampField> timestamp;
  std::string request_id;     // JSON Pointer or empty
  std::string model_version;  // JSON Pointer or empty
  std::optional<LatencyField> latency;
  std::vector<std::string> request_id_fallbacks;  // `request_id: [a, b]`: the first present wins
  std::vector<DecodeStep> decode;
  std::optional<BatchConfig> batch;
  std::optional<PairConfig> pair;
  // Whether any key needs the shaped parser (decode, batch, pair or tensor fields).
  bool shaped = false;
};

struct ReferenceConfig {
  std::string path;  // absolute after loading; empty when baseline is used
  ReferenceFormat format = ReferenceFormat::kRows;
  std::string target;    // key of the ground-truth label in rows; may be empty
  std::string baseline;  // a `modelwatch baseline` file instead of path
};

struct GroundTruthRecord {
  std::string request_id;
  std::string label;
  std::string timestamp;
  // Log shapes for the label log (SageMaker's ground truth: a CSV/JSON/BASE64 string): decoded
  // like record.decode, and with `batch` one label line gives one label per row (per-row ids
  // as record.batch.id). With either, the label log is read by the shaped parser.
  std::vector<DecodeStep> decode;
  std::optional<BatchConfig> batch;
};

struct GroundTruthConfig {
  SourceConfig source;
  GroundTruthRecord record;
  Task task = Task::kBinaryClassification;
  std::string prediction;
  std::string score;
  std::string positive_class;
  double join_ttl = 3600;
  std::uint64_t max_pending = 1000000;
  std::uint64_t max_pending_labels = 100000;
  std::vector<Window> windows = {{"1h", 3600}, {"1d", 86400}};
  std::int64_t min_samples = 100;
  // `source: predictions`: the label is in the prediction line at record.label (BentoML
  // `target`, OpenInference actuals); it is parsed into Record::label.
  bool from_predictions = false;
};

struct ProcessConfig {  // exactly one of these is set
  std::string pid_file;
  std::string name;
  std::string cgroup;
};

struct CostConfig {
  double amount = 0;
  std::string currency = "USD";
};

struct ModelConfig {
  std::string name;
  SourceConfig source;
  RecordConfig record;
  std::vector<FeatureConfig> features;
  std::optional<FeatureInference> infer_features;
  std::vector<FeatureConfig> outputs;
  std::vector<ProbabilitiesConfig> probabilities;  // outputs with type: probabilities
  std::optional<MatchConfig> match;                // lines of this model in a shared source
  ReferenceConfig reference;
  std::optional<GroundTruthConfig> ground_truth;
  std::optional<ProcessConfig> process;
  std::optional<CostConfig> cost_per_hour;
  ModelSettings settings;
};

struct ServerConfig {
  std::string listen_address = ":10100";
  std::string web_config_file;
  bool protect_health_endpoints = false;
  int max_connections = 64;
  int max_concurrent_requests = 8;
  double read_header_timeout = 5;
  double idle_timeout = 60;
};

struct StateConfig {
  std::string directory;  // empty: no persistence
  double checkpoint_interval = 10;
  OnCorrupt on_corrupt = OnCorrupt::kBeginning;
};

struct LogConfig {
  std::string level = "info";   // debug|info|warn|error
  std::string format = "text";  // text|json
};

struct ResourcesConfig {
  std::string gpu = "auto";              // auto|none
  std::vector<std::string> filesystems;  // absolute after loading
  std::string gpu_library;  // NVML to dlopen; empty: $MODELWATCH_NVML_LIBRARY or the driver's
};

struct Config {
  std::string file;  // the absolute path it was loaded from
  ServerConfig server;
  StateConfig state;
  double tick_interval = 1;
  std::uint64_t max_series = 10000;
  LogConfig log;
  ResourcesConfig resources;
  std::vector<ModelConfig> models;
};

struct ConfigError {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
  std::string message;
  std::string ToString() const;  // "FILE:LINE:COL: message"
};

struct LoadResult {
  std::optional<Config> config;     // set when errors is empty
  std::vector<ConfigError> errors;  // every problem found, in file order
};

// Loads and validates a configuration file. Relative paths are resolved against the file's
// directory. Never throws.
LoadResult LoadConfigFile(const std::string& path);
// The same from text; `file` names it in messages and anchors relative paths.
LoadResult LoadConfigString(const std::string& text, const std::string& file);

// Parses "30s", "5m", "1h", "1d", "1h30m", "250ms" (Prometheus duration syntax) into seconds.
std::optional<double> ParseDuration(const std::string& text);
// Parses "1MiB", "64KiB", "512" into bytes.
std::optional<std::uint64_t> ParseSize(const std::string& text);

}  // namespace modelwatch::config

#endif  // MODELWATCH_CONFIG_CONFIG_H_
