// ModelPipeline, log shapes (issue #8): the shaped parser's records, shared tailers.
#include <map>
#include <string>
#include <tuple>

#include "app/label_pipeline.h"
#include "app/pipeline.h"

namespace modelwatch::app {

// One Tailer for the models whose `source` is the same: the first member polls it and every
// line goes to each member (whose `match` keeps its own).
struct SharedTail final : tail::LineSink {
  std::unique_ptr<tail::Tailer> tailer;
  std::vector<ModelPipeline*> members;
  void OnLine(const Line& line) override {
    for (ModelPipeline* m : members) m->OnLine(line);
  }
  void OnLineTooLong() override {
    for (ModelPipeline* m : members) m->OnLineTooLong();
  }
};

const tail::Tailer& ModelPipeline::tailer() const { return shared_ ? *shared_->tailer : *tailer_; }

tail::Tailer& ModelPipeline::mutable_tailer() { return shared_ ? *shared_->tailer : *tailer_; }

void ModelPipeline::PollShared(double now) {
  if (shared_->members.front() != this) return;  // the first member reads for all
  for (ModelPipeline* m : shared_->members) m->now_ = now;
  shared_->tailer->Poll(*shared_);
}

void ModelPipeline::ShareSources(const std::vector<std::unique_ptr<ModelPipeline>>& pipelines,
                                 tail::FileSystem& /*fs*/) {
  using Key = std::tuple<std::vector<std::string>, std::vector<std::string>, std::string, int,
                         std::uint64_t, int>;
  std::map<Key, std::vector<ModelPipeline*>> groups;
  for (const auto& p : pipelines) {
    const config::SourceConfig& s = p->source_;
    groups[Key(s.paths, s.exclude, s.format, static_cast<int>(s.start_at), s.max_line_bytes,
               static_cast<int>(s.envelope))]
        .push_back(p.get());
  }
  for (auto& [key, members] : groups) {
    if (members.size() < 2) continue;
    auto shared = std::make_shared<SharedTail>();
    shared->tailer = std::move(members.front()->tailer_);
    shared->members = members;
    for (ModelPipeline* m : members) {
      m->tailer_.reset();
      m->shared_ = shared;
    }
  }
}

void ModelPipeline::OnShaped(const Line& line) { shaped_->Parse(line, now_, *this); }

void ModelPipeline::OnShapedRecord(const Record& record) {
  engine_->OnRecord(record, now_);
  // The join (a label log) or, with ground_truth.source: predictions, the record's own label.
  if (labels_) labels_->OnPrediction(record, now_);
}

void ModelPipeline::OnShapedReject(parse::ParseOutcome outcome) {
  engine_->OnRejected(ToReject(outcome));
}

void ModelPipeline::OnFiltered() { ++filtered_; }

void ModelPipeline::OnUnpaired(bool request) { ++unpaired_[request ? 1 : 0]; }

}  // namespace modelwatch::app
