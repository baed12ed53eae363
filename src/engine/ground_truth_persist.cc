// GroundTruth::Save / Load: the join, the class table and the label counters of a checkpoint.
#include <cstring>

#include <modelwatch/engine/ground_truth.h>

#include "engine/ground_truth_impl.h"

namespace modelwatch::engine {

namespace {

constexpr char kStateMagic[4] = {'M', 'W', 'G', 'T'};
constexpr std::uint32_t kStateVersion = 1;

template <typename T>
void Put(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));
  out.append(b, sizeof(T));
}

class StateReader {
 public:
  explicit StateReader(std::string_view in) : in_(in) {}
  template <typename T>
  bool Get(T* v) {
    if (in_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(v, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool Bytes(std::uint64_t n, std::string_view* out) {
    if (in_.size() - pos_ < n) return false;
    *out = in_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  std::size_t left() const { return in_.size() - pos_; }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace

// "MWGT" u32 version, u32 n + n × (u32 length, bytes) class names, u64 lines,
// kRejectReasons × u64, u64 invalid labels, (|delay bounds| + 1) × u64, f64 delay sum,
// u64 delay count, u8 has newest label, f64 newest label, u64 length + the LabelJoin block.
void GroundTruth::Save(std::string& out) const {
  const Impl& m = *impl_;
  out.append(kStateMagic, 4);
  Put(out, kStateVersion);
  Put(out, static_cast<std::uint32_t>(m.classes.named()));
  for (std::size_t i = 0; i < m.classes.named(); ++i) {
    const std::string& n = m.classes.Name(static_cast<int>(i));
    Put(out, static_cast<std::uint32_t>(n.size()));
    out.append(n);
  }
  Put(out, m.lines);
  for (std::uint64_t r : m.rejected) Put(out, r);
  Put(out, m.invalid_labels);
  for (std::uint64_t d : m.delay) Put(out, d);
  Put(out, m.delay_sum);
  Put(out, m.delay_count);
  Put<std::uint8_t>(out, m.has_newest_label ? 1 : 0);
  Put(out, m.newest_label);
  std::string join;
  join_.Save(join);
  Put(out, static_cast<std::uint64_t>(join.size()));
  out.append(join);
}

Status GroundTruth::Load(std::string_view in) {
  Impl& m = *impl_;
  auto bad = [](const char* why) {
    return Status::Error(std::string("ground truth state: ") + why);
  };
  if (in.size() < 8 || std::memcmp(in.data(), kStateMagic, 4) != 0) return bad("not a block");
  StateReader r(in.substr(4));
  std::uint32_t version = 0, n = 0;
  r.Get(&version);
  if (version != kStateVersion) return bad("unsupported version");
  if (!r.Get(&n) || n > static_cast<std::uint32_t>(m.classes.cap())) return bad("class table");
  std::vector<std::string> names;
  for (std::uint32_t i = 0; i < n; ++i) {
    std::uint32_t len = 0;
    std::string_view name;
    if (!r.Get(&len) || len == 0 || len > 4096 || !r.Bytes(len, &name)) return bad("class name");
    if (std::find(names.begin(), names.end(), name) != names.end()) return bad("class repeated");
    names.emplace_back(name);
  }
  std::uint64_t lines = 0, invalid = 0, delay_count = 0, join_size = 0;
  std::array<std::uint64_t, kRejectReasons> rejected{};
  decltype(m.delay) delay{};
  double delay_sum = 0, newest_label = 0;
  std::uint8_t has_newest = 0;
  bool ok = r.Get(&lines);
  for (auto& x : rejected) ok = ok && r.Get(&x);
  ok = ok && r.Get(&invalid);
  for (auto& x : delay) ok = ok && r.Get(&x);
  ok = ok && r.Get(&delay_sum) && r.Get(&delay_count) && r.Get(&has_newest) &&
       r.Get(&newest_label) && r.Get(&join_size);
  if (!ok || has_newest > 1 || !std::isfinite(delay_sum) || !std::isfinite(newest_label)) {
    return bad("truncated or invalid counters");
  }
  std::string_view join_block;
  if (join_size != r.left() || !r.Bytes(join_size, &join_block)) return bad("join block size");
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
  m.delay = delay;
  m.delay_sum = delay_sum;
  m.delay_count = delay_count;
  m.has_newest_label = has_newest == 1;
  m.newest_label = newest_label;
  return Status::Ok();
}

}  // namespace modelwatch::engine
