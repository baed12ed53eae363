// Checks across keys: names, references between keys, what a model needs.
#include <gtest/gtest.h>

#include <modelwatch/config/config.h>

#include "unit/config/config_test_util.h"

namespace modelwatch::config {
namespace {

using testing::Errors;
using testing::ErrorsAre;
using testing::ValidModel;
using testing::With;

TEST(ValidateTest, EmptyFileNeedsAModel) {
  EXPECT_TRUE(ErrorsAre(Errors({""}), {"/etc/mw/c.yaml: models: at least one model is required"}));
  EXPECT_TRUE(ErrorsAre(Errors({"models: []"}),
                        {"/etc/mw/c.yaml:1:9: models: at least one model is required"}));
}

TEST(ValidateTest, DuplicateModelNameAtSecondOccurrence) {
  auto lines = ValidModel();
  auto second = std::vector<std::string>(lines.begin() + 1, lines.end());
  EXPECT_TRUE(ErrorsAre(Errors(With(lines, second)),
                        {"/etc/mw/c.yaml:8:11: models[1].name: model 'm' is used twice (first "
                         "at line 2, column 11)"}));
}

TEST(ValidateTest, InvalidModelName) {
  auto lines = ValidModel();
  lines[1] = "  - name: 'fraud detector'";
  EXPECT_TRUE(ErrorsAre(Errors(lines), {"c.yaml:2:11: models[0].name: invalid model "
                                        "name 'fraud detector'"}));
}

TEST(ValidateTest, FieldNamesAreUniqueAcrossFeaturesOutputsAndTarget) {
  auto lines = ValidModel();
  lines[6] = "    reference: { path: r, target: y }";
  lines.push_back("    outputs: [{ name: x, path: /o }, { name: y, path: /y }]");
  EXPECT_TRUE(
      ErrorsAre(Errors(lines), {"c.yaml:8:23: models[0].outputs[0].name: 'x' is used twice in "
                                "model 'm' (first at line 6, column 17)",
                                "c.yaml:8:46: models[0].outputs[1].name: 'y' is used twice in "
                                "model 'm' (first at line 7, column 35)"}));
}

TEST(ValidateTest, InvalidFieldName) {
  auto lines = ValidModel();
  lines[5] = "      - { name: 1st, path: /x }";
  EXPECT_TRUE(ErrorsAre(Errors(lines), {"c.yaml:6:17: models[0].features[0].name: "
                                        "invalid name '1st'"}));
}

TEST(ValidateTest, ModelNeedsSourcePathsAndFields) {
  auto lines = ValidModel();
  lines[2] = "    source: { paths: [] }";
  lines[4] = "    features: []";
  lines.erase(lines.begin() + 5);
  EXPECT_TRUE(ErrorsAre(Errors(lines),
                        {"/etc/mw/c.yaml:3:22: models[0].source.paths: must list at least one "
                         "path",
                         "/etc/mw/c.yaml:5:15: models[0]: a model needs at least one feature or "
                         "output"}));
}

TEST(ValidateTest, MissingRequiredKeysAreReportedAtTheMapping) {
  EXPECT_TRUE(ErrorsAre(Errors({"models:", "  - name: m", "    features: [{ path: /x }]",
                                "    reference: { path: r }", "    time: arrival"}),
                        {"/etc/mw/c.yaml:2:5: models[0]: missing required key 'source'",
                         "/etc/mw/c.yaml:3:16: models[0].features[0]: missing required key "
                         "'name'"}));
}

TEST(ValidateTest, ReferenceNeedsExactlyOneOfPathOrBaseline) {
  auto lines = ValidModel();
  lines.pop_back();
  EXPECT_TRUE(ErrorsAre(Errors(lines), {"/etc/mw/c.yaml:2:5: models[0]: reference: one of path "
                                        "or baseline is required"}));
  lines.push_back("    reference: { path: r, baseline: b }");
  EXPECT_TRUE(ErrorsAre(Errors(lines), {"c.yaml:7:37: models[0].reference.baseline: "
                                        "give either path or baseline"}));
}

TEST(ValidateTest, EventTimeNeedsATimestamp) {
  auto lines = ValidModel();
  lines.erase(lines.begin() + 3);
  EXPECT_TRUE(ErrorsAre(Errors(lines), {"c.yaml:2:5: models[0]: time: event needs "
                                        "record.timestamp"}));
  EXPECT_TRUE(Errors(With(lines, {"    time: arrival"})).empty());
}

TEST(ValidateTest, GroundTruthNamesOutputsAndNeedsRequestId) {
  auto lines =
      With(ValidModel(), {"    outputs: [{ name: p, path: /p }]",
                          "    ground_truth:", "      source: { paths: [l] }",
                          "      record: { request_id: /id, label: /y }", "      prediction: q",
                          "      score: x", "      positive_class: 'yes'"});
  EXPECT_TRUE(ErrorsAre(Errors(lines),
                        {"c.yaml:10:7: models[0].ground_truth: labels are joined by "
                         "request id",
                         "/etc/mw/c.yaml:12:19: models[0].ground_truth.prediction: 'q' is not an "
                         "output of model 'm'",
                         "c.yaml:13:14: models[0].ground_truth.score: 'x' is not"}));
}

TEST(ValidateTest, GroundTruthOutputTypesFitTheTaskAndBinaryNeedsAPositiveClass) {
  auto lines = ValidModel();
  lines[3] = "    record: { timestamp: { path: /ts }, request_id: /id }";
  lines =
      With(lines, {"    outputs: [{ name: p, path: /p }, { name: s, path: /s, type: categorical }]",
                   "    ground_truth:", "      source: { paths: [l] }",
                   "      record: { request_id: /id, label: /y }", "      prediction: p",
                   "      score: s"});
  EXPECT_TRUE(ErrorsAre(
      Errors(lines),
      {"models[0].ground_truth: binary_classification needs positive_class",
       "models[0].ground_truth.prediction: output 'p' must be categorical for classification",
       "models[0].ground_truth.score: output 's' must be numeric"}));
  lines.push_back("      task: regression");
  EXPECT_TRUE(
      ErrorsAre(Errors(lines), {"models[0].ground_truth.score: output 's' must be numeric"}));
}

TEST(ValidateTest, ProcessNeedsExactlyOneWay) {
  EXPECT_TRUE(ErrorsAre(Errors(With(ValidModel(), {"    process: { name: a, cgroup: b }"})),
                        {"/etc/mw/c.yaml:8:14: models[0].process: give exactly one of pid_file, "
                         "name or cgroup"}));
}

}  // namespace
}  // namespace modelwatch::config
