#include "app/pipeline.h"

#include <string>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include <modelwatch/core/bytes.h>

#include "app/label_pipeline.h"
#include "app/reference.h"

namespace modelwatch::app {

engine::RejectReason ToReject(parse::ParseOutcome o) {
  switch (o) {
    case parse::ParseOutcome::kNotAnObject:
      return engine::RejectReason::kNotAnObject;
    case parse::ParseOutcome::kInvalidUtf8:
      return engine::RejectReason::kInvalidUtf8;
    case parse::ParseOutcome::kBadTimestamp:
      return engine::RejectReason::kBadTimestamp;
    default:
      return engine::RejectReason::kInvalidJson;
  }
}

namespace {
constexpr std::uint64_t kDaemonBytesPerPoll = 64ull << 20;
}  // namespace

Result<engine::Baseline> LoadBaseline(const config::ModelConfig& model,
                                      std::uint64_t* rejected_lines,
                                      std::optional<state::TargetProfile>* target) {
  Result<Reference> ref = LoadModelReference(model);
  if (!ref.ok()) return ref.status();
  for (const std::string& w : ref.value().warnings) spdlog::warn("model {}: {}", model.name, w);
  *rejected_lines = ref.value().file.rejected_lines;
  if (*rejected_lines > 0) {
    spdlog::warn("model {}: {} reference lines were not JSON objects and were skipped", model.name,
                 *rejected_lines);
  }
  if (target != nullptr) *target = std::move(ref.value().file.target);
  return std::move(ref.value().file.baseline);
}

Result<config::ModelConfig> ResolveFeatures(const config::ModelConfig& model) {
  config::ModelConfig resolved = model;
  if (!model.infer_features) return resolved;
  Result<std::vector<std::string>> warnings = InferModelFeatures(&resolved);
  if (!warnings.ok()) return warnings.status();
  for (const std::string& w : warnings.value()) spdlog::warn("{}", w);
  std::size_t numeric = 0;
  for (const config::FeatureConfig& f : resolved.features) {
    numeric += f.type == config::FeatureType::kNumeric ? 1 : 0;
  }
  spdlog::info("model {}: {} features inferred from the reference ({} numeric, {} categorical)",
               model.name, resolved.features.size(), numeric, resolved.features.size() - numeric);
  return resolved;
}

Result<std::unique_ptr<ModelPipeline>> ModelPipeline::Create(const config::ModelConfig& configured,
                                                             tail::FileSystem& fs, bool one_shot,
                                                             bool persistent) {
  Result<config::ModelConfig> resolved = ResolveFeatures(configured);
  if (!resolved.ok()) return resolved.status();
  const config::ModelConfig& model = resolved.value();
  std::unique_ptr<ModelPipeline> p(new ModelPipeline());
  if (!model.record.shaped) {  // else the ShapedParser reads every line
    auto parser = parse::RecordParser::Create(parse::LayoutFor(model));
    if (!parser.ok()) return parser.status();
    p->parser_ = std::move(parser).value();
    p->record_ = p->parser_->NewRecord();
  }

  std::uint64_t rejected = 0;
  std::optional<state::TargetProfile> target;
  Result<engine::Baseline> baseline = LoadBaseline(model, &rejected, &target);
  if (!baseline.ok()) return baseline.status();
  if (persistent) {
    auto committed = engine::ModelEngine::Create(model, baseline.value());
    if (!committed.ok()) return committed.status();
    p->committed_ = std::move(committed).value();
  }
  auto engine = engine::ModelEngine::Create(model, std::move(baseline).value());
  if (!engine.ok()) return engine.status();
  p->engine_ = std::move(engine).value();
  p->engine_->set_one_shot(one_shot);
  p->one_shot_ = one_shot;
  p->source_ = model.source;
  p->nan_literals_ = model.settings.nan_literals;
  p->has_filtered_ = model.match.has_value() || model.record.pair.has_value();
  p->has_pair_ = model.record.pair.has_value();
  if (model.record.shaped) {
    auto shaped = parse::ShapedParser::Create(model);
    if (!shaped.ok()) return shaped.status();
    p->shaped_ = std::move(shaped).value();
  }
  if (model.source.envelope != config::SourceConfig::Envelope::kNone) {
    p->envelope_ = std::make_unique<parse::EnvelopeReader>(model.source.envelope);
  }

  tail::TailerOptions opts;
  opts.paths = model.source.paths;
  opts.exclude = model.source.exclude;
  opts.start_at = one_shot || model.source.start_at == config::StartAt::kBeginning
                      ? tail::StartAt::kBeginning
                      : tail::StartAt::kEnd;
  opts.max_line_bytes = model.source.max_line_bytes;
  // The daemon reads a backlog in slices so that it keeps ticking and serving meanwhile.
  opts.max_bytes_per_poll =
      one_shot ? (model.ground_truth ? kOneShotSliceBytes : 0) : kDaemonBytesPerPoll;
  if (one_shot && model.ground_truth) opts.read_chunk_bytes = kOneShotSliceBytes;
  p->tailer_ = std::make_unique<tail::Tailer>(fs, opts);
  p->one_shot_ = one_shot;
  if (model.ground_truth) {
    auto labels = LabelPipeline::Create(model, target ? &target->profile : nullptr, fs, one_shot);
    if (!labels.ok()) return labels.status();
    p->labels_ = std::move(labels).value();
  }
  return p;
}

ModelPipeline::~ModelPipeline() = default;

void ModelPipeline::Poll(double now) {
  now_ = now;
  if (labels_ && one_shot_ && !shared_) {  // both logs in event-time order, a slice at a time
    labels_->PollWith(
        *tailer_, *this, [this] { return engine_->newest_event_time(); }, now);
    if (shaped_) shaped_->Expire(now, one_shot_, *this);
    return;
  }
  if (shared_) {
    PollShared(now);
  } else {
    tailer_->Poll(*this);
  }
  // Pairs: halves past the timeout leave; a one-shot read ends with every half left alone.
  if (shaped_) shaped_->Expire(now, one_shot_, *this);
  if (labels_) labels_->Poll(now);
}

void ModelPipeline::OnLine(const Line& raw) {
  ++lines_;  // physical lines: an envelope's parts count each
  Line line = raw;
  if (envelope_) {
    switch (envelope_->Unwrap(raw, &line)) {
      case parse::EnvelopeReader::Outcome::kLine:
        break;
      case parse::EnvelopeReader::Outcome::kInvalid:
        engine_->OnRejected(engine::RejectReason::kInvalidJson);
        return;
      default:
        return;  // a part (joined later) or an empty payload
    }
  }
  if (shaped_) {
    OnShaped(line);
    return;
  }
  parse::ParseOutcome o = parser_->Parse(line, &record_);
  if (o == parse::ParseOutcome::kInvalidJson && nan_literals_ &&
      parse::QuoteNanLiterals(line.text, &nan_text_)) {
    nan_text_.reserve(nan_text_.size() + kLinePadding);
    o = parser_->Parse(Line{nan_text_, nan_text_.capacity()}, &record_);
  }
  if (o == parse::ParseOutcome::kOk) {
    engine_->OnRecord(record_, now_);
    if (labels_) labels_->OnPrediction(record_, now_);
  } else {
    engine_->OnRejected(ToReject(o));
  }
}

void ModelPipeline::OnLineTooLong() {
  ++lines_;
  engine_->OnRejected(engine::RejectReason::kLineTooLong);
}

tail::TailerStats ModelPipeline::Totals() const {
  tail::TailerStats t = tailer().stats();
  t.bytes_read += base_.bytes_read;
  t.lines += base_.lines;
  t.lines_too_long += base_.lines_too_long;
  t.rotations += base_.rotations;
  t.truncations += base_.truncations;
  t.bytes_lost_truncated += base_.bytes_lost_truncated;
  t.bytes_lost_deleted += base_.bytes_lost_deleted;
  t.bytes_lost_rotated_away += base_.bytes_lost_rotated_away;
  t.copies += base_.copies;
  t.io_errors += base_.io_errors;
  return t;
}

namespace {

constexpr std::uint32_t kBlobVersion = 1;

void PutStats(ByteWriter& w, const tail::TailerStats& t) {
  for (std::uint64_t v :
       {t.bytes_read, t.lines, t.lines_too_long, t.rotations, t.truncations, t.bytes_lost_truncated,
        t.bytes_lost_deleted, t.bytes_lost_rotated_away, t.copies, t.io_errors}) {
    w.Var(v);
  }
}

tail::TailerStats GetStats(ByteReader& r) {
  tail::TailerStats t;
  for (std::uint64_t* v : {&t.bytes_read, &t.lines, &t.lines_too_long, &t.rotations, &t.truncations,
                           &t.bytes_lost_truncated, &t.bytes_lost_deleted,
                           &t.bytes_lost_rotated_away, &t.copies, &t.io_errors}) {
    *v = r.Var();
  }
  return t;
}

}  // namespace

void ModelPipeline::RestorePositions(std::vector<tail::FilePosition> positions) {
  mutable_tailer().RestorePositions(std::move(positions));
}

void ModelPipeline::SaveAggregates(std::string* out) const {
  ByteWriter w(out);
  w.U32(kBlobVersion);
  PutStats(w, Totals());
  std::string engine;
  engine_->SaveAggregates(&engine);
  w.Str(engine);
  if (labels_) {  // an optional trailing section: blobs without it still load
    std::string labels;
    labels_->ground_truth().Save(labels);
    w.Str(labels);
  }
}

void ModelPipeline::SetStartAt(tail::StartAt start_at) {
  mutable_tailer().set_start_at(start_at);
  if (labels_) labels_->tailer().set_start_at(start_at);
}

std::vector<tail::FilePosition> ModelPipeline::LabelPositions() const {
  return labels_ ? labels_->tailer().Positions() : std::vector<tail::FilePosition>{};
}

void ModelPipeline::RestoreLabelPositions(std::vector<tail::FilePosition> positions) {
  if (labels_) labels_->tailer().RestorePositions(std::move(positions));
}

Result<engine::ModelEngine::LoadReport> ModelPipeline::LoadAggregates(std::string_view bytes) {
  ByteReader r(bytes);
  if (r.U32() != kBlobVersion) return Status::Error("unknown aggregates version");
  const tail::TailerStats stats = GetStats(r);
  const std::string_view engine = r.Str();
  const std::string_view labels = r.ok() && !r.done() ? r.Str() : std::string_view();
  if (!r.ok() || !r.done()) return Status::Error("truncated or corrupt aggregates");
  auto report = engine_->LoadAggregates(engine);
  if (!report.ok()) return report.status();
  if (labels_ && !labels.empty()) {
    if (Status s = labels_->ground_truth().Load(labels); !s.ok()) {
      spdlog::warn("model {}: pending label joins not restored ({})", engine_->name(), s.message());
    }
  }
  if (committed_) (void)committed_->LoadAggregates(engine);
  // The tailer starts at zero: its counters continue from the saved ones.
  base_ = stats;
  committed_totals_ = stats;
  return report;
}

Status ModelPipeline::Commit(std::string_view bytes) {
  if (!committed_) return Status::Ok();
  ByteReader r(bytes);
  if (r.U32() != kBlobVersion) return Status::Error("unknown aggregates version");
  const tail::TailerStats stats = GetStats(r);
  const std::string_view engine = r.Str();
  if (!r.ok()) return Status::Error("corrupt aggregates");
  auto report = committed_->LoadAggregates(engine);
  if (!report.ok()) return report.status();
  committed_totals_ = stats;
  return Status::Ok();
}

void ModelPipeline::TakeStateFrom(const ModelPipeline& old) {
  mutable_tailer().RestorePositions(old.tailer().Positions());
  // Log shapes: their counters are not in the aggregates blob; a reload keeps them.
  lines_ = old.lines_;
  filtered_ = old.filtered_;
  unpaired_[0] = old.unpaired_[0];
  unpaired_[1] = old.unpaired_[1];
  if (labels_ && old.labels_) {
    labels_->tailer().RestorePositions(old.labels_->tailer().Positions());
    std::string state;
    old.labels_->ground_truth().Save(state);
    if (Status s = labels_->ground_truth().Load(state); !s.ok()) {
      spdlog::warn("model {}: reload starts the label join empty ({})", engine_->name(),
                   s.message());
    }
  }
  std::string live;
  old.engine_->SaveAggregates(&live);
  auto report = engine_->LoadAggregates(live);
  if (report.ok()) {
    spdlog::info("model {}: reload kept {} field(s) and {} window(s), reset {} and {}",
                 engine_->name(), report.value().fields_kept, report.value().windows_kept,
                 report.value().fields_reset, report.value().windows_reset);
  }
  if (committed_ && old.committed_) {
    std::string committed;
    old.committed_->SaveAggregates(&committed);
    (void)committed_->LoadAggregates(committed);
  } else if (committed_) {
    (void)committed_->LoadAggregates(live);
  }
  base_ = old.Totals();
  committed_totals_ = old.committed_ ? old.committed_totals_ : base_;
}

engine::ModelSnapshot ModelPipeline::Evaluate(double T, bool committed) const {
  const bool use_committed = committed && committed_ != nullptr;
  engine::ModelSnapshot s = use_committed ? committed_->Evaluate(T) : engine_->Evaluate(T);
  const tail::TailerStats st = use_committed ? committed_totals_ : Totals();
  engine::SourceView& src = s.predictions;
  if (shaped_ || envelope_) {
    // Log shapes: records are not lines (batch, pair), envelope parts are joined; counted here,
    // live (not part of the checkpointed aggregates).
    src.lines = lines_;
  }
  src.has_filtered = has_filtered_;
  src.filtered = filtered_;
  s.has_pair = has_pair_;
  s.unpaired_requests = unpaired_[1];
  s.unpaired_responses = unpaired_[0];
  FillSourceFiles(tailer(), st, &src);
  if (labels_) s.labels = labels_->Evaluate(T);
  return s;
}

}  // namespace modelwatch::app
