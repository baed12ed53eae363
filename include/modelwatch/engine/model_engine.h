// ModelEngine: the statistics of one model. Records go in (already parsed), windows of
// mergeable aggregates fill, Evaluate(T) produces a ModelSnapshot. Pure: time is an argument.
// Not thread-safe: one ingest thread owns it; snapshots cross threads, the engine never does.
#ifndef MODELWATCH_ENGINE_MODEL_ENGINE_H_
#define MODELWATCH_ENGINE_MODEL_ENGINE_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <modelwatch/config/config.h>
#include <modelwatch/core/record.h>
#include <modelwatch/core/status.h>
#include <modelwatch/engine/baseline.h>
#include <modelwatch/engine/snapshot.h>
#include <modelwatch/window/window_ring.h>

namespace modelwatch {
class ByteReader;
class ByteWriter;
}  // namespace modelwatch

namespace modelwatch::engine {

class DuplicateFilter;
class LatencyTracker;
struct SavedLatency;
class VersionTracker;

class ModelEngine {
 public:
  // Resolves every field's method (auto from the baseline), thresholds and bins. Fails with
  // every problem found, one per line, each naming the model and field.
  static Result<std::unique_ptr<ModelEngine>> Create(const config::ModelConfig& model,
                                                     Baseline baseline);
  ~ModelEngine();

  // one_shot: records older than the newest event time seen − longest window − lateness are
  // outside; nothing is "in the future". Otherwise both rules use `now` (statistics.md §1).
  void set_one_shot(bool one_shot) { one_shot_ = one_shot; }

  // A parsed prediction. `now` is the wall clock at reading (the arrival time).
  void OnRecord(const Record& record, double now);
  void OnRejected(RejectReason reason);

  // Evaluates every window ending at T. The SourceView's tailer fields are left for the caller.
  ModelSnapshot Evaluate(double T) const;

  // Checkpoints (persist.cc, reliability.md §State): every window bucket (the staging bucket
  // included), the cumulative counters and the category tables, keyed by window label and field
  // name and shape. Appends to *out.
  void SaveAggregates(std::string* out) const;
  struct LoadReport {
    int fields_kept = 0, fields_reset = 0;    // fields of this engine: restored / left empty
    int windows_kept = 0, windows_reset = 0;  // windows of this engine: restored / left empty
  };
  // Replaces this engine's aggregates with saved ones, possibly from another configuration:
  // windows match by label, width and bucket count; fields by name, type and bins (a changed
  // reference changes the bins); whatever does not match starts empty (reported). A corrupt or
  // truncated input fails and changes nothing.
  Result<LoadReport> LoadAggregates(std::string_view bytes);

  // Newest event time seen (0 before the first record).
  double newest_event_time() const { return newest_; }
  const std::string& name() const { return model_.name; }

 private:
  struct Field;
  struct Bucket {
    std::uint64_t records = 0;
    std::vector<std::uint32_t> counts;  // every field's bins, at Field::offset
    std::vector<double> sums;           // numeric: sum below, sum above, at Field::sum_offset
    // Invalid values per field and quality state, at field * kQualityStates + state.
    std::vector<std::uint32_t> invalid;
    // The staging bucket remembers which counts it touched, so that flushing and clearing cost
    // what was added, not the size of every field's bins.
    bool track = false;
    std::vector<std::uint32_t> touched;
    void Bump(std::size_t i) {
      if (counts[i]++ == 0 && track) touched.push_back(static_cast<std::uint32_t>(i));
    }
    void Clear();
    void AddTo(Bucket* other) const;
  };
  ModelEngine(const config::ModelConfig& model, Baseline baseline);
  Status Resolve();
  int VersionSlot(std::string_view version);
  void PlaceInWindows(const Record& record, double now);
  void EvaluateWindow(const window::WindowRing<Bucket>& ring, const Bucket& staging, double T,
                      Bucket* merged, WindowView* out) const;
  // Staging (staging.cc): records of the newest staging period (the shortest bucket width)
  // collect in one small hot bucket that is merged into every window's bucket when time moves
  // on, instead of touching one bucket per window for every value.
  void SetUpStaging();
  void Route(double t);  // points scratch_buckets_ at the buckets for time t
  void FlushStaging();
  bool StagingInWindow(const window::WindowRing<Bucket>& ring, const Bucket& staging,
                       double T) const;
  // Data quality (quality.cc, and Observe in model_engine.cc).
  void SetUpQuality();
  // A valid value -> 0, out_of_range or unseen; fine_bin: FineBin of a numeric value.
  int Observe(Field& f, const FieldValue& v, int fine_bin);
  void NoteRecordQuality(const Record& record);
  void FillWindowQuality(const Bucket& merged, WindowView* out) const;
  void FillFieldQuality(const Field& f, FieldInfo* info) const;
  void FillModelQuality(ModelSnapshot* s) const;

  config::ModelConfig model_;
  Baseline baseline_;
  std::vector<Field> fields_;
  std::size_t counts_size_ = 0;
  std::size_t sums_size_ = 0;
  std::vector<window::WindowRing<Bucket>> rings_;
  std::vector<Bucket*> scratch_buckets_;
  double staging_width_ = 0;  // 0: staging off (a window's bucket width is no multiple of it)
  std::int64_t staging_index_ = 0;
  bool staging_used_ = false;
  Bucket staging_;
  std::vector<int> scratch_bins_;
  double longest_window_ = 0;
  bool one_shot_ = false;
  double newest_ = 0;
  bool has_newest_ = false;
  std::vector<VersionCount> versions_;
  std::array<std::uint64_t, kRejectReasons> rejected_{};
  std::array<std::uint64_t, kOutsideReasons> outside_{};
  std::uint64_t lines_ = 0;
  std::uint64_t unexpected_fields_ = 0;
  std::vector<std::string> unexpected_names_;    // distinct, at most kMaxUnexpectedFieldNames
  std::unique_ptr<DuplicateFilter> duplicates_;  // when record.request_id is configured
  std::unique_ptr<LatencyTracker> latency_;      // latency.cc: histogram and window sketch
  std::uint64_t duplicate_ids_ = 0;
  // persist.cc: a field's shape (type, bins, edges): saved buckets fit only the same shape.
  std::uint64_t FieldShape(const Field& f) const;
  // latency_persist.cc: the latency section appended to the aggregates (histograms, invalid
  // counts, the sketch counts of every window bucket). Read before anything changes, applied
  // after the rings are rebuilt; a section of another latency layout is skipped.
  void SaveLatency(ByteWriter& w) const;
  bool ReadLatency(ByteReader& r, SavedLatency* out) const;
  void ApplyLatency(const SavedLatency& saved);
  std::unique_ptr<VersionTracker> version_tracker_;  // versions.h
  // split_by_version (version_windows.cc): every version slot (at most max_versions + 1, the
  // last __other__) gets its own rings and staging bucket, allocated when the slot first shows
  // up. A record's buckets in its version's lane are appended to scratch_buckets_, so every
  // count the record makes lands in the model's windows and in its version's, by the same code.
  struct VersionLane;
  VersionLane* LaneFor(int slot);               // null: split off, or a slot past the cap
  void RouteLane(VersionLane& lane, double t);  // after Route: appends the lane's buckets
  void FlushLanes();                            // from FlushStaging: the lanes' staging buckets
  void EvaluateLanes(double T, Bucket* merged, ModelSnapshot* s) const;
  std::uint64_t LaneLayout() const;     // a hash of the window buckets' layout
  void SaveLanes(ByteWriter& w) const;  // the checkpoint's version-windows section
  struct SavedLanes;
  bool ReadLanes(ByteReader& r, SavedLanes* out) const;
  void ApplyLanes(const SavedLanes& saved);
  bool split_ = false;
  Bucket empty_;                                     // the bucket every lane's rings start from
  std::vector<std::unique_ptr<VersionLane>> lanes_;  // per version slot
  VersionLane* lane_ = nullptr;                      // the current record's lane
};

}  // namespace modelwatch::engine

#endif  // MODELWATCH_ENGINE_MODEL_ENGINE_H_
