// Every kind of problem is reported as FILE:LINE:COL: message, at the offending node.
#include <gtest/gtest.h>

#include <modelwatch/config/config.h>

#include "unit/config/config_test_util.h"

namespace modelwatch::config {
namespace {

using testing::Errors;
using testing::ErrorsAre;
using testing::Load;
using testing::ValidModel;
using testing::With;

TEST(ConfigErrorsTest, UnknownKeyAtItsOwnPosition) {
  EXPECT_TRUE(ErrorsAre(Errors(With(ValidModel(), {"    process: { pid_file: p, nmae: x }"})),
                        {"/etc/mw/c.yaml:8:29: unknown key 'nmae' in models[0].process "
                         "(expected one of: pid_file, name, cgroup)"}));
}

TEST(ConfigErrorsTest, UnknownKeyInBlockMapping) {
  auto lines = ValidModel();
  lines[2] = "    source:";
  lines.insert(lines.begin() + 3, {"      paths: [a]", "      fromat: jsonl"});
  auto errors = Errors(lines);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(
      ErrorsAre({errors[0]}, {"/etc/mw/c.yaml:5:7: unknown key 'fromat' in models[0].source"}));
}

TEST(ConfigErrorsTest, UnknownTopLevelKey) {
  EXPECT_TRUE(ErrorsAre(Errors(With(ValidModel(), {"metrics: {}"})),
                        {"c.yaml:8:1: unknown key 'metrics' at top level"}));
}

TEST(ConfigErrorsTest, RepeatedKey) {
  EXPECT_TRUE(ErrorsAre(Errors(With(ValidModel(), {"    name: n"})),
                        {"/etc/mw/c.yaml:8:5: key 'name' repeated in models[0]"}));
}

TEST(ConfigErrorsTest, SyntaxErrorBecomesOneErrorWithPosition) {
  auto errors = Errors({"models:", "  - name: [m", "server: {}"});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(ErrorsAre({errors[0]}, {"/etc/mw/c.yaml:3:"}));
  EXPECT_TRUE(ErrorsAre({errors[0]}, {"invalid YAML"}));
}

TEST(ConfigErrorsTest, BadIndentationIsReportedNotThrown) {
  LoadResult r = Load({"log:", "  level: info", " format: text"});
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 3);
  EXPECT_FALSE(r.config.has_value());
}

TEST(ConfigErrorsTest, UndefinedAliasIsReported) {
  LoadResult r = Load({"log: *nothing"});
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 1);
}

TEST(ConfigErrorsTest, WrongTypes) {
  EXPECT_TRUE(ErrorsAre(
      Errors(With(ValidModel(), {"server:", "  max_connections: many",
                                 "  protect_health_endpoints: maybe", "  listen_address: [a]"})),
      {"/etc/mw/c.yaml:9:20: server.max_connections: expected an integer",
       "/etc/mw/c.yaml:10:29: server.protect_health_endpoints: expected "
       "true or false",
       "/etc/mw/c.yaml:11:19: server.listen_address: expected a string"}));
}

TEST(ConfigErrorsTest, SectionThatIsNotAMapping) {
  EXPECT_TRUE(ErrorsAre(Errors(With(ValidModel(), {"log: loud"})),
                        {"/etc/mw/c.yaml:8:6: log: expected a mapping of keys to values"}));
}

TEST(ConfigErrorsTest, BadEnumListsAllowedValues) {
  EXPECT_TRUE(ErrorsAre(Errors(With(ValidModel(), {"log: { level: verbose }"})),
                        {"/etc/mw/c.yaml:8:15: log.level: invalid value 'verbose' (expected "
                         "one of: debug, info, warn, error)"}));
}

TEST(ConfigErrorsTest, BadDurationAndSize) {
  EXPECT_TRUE(ErrorsAre(Errors(With(ValidModel(), {"engine: { tick_interval: 1.5s }",
                                                   "state: { checkpoint_interval: 0s }"})),
                        {"c.yaml:8:26: engine.tick_interval: invalid duration '1.5s'",
                         "/etc/mw/c.yaml:9:31: state.checkpoint_interval: must be greater "
                         "than zero"}));
  auto lines = ValidModel();
  lines[2] = "    source: { paths: [a], max_line_bytes: 1 MB/s }";
  EXPECT_TRUE(ErrorsAre(Errors(lines), {"c.yaml:3:43: models[0].source.max_line_bytes: "
                                        "invalid size '1 MB/s'"}));
}

TEST(ConfigErrorsTest, InvalidJsonPointer) {
  auto lines = ValidModel();
  lines[5] = "      - { name: x, path: inputs/x }";
  lines.push_back("    record: { timestamp: { path: /ts }, request_id: /a~2 }");
  lines.erase(lines.begin() + 3);
  EXPECT_TRUE(ErrorsAre(Errors(lines), {"c.yaml:5:26: models[0].features[0].path: invalid JSON "
                                        "Pointer 'inputs/x'",
                                        "c.yaml:7:53: models[0].record.request_id: invalid JSON "
                                        "Pointer '/a~2'"}));
}

TEST(ConfigErrorsTest, EmptyFeaturePath) {
  auto lines = ValidModel();
  lines[5] = "      - { name: x, path: '' }";
  EXPECT_TRUE(ErrorsAre(Errors(lines), {"c.yaml:6:26: models[0].features[0].path: "
                                        "must not be empty"}));
}

TEST(ConfigErrorsTest, WindowsMustBeDistinctAndPositive) {
  EXPECT_TRUE(ErrorsAre(Errors(With(ValidModel(), {"defaults: { windows: [5m, 300s, 0s, soon] }"})),
                        {"/etc/mw/c.yaml:8:27: defaults.windows[1]: window '300s' repeats '5m'",
                         "/etc/mw/c.yaml:8:33: defaults.windows[2]: a window must be longer "
                         "than zero",
                         "c.yaml:8:37: defaults.windows[3]: invalid duration 'soon'"}));
}

TEST(ConfigErrorsTest, LatencyBucketsMustIncrease) {
  auto lines = ValidModel();
  lines[3] = "    record: { timestamp: { path: /ts }, latency: { path: /l, buckets: [1, 2, 2] } }";
  EXPECT_TRUE(ErrorsAre(Errors(lines), {"/etc/mw/c.yaml:4:78: models[0].record.latency."
                                        "buckets[2]: bucket bounds must be strictly increasing"}));
}

TEST(ConfigErrorsTest, DriftSettingsAreChecked) {
  EXPECT_TRUE(ErrorsAre(
      Errors(With(ValidModel(),
                  {"defaults:", "  drift:", "    thresholds: { psy: 1 }", "    bins: { count: 1 }",
                   "    drift_share: 1.5", "    extra_methods: [auto]", "    base: 10"})),
      {"c.yaml:10:19: unknown key 'psy' in defaults.drift.thresholds",
       "/etc/mw/c.yaml:11:20: defaults.drift.bins.count: must be between 2 and 10000",
       "/etc/mw/c.yaml:12:18: defaults.drift.drift_share: must be in (0, 1]",
       "c.yaml:13:21: defaults.drift.extra_methods[0]: invalid method 'auto'",
       "/etc/mw/c.yaml:14:11: defaults.drift.base: invalid value '10' (expected one "
       "of: e, 2)"}));
}

TEST(ConfigErrorsTest, RangeChecks) {
  auto lines = ValidModel();
  lines[5] = "      - { name: x, path: /x, range: { min: 3, max: 1 } }";
  lines.insert(lines.begin() + 6,
               {"      - { name: c, path: /c, type: categorical, range: { min: 0 } }",
                "      - { name: n, path: /n, expose_categories: hash }"});
  EXPECT_TRUE(ErrorsAre(Errors(lines),
                        {"c.yaml:6:52: models[0].features[0].range.max: must not be less than min",
                         "c.yaml:7:56: models[0].features[1].range: only numeric",
                         "c.yaml:8:49: models[0].features[2].expose_categories: only "
                         "categorical"}));
}

TEST(ConfigErrorsTest, AllProblemsAreCollectedInFileOrder) {
  auto errors = Errors(With(ValidModel(), {"log: { level: loud, format: xml }",
                                           "server: { idle_timeout: forever }", "bogus: 1"}));
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_TRUE(ErrorsAre({errors[0]}, {":8:15:"}));
  EXPECT_TRUE(ErrorsAre({errors[1]}, {":8:29:"}));
  EXPECT_TRUE(ErrorsAre({errors[2]}, {":9:25:"}));
  EXPECT_TRUE(ErrorsAre({errors[3]}, {":10:1:"}));
}

TEST(ConfigErrorsTest, ErrorsInDefaultsAreReportedOnce) {
  auto lines = With(ValidModel(), {"  - name: m2", "    source: { paths: [b] }",
                                   "    record: { timestamp: { path: /ts } }",
                                   "    features: [{ name: x, path: /x }]",
                                   "    reference: { path: r }", "defaults: { time: whenever }"});
  EXPECT_TRUE(ErrorsAre(Errors(lines), {"c.yaml:13:19: defaults.time: invalid value"}));
}

}  // namespace
}  // namespace modelwatch::config
