// Log-shape keys (issue #8): what they parse into and the mistakes check-config reports.
#include <gtest/gtest.h>

#include <modelwatch/config/config.h>

#include "unit/config/config_test_util.h"

namespace modelwatch::config {
namespace {

using testing::Errors;
using testing::ErrorsAre;
using testing::LoadOk;
using testing::ValidModel;
using testing::With;

TEST(ShapesConfigTest, ListsTimezoneAndLenientScalars) {
  auto lines = ValidModel();
  lines[3] =
      "    record: { timestamp: { path: [/a, /b], format: iso8601, timezone: '+02:00' },"
      " request_id: [/i, /e] }";
  lines.insert(lines.begin(), {"defaults:", "  parse: { numbers_in_strings: true }"});
  const Config c = LoadOk(lines);
  ASSERT_EQ(c.models.size(), 1u);
  const ModelConfig& m = c.models[0];
  EXPECT_EQ(m.record.timestamp->path, "/a");
  EXPECT_EQ(m.record.timestamp->fallback_paths, std::vector<std::string>{"/b"});
  EXPECT_EQ(m.record.timestamp->timezone_offset, 7200);
  EXPECT_EQ(m.record.request_id, "/i");
  EXPECT_EQ(m.record.request_id_fallbacks, std::vector<std::string>{"/e"});
  EXPECT_TRUE(m.settings.numbers_in_strings);
  EXPECT_FALSE(m.settings.nan_literals);
  EXPECT_FALSE(m.record.shaped);  // the flat parser still reads it
}

TEST(ShapesConfigTest, ShapedKeysParse) {
  auto lines = ValidModel();
  lines[2] = "    source: { paths: [a.log], envelope: cri }";
  lines[3] =
      "    record: { timestamp: { path: /request/t }, latency: { from_pair: true },"
      " pair: { key: /id, kind: { path: /type, request: q, response: r }, timeout: 5s },"
      " batch: { path: /request/rows, names: /request/names },"
      " decode: [{ path: /request/b, as: base64 }] }";
  lines[5] = "      - { name: x, path: 0/age }";
  lines.push_back("    match: { path: /svc, in: [a, b] }");
  lines.push_back(
      "    outputs: [{ name: p, path: /response/p, type: probabilities, classes: [u, v] }]");
  const Config c = LoadOk(lines);
  ASSERT_EQ(c.models.size(), 1u);
  const ModelConfig& m = c.models[0];
  EXPECT_TRUE(m.record.shaped);
  EXPECT_EQ(m.source.envelope, SourceConfig::Envelope::kCri);
  EXPECT_EQ(m.record.pair->timeout, 5);
  EXPECT_EQ(m.record.batch->names, "/request/names");
  EXPECT_EQ(m.record.batch->id, "{request_id}-item-{index}");
  EXPECT_EQ(m.record.decode.at(0).as, DecodeAs::kBase64);
  EXPECT_EQ(m.match->op, MatchConfig::Op::kIn);
  EXPECT_TRUE(m.outputs.empty());
  ASSERT_EQ(m.probabilities.size(), 1u);
  EXPECT_EQ(m.probabilities[0].classes, (std::vector<std::string>{"u", "v"}));
}

TEST(ShapesConfigTest, ReportsKeysThatNeedAnother) {
  auto lines = ValidModel();
  lines[5] = "      - { name: x, path: 0/age }";
  lines.push_back("    outputs: [{ name: y, tensor: out }]");
  EXPECT_TRUE(ErrorsAre(Errors(lines),
                        {"6:26: models[0].features[0].path: '0/age' is relative to a batch row",
                         "outputs[0].tensor: needs models[0].record.batch.tensors"}));
  lines = ValidModel();
  lines[3] =
      "    record: { timestamp: { path: /ts, timezone: UTC }, latency: { from_pair: true } }";
  EXPECT_TRUE(ErrorsAre(Errors(lines), {"only format: iso8601 takes a timezone",
                                        "latency.from_pair: needs models[0].record.pair"}));
  lines = ValidModel();
  lines.push_back("    match: { path: /a, equals: x, prefix: y }");
  EXPECT_TRUE(ErrorsAre(Errors(lines), {"give exactly one of equals, in, prefix or regex"}));
  lines = ValidModel();
  lines.push_back("    match: { path: /a, regex: '(' }");
  EXPECT_TRUE(ErrorsAre(Errors(lines), {"invalid regular expression"}));
  lines = ValidModel();
  lines[3] = "    record: { timestamp: { path: /ts, format: iso8601, timezone: Europe/Paris } }";
  EXPECT_TRUE(ErrorsAre(Errors(lines), {"invalid timezone 'Europe/Paris'"}));
  lines = ValidModel();
  lines[3] = "    record: { timestamp: { path: /ts }, decode: [{ path: /d, as: auto }] }";
  EXPECT_TRUE(ErrorsAre(Errors(lines), {"auto needs `encoding:`"}));
  lines = ValidModel();
  lines[3] = "    record: { timestamp: { path: [/ts, x] } }";
  EXPECT_TRUE(ErrorsAre(Errors(lines), {"path[1]: invalid JSON Pointer 'x'"}));
}

TEST(ShapesConfigTest, InLineLabelsNeedNoRequestId) {
  auto lines = ValidModel();
  lines.push_back("    outputs: [{ name: p, path: /p, type: categorical }]");
  lines.push_back(
      "    ground_truth: { source: predictions, record: { label: /target },"
      " prediction: p, positive_class: yes }");
  const Config c = LoadOk(lines);
  ASSERT_EQ(c.models.size(), 1u);
  EXPECT_TRUE(c.models[0].ground_truth->from_predictions);
  EXPECT_EQ(c.models[0].ground_truth->record.label, "/target");
  EXPECT_TRUE(c.models[0].record.shaped);
}

TEST(ShapesConfigTest, LabelLogDecodeAndBatch) {
  auto lines = ValidModel();
  lines[3] = "    record: { timestamp: { path: /ts }, request_id: /id }";
  lines.push_back("    outputs: [{ name: p, path: /p, type: categorical }]");
  lines.push_back("    ground_truth:");
  lines.push_back("      source: { paths: [gt.jsonl] }");
  lines.push_back("      record:");
  lines.push_back("        request_id: /eventMetadata/eventId");
  lines.push_back("        decode: [{ path: /g/data, as: auto, encoding: /g/encoding }]");
  lines.push_back("        batch: { path: /g/data }");
  lines.push_back("        label: 0/0");
  lines.push_back("      prediction: p");
  lines.push_back("      positive_class: '1'");
  const Config c = LoadOk(lines);
  const GroundTruthRecord& r = c.models[0].ground_truth->record;
  ASSERT_EQ(r.decode.size(), 1u);
  EXPECT_EQ(r.decode[0].encoding, "/g/encoding");
  ASSERT_TRUE(r.batch.has_value());
  EXPECT_EQ(r.batch->path, "/g/data");
  EXPECT_EQ(r.label, "0/0");
  EXPECT_FALSE(c.models[0].record.shaped);  // the predictions stay on the flat parser

  // A relative label needs rows; in-line labels take the model's record keys, not their own.
  auto no_batch = lines;
  no_batch.erase(no_batch.begin() + 13);  // the batch line
  EXPECT_FALSE(Errors(no_batch).empty());
  auto in_line = ValidModel();
  in_line.push_back("    outputs: [{ name: p, path: /p, type: categorical }]");
  in_line.push_back(
      "    ground_truth: { source: predictions, record: { label: /t, batch: { path: /r } },"
      " prediction: p, positive_class: yes }");
  EXPECT_TRUE(ErrorsAre(Errors(in_line), {"the label is in the prediction line"}));
}

TEST(ShapesConfigTest, PredictionMayBeProbabilities) {
  auto lines = ValidModel();
  lines.push_back("    outputs: [{ name: p, path: /p, type: probabilities, classes: [a, b] }]");
  lines.push_back(
      "    ground_truth: { source: predictions, record: { label: /t },"
      " task: multiclass_classification, prediction: p }");
  const Config c = LoadOk(lines);
  EXPECT_EQ(c.models[0].ground_truth->prediction, "p");
  lines.back() =
      "    ground_truth: { source: predictions, record: { label: /t },"
      " task: regression, prediction: p }";
  EXPECT_TRUE(ErrorsAre(Errors(lines), {"needs a classification task"}));
}

}  // namespace
}  // namespace modelwatch::config
