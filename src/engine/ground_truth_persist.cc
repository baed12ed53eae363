// GroundTruth::Save / Load: the join, the class table, the label counters and the quality
// windows of a checkpoint.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <optional>

#include <modelwatch/core/bytes.h>
#include <modelwatch/engine/ground_truth.h>

#include "engine/category_table.h"
#include "engine/ground_truth_impl.h"

namespace modelwatch::engine {

namespace {

constexpr char kStateMagic[4] = {'M', 'W', 'G', 'T'};
// 1: everything up to the join block. 2: the quality windows' buckets follow the join block
// (a version 1 block still loads; its windows start empty). 3: then the in-line labels' count
// of predictions without a label (older blocks load it as 0).
constexpr std::uint32_t kStateVersion = 3;

// What the quality buckets' layout depends on: a block saved under another task, class table
// size, score or reference target keeps its counters and join but not its windows.
std::uint64_t WindowShape(const QualityShape& shape, const std::optional<FieldBaseline>& target) {
  std::string key;
  ByteWriter w(&key);
  w.U32(static_cast<std::uint32_t>(shape.task));
  w.U32(static_cast<std::uint32_t>(shape.classes));
  w.U32(static_cast<std::uint32_t>(shape.positive));
  w.U8(shape.has_score ? 1 : 0);
  w.U32(static_cast<std::uint32_t>(shape.label_bins));
  if (target && target->type == config::FeatureType::kNumeric) {
    for (double e : target->numeric.bins.fine_edges) w.F64(e);
  }
  return Fnv1a64(key);
}

void WriteCounts(ByteWriter& w, const std::vector<std::uint32_t>& v) {
  w.Var(v.size());
  for (std::uint32_t x : v) w.Var(x);
}

bool ReadCounts(ByteReader& r, std::vector<std::uint32_t>* v) {
  const std::uint64_t n = r.Count();
  v->resize(n);
  for (std::uint32_t& x : *v) {
    const std::uint64_t c = r.Var();
    if (c > UINT32_MAX) return false;
    x = static_cast<std::uint32_t>(c);
  }
  return r.ok();
}

void WriteBucket(ByteWriter& w, const QualityBucket& b) {
  w.Var(b.labeled);
  WriteCounts(w, b.confusion);
  w.Var(b.scored);
  for (double x : {b.log_loss, b.brier, b.abs_err, b.sq_err, b.ape, b.sum_y, b.sum_y2,
                   b.label_below, b.label_above, b.tp, b.fp, b.fn, b.tn}) {
    w.F64(x);
  }
  WriteCounts(w, b.score_pos);
  WriteCounts(w, b.score_neg);
  WriteCounts(w, b.label_bins);
  w.Var(b.estimated);
}

bool ReadBucket(ByteReader& r, QualityBucket* b) {
  b->labeled = r.Var();
  if (!ReadCounts(r, &b->confusion)) return false;
  b->scored = r.Var();
  for (double* x : {&b->log_loss, &b->brier, &b->abs_err, &b->sq_err, &b->ape, &b->sum_y,
                    &b->sum_y2, &b->label_below, &b->label_above, &b->tp, &b->fp, &b->fn, &b->tn}) {
    *x = r.F64();
    if (!std::isfinite(*x)) return false;
  }
  if (!ReadCounts(r, &b->score_pos) || !ReadCounts(r, &b->score_neg) ||
      !ReadCounts(r, &b->label_bins)) {
    return false;
  }
  b->estimated = r.Var();
  return r.ok();
}

bool SameSizes(const QualityBucket& a, const QualityBucket& b) {
  return a.confusion.size() == b.confusion.size() && a.score_pos.size() == b.score_pos.size() &&
         a.score_neg.size() == b.score_neg.size() && a.label_bins.size() == b.label_bins.size();
}

struct SavedBucket {
  std::size_t ring;
  std::int64_t index;
  QualityBucket bucket;
};

}  // namespace

// "MWGT" u32 version, u32 n + n × (u32 length, bytes) class names, u64 lines,
// kRejectReasons × u64, u64 invalid labels, (|delay bounds| + 1) × u64, f64 delay sum,
// u64 delay count, u8 has newest label, f64 newest label, u64 length + the LabelJoin block;
// version 2 adds: u8 has newest prediction, f64 newest prediction, u64 window shape,
// var ring count × (f64 window seconds, var buckets, var slots × (i64 index, bucket));
// version 3 adds: u64 in-line predictions without a label.
void GroundTruth::Save(std::string& out) const {
  const Impl& m = *impl_;
  ByteWriter w(&out);
  out.append(kStateMagic, 4);
  w.U32(kStateVersion);
  w.U32(static_cast<std::uint32_t>(m.classes.named()));
  for (std::size_t i = 0; i < m.classes.named(); ++i) {
    const std::string& n = m.classes.Name(static_cast<int>(i));
    w.U32(static_cast<std::uint32_t>(n.size()));
    out.append(n);
  }
  w.U64(m.lines);
  for (std::uint64_t r : m.rejected) w.U64(r);
  w.U64(m.invalid_labels);
  for (std::uint64_t d : m.delay) w.U64(d);
  w.F64(m.delay_sum);
  w.U64(m.delay_count);
  w.U8(m.has_newest_label ? 1 : 0);
  w.F64(m.newest_label);
  std::string join;
  join_.Save(join);
  w.U64(join.size());
  out.append(join);
  w.U8(m.has_newest_prediction ? 1 : 0);
  w.F64(m.newest_prediction);
  w.U64(WindowShape(m.shape, m.target));
  w.Var(m.rings.size());
  for (const auto& ring : m.rings) {
    w.F64(ring.window_seconds());
    w.Var(static_cast<std::uint64_t>(ring.buckets()));
    std::uint64_t used = 0;
    ring.ForEachSlot([&](std::int64_t, const QualityBucket&) { ++used; });
    w.Var(used);
    ring.ForEachSlot([&](std::int64_t index, const QualityBucket& b) {
      w.I64(index);
      WriteBucket(w, b);
    });
  }
  w.U64(m.unlabeled_missing);
}

Status GroundTruth::Load(std::string_view in) {
  Impl& m = *impl_;
  auto bad = [](const char* why) {
    return Status::Error(std::string("ground truth state: ") + why);
  };
  if (in.size() < 8 || std::memcmp(in.data(), kStateMagic, 4) != 0) return bad("not a block");
  ByteReader r(in.substr(4));
  const std::uint32_t version = r.U32();
  if (version < 1 || version > kStateVersion) return bad("unsupported version");
  const std::uint32_t n = r.U32();
  if (!r.ok() || n > static_cast<std::uint32_t>(m.classes.cap())) return bad("class table");
  std::vector<std::string> names;
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t len = r.U32();
    if (!r.ok() || len == 0 || len > 4096) return bad("class name");
    const std::string_view name = r.Bytes(len);
    if (!r.ok()) return bad("class name");
    if (std::find(names.begin(), names.end(), name) != names.end()) return bad("class repeated");
    names.emplace_back(name);
  }
  const std::uint64_t lines = r.U64();
  std::array<std::uint64_t, kRejectReasons> rejected{};
  for (auto& x : rejected) x = r.U64();
  const std::uint64_t invalid = r.U64();
  decltype(m.delay) delay{};
  for (auto& x : delay) x = r.U64();
  const double delay_sum = r.F64();
  const std::uint64_t delay_count = r.U64();
  const std::uint8_t has_newest = r.U8();
  const double newest_label = r.F64();
  const std::uint64_t join_size = r.U64();
  if (!r.ok() || has_newest > 1 || !std::isfinite(delay_sum) || !std::isfinite(newest_label)) {
    return bad("truncated or invalid counters");
  }
  if (join_size > r.remaining() || (version == 1 && join_size != r.remaining())) {
    return bad("join block size");
  }
  const std::string_view join_block = r.Bytes(join_size);

  // Version 2: the quality windows, kept only where this configuration has the same window
  // (length and buckets) and the same bucket layout.
  std::uint8_t has_newest_prediction = 0;
  double newest_prediction = 0;
  std::vector<SavedBucket> buckets;
  if (version >= 2) {
    has_newest_prediction = r.U8();
    newest_prediction = r.F64();
    const bool same_shape = r.U64() == WindowShape(m.shape, m.target);
    const QualityBucket empty = QualityBucket::Empty(m.shape);
    const std::uint64_t rings = r.Count(10);
    for (std::uint64_t i = 0; i < rings && r.ok(); ++i) {
      const double seconds = r.F64();
      const std::uint64_t slots_of_ring = r.Var();
      const std::uint64_t used = r.Count(9);
      std::size_t match = m.rings.size();
      for (std::size_t k = 0; k < m.rings.size(); ++k) {
        if (m.rings[k].window_seconds() == seconds &&
            static_cast<std::uint64_t>(m.rings[k].buckets()) == slots_of_ring) {
          match = k;
        }
      }
      for (std::uint64_t s = 0; s < used && r.ok(); ++s) {
        SavedBucket b{match, r.I64(), {}};
        if (!ReadBucket(r, &b.bucket)) return bad("quality window bucket");
        if (same_shape && match < m.rings.size()) {
          if (!SameSizes(b.bucket, empty)) return bad("quality window bucket size");
          buckets.push_back(std::move(b));
        }
      }
    }
    if (!r.ok() || has_newest_prediction > 1 || !std::isfinite(newest_prediction)) {
      return bad("quality windows");
    }
  }
  const std::uint64_t unlabeled_missing = version >= 3 ? r.U64() : 0;
  if (version >= 2 && (!r.ok() || !r.done())) return bad("truncated or trailing bytes");
  // The binary positive class keeps index 0: a table saved by another configuration does not fit.
  if (m.gt.task == Task::kBinaryClassification &&
      (names.empty() || names[0] != m.gt.positive_class)) {
    return bad("saved for another positive_class");
  }
  LabelJoin join(join_.limits());
  if (Status s = join.Load(join_block); !s.ok()) return s;
  join_ = std::move(join);
  if (m.shape.task != Task::kRegression) {
    m.classes.Reset(std::move(names));
    m.class_bin.clear();  // ClassOf recomputes the drift bin of every saved class
    for (std::size_t i = 0; i < m.classes.named(); ++i) {
      m.ClassOf(std::string(m.classes.Name(static_cast<int>(i))));
    }
  }
  m.lines = lines;
  m.rejected = rejected;
  m.invalid_labels = invalid;
  m.unlabeled_missing = unlabeled_missing;
  m.delay = delay;
  m.delay_sum = delay_sum;
  m.delay_count = delay_count;
  m.has_newest_label = has_newest == 1;
  m.newest_label = newest_label;
  if (version >= 2) {
    m.has_newest_prediction = has_newest_prediction == 1;
    m.newest_prediction = newest_prediction;
    for (SavedBucket& b : buckets) {
      if (QualityBucket* slot = m.rings[b.ring].AtIndex(b.index)) *slot = std::move(b.bucket);
    }
  }
  return Status::Ok();
}

}  // namespace modelwatch::engine
