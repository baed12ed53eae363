#include "app/pipeline.h"

#include <string>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

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
                                      std::uint64_t* rejected_lines) {
  Result<Reference> ref = LoadModelReference(model);
  if (!ref.ok()) return ref.status();
  for (const std::string& w : ref.value().warnings) spdlog::warn("model {}: {}", model.name, w);
  *rejected_lines = ref.value().file.rejected_lines;
  if (*rejected_lines > 0) {
    spdlog::warn("model {}: {} reference lines were not JSON objects and were skipped", model.name,
                 *rejected_lines);
  }
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
                                                             tail::FileSystem& fs, bool one_shot) {
  Result<config::ModelConfig> resolved = ResolveFeatures(configured);
  if (!resolved.ok()) return resolved.status();
  const config::ModelConfig& model = resolved.value();
  std::unique_ptr<ModelPipeline> p(new ModelPipeline());
  auto parser = parse::RecordParser::Create(parse::LayoutFor(model));
  if (!parser.ok()) return parser.status();
  p->parser_ = std::move(parser).value();
  p->record_ = p->parser_->NewRecord();

  std::uint64_t rejected = 0;
  Result<engine::Baseline> baseline = LoadBaseline(model, &rejected);
  if (!baseline.ok()) return baseline.status();
  auto engine = engine::ModelEngine::Create(model, std::move(baseline).value());
  if (!engine.ok()) return engine.status();
  p->engine_ = std::move(engine).value();
  p->engine_->set_one_shot(one_shot);

  tail::TailerOptions opts;
  opts.paths = model.source.paths;
  opts.exclude = model.source.exclude;
  opts.start_at = one_shot || model.source.start_at == config::StartAt::kBeginning
                      ? tail::StartAt::kBeginning
                      : tail::StartAt::kEnd;
  opts.max_line_bytes = model.source.max_line_bytes;
  // The daemon reads a backlog in slices so that it keeps ticking and serving meanwhile.
  opts.max_bytes_per_poll = one_shot ? 0 : kDaemonBytesPerPoll;
  p->tailer_ = std::make_unique<tail::Tailer>(fs, opts);
  return p;
}

void ModelPipeline::Poll(double now) {
  now_ = now;
  tailer_->Poll(*this);
}

void ModelPipeline::OnLine(const Line& line) {
  const parse::ParseOutcome o = parser_->Parse(line, &record_);
  if (o == parse::ParseOutcome::kOk) {
    engine_->OnRecord(record_, now_);
  } else {
    engine_->OnRejected(ToReject(o));
  }
}

void ModelPipeline::OnLineTooLong() { engine_->OnRejected(engine::RejectReason::kLineTooLong); }

engine::ModelSnapshot ModelPipeline::Evaluate(double T) const {
  engine::ModelSnapshot s = engine_->Evaluate(T);
  const tail::TailerStats st = tailer_->stats();
  engine::SourceView& src = s.predictions;
  src.files = static_cast<std::int64_t>(st.files);
  src.bytes = st.bytes_read;
  src.rotations = st.rotations;
  src.truncations = st.truncations;
  src.bytes_lost_deleted = st.bytes_lost_deleted;
  src.bytes_lost_truncated = st.bytes_lost_truncated;
  src.lag_bytes = st.lag_bytes;
  for (const tail::FileStatus& f : tailer_->Files()) {
    src.file_list.push_back({f.path, f.position, f.size});
  }
  return s;
}

}  // namespace modelwatch::app
