#include <modelwatch/engine/baseline.h>

#include <utility>

namespace modelwatch::engine {

namespace {
std::size_t FieldCount(const config::ModelConfig& m) {
  return m.features.size() + m.outputs.size();
}
const config::FeatureConfig& FieldAt(const config::ModelConfig& m, std::size_t i) {
  return i < m.features.size() ? m.features[i] : m.outputs[i - m.features.size()];
}
}  // namespace

BaselineBuilder::BaselineBuilder(const config::ModelConfig& model)
    : model_(model),
      numbers_(FieldCount(model)),
      texts_(FieldCount(model)),
      states_(FieldCount(model)) {}

void BaselineBuilder::Add(const Record& row) {
  ++rows_;
  const std::size_t n = FieldCount(model_);
  for (std::size_t i = 0; i < n && i < row.fields.size(); ++i) {
    const FieldValue& v = row.fields[i];
    ++states_[i][static_cast<int>(v.state)];
    if (v.state != ValueState::kValid) continue;
    if (FieldAt(model_, i).type == config::FeatureType::kNumeric) {
      numbers_[i].push_back(v.number);
    } else {
      texts_[i].Add(v.text);
    }
  }
}

Baseline BaselineBuilder::Build() && {
  Baseline b;
  b.rows = rows_;
  const auto& s = model_.settings;
  for (std::size_t i = 0; i < FieldCount(model_); ++i) {
    FieldBaseline f;
    f.type = FieldAt(model_, i).type;
    f.states = states_[i];
    if (f.type == config::FeatureType::kNumeric) {
      f.numeric =
          drift::BuildNumericReference(std::move(numbers_[i]), s.drift.bin_kind, s.drift.bin_count);
    } else {
      f.categorical =
          drift::BuildCategoricalReferenceFromCounts(std::move(texts_[i]), s.max_categories);
    }
    b.fields.push_back(std::move(f));
  }
  return b;
}

}  // namespace modelwatch::engine
