// Helpers for the log-shape tests: a ShapedParser over a model loaded from YAML, and a sink that
// keeps copies of what it is given.
#ifndef MODELWATCH_TESTS_UNIT_PARSE_SHAPED_TEST_UTIL_H_
#define MODELWATCH_TESTS_UNIT_PARSE_SHAPED_TEST_UTIL_H_

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <modelwatch/config/config.h>
#include <modelwatch/parse/shaped_parser.h>

namespace modelwatch::parse::testing {

struct Kept {
  double timestamp = 0;
  bool has_timestamp = false;
  std::string request_id;
  ValueState latency_state = ValueState::kMissing;
  double latency = 0;
  std::vector<FieldValue> fields;  // texts copied into `texts`
  std::vector<std::string> texts;
  FieldValue label;
  std::string label_text;
  std::vector<double> probabilities;
};

class KeepingSink : public ShapedParser::Sink {
 public:
  void OnShapedRecord(const Record& r) override {
    Kept k;
    k.timestamp = r.timestamp;
    k.has_timestamp = r.has_timestamp;
    k.request_id = std::string(r.request_id);
    k.latency_state = r.latency_state;
    k.latency = r.latency_seconds;
    k.fields = r.fields;
    for (const FieldValue& f : r.fields) k.texts.emplace_back(f.text);
    k.label = r.label;
    k.label_text = std::string(r.label.text);
    k.probabilities = r.probabilities;
    records.push_back(std::move(k));
  }
  void OnShapedReject(ParseOutcome o) override { rejects.push_back(o); }
  void OnFiltered() override { ++filtered; }
  void OnUnpaired(bool request) override { ++(request ? unpaired_requests : unpaired_responses); }

  std::vector<Kept> records;
  std::vector<ParseOutcome> rejects;
  int filtered = 0, unpaired_requests = 0, unpaired_responses = 0;
};

// `model_yaml`: the keys of one model after name/source/reference (indented by 4).
inline config::ModelConfig LoadModel(const std::string& model_yaml,
                                     const std::string& defaults = "") {
  const std::string time = defaults.find("time:") == std::string::npos ? "  time: arrival\n" : "";
  const std::string text = "defaults:\n" + time + defaults +
                           "models:\n  - name: m\n    source: { paths: [a.jsonl] }\n"
                           "    reference: { path: r.jsonl }\n" +
                           model_yaml;
  config::LoadResult r = config::LoadConfigString(text, "/tmp/t.yaml");
  for (const auto& e : r.errors) ADD_FAILURE() << e.ToString();
  return r.config ? r.config->models.at(0) : config::ModelConfig();
}

class ShapedHarness {
 public:
  explicit ShapedHarness(const config::ModelConfig& model) {
    auto created = ShapedParser::Create(model);
    EXPECT_TRUE(created.ok()) << created.status().message();
    parser_ = std::move(created).value();
  }
  void Parse(std::string_view text, double now = 0) {
    buffer_.assign(text);
    buffer_.append(64, '}');
    parser_->Parse(Line{std::string_view(buffer_.data(), text.size()), buffer_.size()}, now, sink);
  }
  void Expire(double now, bool all = false) { parser_->Expire(now, all, sink); }
  ShapedParser& parser() { return *parser_; }
  KeepingSink sink;

 private:
  std::unique_ptr<ShapedParser> parser_;
  std::string buffer_;
};

}  // namespace modelwatch::parse::testing

#endif  // MODELWATCH_TESTS_UNIT_PARSE_SHAPED_TEST_UTIL_H_
