#include <modelwatch/engine/label_join.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "engine/flat_map.h"

namespace modelwatch::engine {

std::uint64_t RequestIdHash(std::string_view id) {
  // FNV-1a over the bytes, then the murmur3 finaliser so that the low bits (the table index) mix.
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : id) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h == 0 ? 1 : h;
}

namespace {

struct PredictionEntry {
  JoinPrediction p;
  std::uint64_t seq = 0;
  bool joined = false;
};

struct LabelEntry {
  JoinLabel l;
  std::uint64_t seq = 0;
};

// Min-heap item: the oldest timestamp first, then the first inserted.
struct HeapItem {
  double ts;
  std::uint64_t seq;
  std::uint64_t key;
};
struct Later {
  bool operator()(const HeapItem& a, const HeapItem& b) const {
    return a.ts != b.ts ? a.ts > b.ts : a.seq > b.seq;
  }
};

constexpr double kNoTime = std::numeric_limits<double>::infinity();

}  // namespace

struct LabelJoin::State {
  FlatMap<PredictionEntry> predictions;
  FlatMap<LabelEntry> labels;
  std::vector<HeapItem> prediction_heap;
  std::vector<HeapItem> label_heap;  // may hold stale items (labels that joined)
  bool has_prediction_clock = false;
  bool has_label_clock = false;
  double prediction_clock = 0;
  double label_clock = 0;
  std::uint64_t next_seq = 1;

  void PushPrediction(std::uint64_t key, const PredictionEntry& e) {
    prediction_heap.push_back({e.p.timestamp, e.seq, key});
    std::push_heap(prediction_heap.begin(), prediction_heap.end(), Later());
  }
  void PushLabel(std::uint64_t key, const LabelEntry& e) {
    label_heap.push_back({e.l.has_timestamp ? e.l.timestamp : kNoTime, e.seq, key});
    std::push_heap(label_heap.begin(), label_heap.end(), Later());
  }
  // Drops stale label items from the top; true when a live one is there.
  bool LiveLabelTop() {
    while (!label_heap.empty()) {
      const HeapItem& top = label_heap.front();
      const LabelEntry* e = labels.Find(top.key);
      if (e != nullptr && e->seq == top.seq) return true;
      std::pop_heap(label_heap.begin(), label_heap.end(), Later());
      label_heap.pop_back();
    }
    return false;
  }
  void CompactLabelHeap() {
    if (label_heap.size() <= 2 * labels.size() + 64) return;
    label_heap.clear();
    labels.ForEach([&](std::uint64_t key, const LabelEntry& e) {
      label_heap.push_back({e.l.has_timestamp ? e.l.timestamp : kNoTime, e.seq, key});
    });
    std::make_heap(label_heap.begin(), label_heap.end(), Later());
  }
};

LabelJoin::LabelJoin(JoinLimits limits) : limits_(limits), s_(std::make_unique<State>()) {}
LabelJoin::~LabelJoin() = default;
LabelJoin::LabelJoin(LabelJoin&&) noexcept = default;
LabelJoin& LabelJoin::operator=(LabelJoin&&) noexcept = default;

std::uint64_t LabelJoin::pending_labels() const { return s_->labels.size(); }
std::uint64_t LabelJoin::held_predictions() const { return s_->predictions.size(); }

bool LabelJoin::WithinTtl(double prediction_ts, const JoinLabel& l) const {
  return !l.has_timestamp || std::fabs(l.timestamp - prediction_ts) <= limits_.ttl;
}

void LabelJoin::Expire() {
  State& s = *s_;
  const double both = std::max(s.has_prediction_clock ? s.prediction_clock : -kNoTime,
                               s.has_label_clock ? s.label_clock : -kNoTime);
  // The clock that says a prediction's label can no longer come, and the one that says a
  // label's prediction can no longer come.
  double for_predictions = s.has_label_clock ? s.label_clock : -kNoTime;
  double for_labels = s.has_prediction_clock ? s.prediction_clock : -kNoTime;
  if (limits_.shared_clock) for_predictions = for_labels = both;
  while (!s.prediction_heap.empty() &&
         s.prediction_heap.front().ts + limits_.ttl < for_predictions) {
    const std::uint64_t key = s.prediction_heap.front().key;
    std::pop_heap(s.prediction_heap.begin(), s.prediction_heap.end(), Later());
    s.prediction_heap.pop_back();
    PredictionEntry* e = s.predictions.Find(key);
    if (e == nullptr) continue;
    if (!e->joined) {
      ++counters_.unlabeled_ttl;
      --waiting_predictions_;
    }
    s.predictions.Erase(key);
  }
  while (s.LiveLabelTop() && s.label_heap.front().ts + limits_.ttl < for_labels) {
    const std::uint64_t key = s.label_heap.front().key;
    std::pop_heap(s.label_heap.begin(), s.label_heap.end(), Later());
    s.label_heap.pop_back();
    s.labels.Erase(key);
    ++counters_.unmatched_unknown;
  }
}

void LabelJoin::EvictPredictionsTo(std::uint64_t bound) {
  State& s = *s_;
  while (s.predictions.size() > bound && !s.prediction_heap.empty()) {
    const std::uint64_t key = s.prediction_heap.front().key;
    std::pop_heap(s.prediction_heap.begin(), s.prediction_heap.end(), Later());
    s.prediction_heap.pop_back();
    PredictionEntry* e = s.predictions.Find(key);
    if (e == nullptr) continue;
    if (!e->joined) {
      ++counters_.unlabeled_evicted;
      --waiting_predictions_;
    }
    s.predictions.Erase(key);
  }
}

void LabelJoin::EvictLabelsTo(std::uint64_t bound) {
  State& s = *s_;
  while (s.labels.size() > bound && s.LiveLabelTop()) {
    const std::uint64_t key = s.label_heap.front().key;
    std::pop_heap(s.label_heap.begin(), s.label_heap.end(), Later());
    s.label_heap.pop_back();
    s.labels.Erase(key);
    ++counters_.unmatched_evicted;
  }
}

void LabelJoin::InsertPrediction(std::uint64_t id, const JoinPrediction& p, bool joined) {
  State& s = *s_;
  EvictPredictionsTo(limits_.max_pending - 1);
  PredictionEntry& e = s.predictions.Insert(id);
  e.p = p;
  e.seq = s.next_seq++;
  e.joined = joined;
  if (!joined) ++waiting_predictions_;
  s.PushPrediction(id, e);
}

bool LabelJoin::AddPrediction(std::uint64_t id, const JoinPrediction& p, JoinResult* out) {
  State& s = *s_;
  if (!s.has_prediction_clock || p.timestamp > s.prediction_clock) {
    s.prediction_clock = p.timestamp;
    s.has_prediction_clock = true;
  }
  Expire();
  if (s.predictions.Find(id) != nullptr) return false;  // a repeated id: the first one waits
  if (LabelEntry* l = s.labels.Find(id); l != nullptr && WithinTtl(p.timestamp, l->l)) {
    out->prediction = p;
    out->label = l->l;
    s.labels.Erase(id);
    s.CompactLabelHeap();
    ++counters_.joined;
    InsertPrediction(id, p, /*joined=*/true);
    return true;
  }
  InsertPrediction(id, p, /*joined=*/false);
  return false;
}

bool LabelJoin::AddLabel(std::uint64_t id, const JoinLabel& l, JoinResult* out) {
  State& s = *s_;
  ++counters_.labels;
  if (l.has_timestamp && (!s.has_label_clock || l.timestamp > s.label_clock)) {
    s.label_clock = l.timestamp;
    s.has_label_clock = true;
  }
  Expire();
  if (PredictionEntry* e = s.predictions.Find(id); e != nullptr && WithinTtl(e->p.timestamp, l)) {
    if (e->joined) {
      ++counters_.unmatched_duplicate;
      return false;
    }
    e->joined = true;
    --waiting_predictions_;
    ++counters_.joined;
    out->prediction = e->p;
    out->label = l;
    return true;
  }
  if (s.labels.Find(id) != nullptr) {
    ++counters_.unmatched_duplicate;
    return false;
  }
  EvictLabelsTo(limits_.max_pending_labels - 1);
  LabelEntry& e = s.labels.Insert(id);
  e.l = l;
  e.seq = s.next_seq++;
  s.PushLabel(id, e);
  return false;
}

JoinResult LabelJoin::JoinInLine(const JoinPrediction& p, const JoinLabel& l) {
  ++counters_.labels;
  ++counters_.joined;
  return JoinResult{p, l};
}

void LabelJoin::UnmatchedInLine() {
  ++counters_.labels;
  ++counters_.unmatched_unknown;
}

// The saved block (all little-endian, as written by x86-64 and aarch64):
//   "MWLJ" u32 version=1 u8 clock flags, f64 prediction clock, f64 label clock, u64 next seq,
//   7 × u64 counters, u64 n, n × prediction {u64 key, f64 ts, f64 predicted, f64 score,
//   u8 joined, u64 seq}, u64 m, m × label {u64 key, f64 ts, u8 has_ts, f64 value,
//   u64 seq}, u64 FNV-1a of every byte before it.
namespace {

constexpr char kMagic[4] = {'M', 'W', 'L', 'J'};
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kPredictionBytes = 8 + 8 + 8 + 8 + 1 + 8;
constexpr std::size_t kLabelBytes = 8 + 8 + 1 + 8 + 8;

std::uint64_t Fnv(std::string_view data) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

template <typename T>
void Put(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));
  out.append(b, sizeof(T));
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  template <typename T>
  bool Get(T* v) {
    if (in_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(v, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  std::size_t left() const { return in_.size() - pos_; }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

bool Finite(double x) { return std::isfinite(x); }

}  // namespace

void LabelJoin::Save(std::string& out) const {
  const std::size_t start = out.size();
  const State& s = *s_;
  out.append(kMagic, 4);
  Put<std::uint32_t>(out, kVersion);
  Put<std::uint8_t>(out, static_cast<std::uint8_t>((s.has_prediction_clock ? 1 : 0) |
                                                   (s.has_label_clock ? 2 : 0)));
  Put(out, s.prediction_clock);
  Put(out, s.label_clock);
  Put(out, s.next_seq);
  for (std::uint64_t c : {counters_.labels, counters_.joined, counters_.unmatched_unknown,
                          counters_.unmatched_duplicate, counters_.unmatched_evicted,
                          counters_.unlabeled_ttl, counters_.unlabeled_evicted}) {
    Put(out, c);
  }
  Put<std::uint64_t>(out, s.predictions.size());
  s.predictions.ForEach([&](std::uint64_t key, const PredictionEntry& e) {
    Put(out, key);
    Put(out, e.p.timestamp);
    Put(out, e.p.predicted);
    Put(out, e.p.score);
    Put<std::uint8_t>(out, e.joined ? 1 : 0);
    Put(out, e.seq);
  });
  Put<std::uint64_t>(out, s.labels.size());
  s.labels.ForEach([&](std::uint64_t key, const LabelEntry& e) {
    Put(out, key);
    Put(out, e.l.timestamp);
    Put<std::uint8_t>(out, e.l.has_timestamp ? 1 : 0);
    Put(out, e.l.value);
    Put(out, e.seq);
  });
  Put(out, Fnv(std::string_view(out).substr(start)));
}

Status LabelJoin::Load(std::string_view in) {
  auto bad = [](const char* why) { return Status::Error(std::string("label join state: ") + why); };
  if (in.size() < 4 + 4 + 8 || std::memcmp(in.data(), kMagic, 4) != 0) {
    return bad("not a label join block");
  }
  std::uint64_t sum = 0;
  std::memcpy(&sum, in.data() + in.size() - 8, 8);
  const std::string_view body = in.substr(0, in.size() - 8);
  Reader r(body.substr(4));
  std::uint32_t version = 0;
  r.Get(&version);
  if (version != kVersion) return bad("unsupported version");
  if (Fnv(body) != sum) return bad("checksum mismatch");
  auto fresh = std::make_unique<State>();
  JoinCounters c;
  std::uint8_t flags = 0;
  if (!r.Get(&flags) || !r.Get(&fresh->prediction_clock) || !r.Get(&fresh->label_clock) ||
      !r.Get(&fresh->next_seq)) {
    return bad("truncated header");
  }
  fresh->has_prediction_clock = (flags & 1) != 0;
  fresh->has_label_clock = (flags & 2) != 0;
  if (flags > 3 || !Finite(fresh->prediction_clock) || !Finite(fresh->label_clock)) {
    return bad("invalid clocks");
  }
  for (std::uint64_t* x : {&c.labels, &c.joined, &c.unmatched_unknown, &c.unmatched_duplicate,
                           &c.unmatched_evicted, &c.unlabeled_ttl, &c.unlabeled_evicted}) {
    if (!r.Get(x)) return bad("truncated counters");
  }
  std::uint64_t n = 0;
  if (!r.Get(&n) || n > r.left() / kPredictionBytes) return bad("bad prediction count");
  std::uint64_t waiting = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t key = 0;
    PredictionEntry e;
    std::uint8_t joined = 0;
    r.Get(&key);
    r.Get(&e.p.timestamp);
    r.Get(&e.p.predicted);
    r.Get(&e.p.score);
    r.Get(&joined);
    r.Get(&e.seq);
    if (key == 0 || joined > 1 || !Finite(e.p.timestamp) || e.seq >= fresh->next_seq ||
        fresh->predictions.Find(key) != nullptr) {
      return bad("invalid prediction entry");
    }
    e.joined = joined == 1;
    waiting += e.joined ? 0 : 1;
    fresh->predictions.Insert(key) = e;
    fresh->prediction_heap.push_back({e.p.timestamp, e.seq, key});
  }
  std::uint64_t m = 0;
  if (!r.Get(&m) || m > r.left() / kLabelBytes) return bad("bad label count");
  for (std::uint64_t i = 0; i < m; ++i) {
    std::uint64_t key = 0;
    LabelEntry e;
    std::uint8_t has_ts = 0;
    r.Get(&key);
    r.Get(&e.l.timestamp);
    r.Get(&has_ts);
    r.Get(&e.l.value);
    r.Get(&e.seq);
    if (key == 0 || has_ts > 1 || !Finite(e.l.timestamp) || e.seq >= fresh->next_seq ||
        fresh->labels.Find(key) != nullptr) {
      return bad("invalid label entry");
    }
    e.l.has_timestamp = has_ts == 1;
    fresh->labels.Insert(key) = e;
    fresh->label_heap.push_back({e.l.has_timestamp ? e.l.timestamp : kNoTime, e.seq, key});
  }
  if (r.left() != 0) return bad("trailing bytes");
  std::make_heap(fresh->prediction_heap.begin(), fresh->prediction_heap.end(), Later());
  std::make_heap(fresh->label_heap.begin(), fresh->label_heap.end(), Later());
  s_ = std::move(fresh);
  counters_ = c;
  waiting_predictions_ = waiting;
  EvictPredictionsTo(limits_.max_pending);
  EvictLabelsTo(limits_.max_pending_labels);
  return Status::Ok();
}

}  // namespace modelwatch::engine
