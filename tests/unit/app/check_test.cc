#include "app/check.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <modelwatch/state/baseline_file.h>

#include "app/baseline_command.h"
#include "app/cli.h"
#include "app/pipeline.h"
#include "app/reference.h"

namespace modelwatch::app {
namespace {

// A directory with 2,000 reference rows, a configuration and CURRENT logs written on demand.
class CheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string p = (std::filesystem::temp_directory_path() / "check-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(p.data()), nullptr);
    dir_ = p;
    std::ofstream ref(dir_ + "/ref.jsonl");
    std::mt19937 rng(3);
    std::normal_distribution<double> g(0, 1);
    for (int i = 0; i < 2000; ++i) {
      ref << "{\"x\":" << g(rng) << ",\"c\":\"" << (i % 3 ? "a" : "b") << "\",\"y\":" << g(rng)
          << ",\"t\":\"" << (i % 2 ? "yes" : "no") << "\"}\n";
    }
    std::ofstream(dir_ + "/cfg.yaml") << "models:\n"
                                         "  - name: m\n"
                                         "    source: { paths: [cur.jsonl] }\n"
                                         "    record: { timestamp: { path: /ts } }\n"
                                         "    features:\n"
                                         "      - { name: x, path: /in/x, type: numeric }\n"
                                         "      - { name: c, path: /in/c, type: categorical }\n"
                                         "    outputs:\n"
                                         "      - { name: y, path: /out/y, type: numeric }\n"
                                         "    reference: { path: ref.jsonl, target: t }\n";
    auto loaded = config::LoadConfigFile(dir_ + "/cfg.yaml");
    ASSERT_TRUE(loaded.errors.empty()) << loaded.errors[0].ToString();
    model_ = loaded.config->models[0];
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // n log lines, 0.5 s apart from 2026-11-28T00:00:00Z, then one line that is not JSON. x and
  // y are shifted by x_shift and y_shift; c is "a" and "b" like the reference, or only "a". The
  // first c is [1] (type_mismatch).
  std::string WriteLog(int n, double x_shift, double y_shift = 0, bool only_a = false) {
    std::ofstream out(dir_ + "/cur.jsonl");
    std::mt19937 rng(17);
    std::normal_distribution<double> g(0, 1);
    for (int i = 0; i < n; ++i) {
      char ts[64];
      std::snprintf(ts, sizeof ts, "2026-11-28T00:%02d:%02d.%dZ", i / 120, i / 2 % 60, i % 2 * 5);
      const char* c = i == 0 ? "[1]" : (only_a || i % 3) ? "\"a\"" : "\"b\"";
      out << "{\"ts\":\"" << ts << "\",\"in\":{\"x\":" << g(rng) + x_shift << ",\"c\":" << c
          << "},\"out\":{\"y\":" << g(rng) + y_shift << "}}\n";
    }
    out << "not json\n";
    return dir_ + "/cur.jsonl";
  }

  // Inside the reference's range, so that no value is out_of_range.
  static std::string Clamped(double v) { return std::to_string(std::clamp(v, -2.5, 2.5)); }

  // n log lines of x, c and y drawn like the reference, except that every k-th line of the
  // named field carries the given JSON text instead: {field, text, k}.
  struct Fault {
    std::string field, text;
    int every;
  };
  std::string WriteQualityLog(int n, const std::vector<Fault>& faults) {
    std::ofstream out(dir_ + "/cur.jsonl");
    std::mt19937 rng(5);
    std::normal_distribution<double> g(0, 1);
    for (int i = 0; i < n; ++i) {
      auto value = [&](const std::string& field, const std::string& clean) {
        for (const Fault& f : faults) {
          if (f.field == field && i % f.every == 0) return f.text;
        }
        return clean;
      };
      out << "{\"in\":{\"x\":" << value("x", Clamped(g(rng)))
          << ",\"c\":" << value("c", i % 3 ? "\"a\"" : "\"b\"")
          << "},\"out\":{\"y\":" << value("y", Clamped(g(rng))) << "}}\n";
    }
    return dir_ + "/cur.jsonl";
  }

  CheckReport Run(const std::string& current, FailOn fail_on = FailOn::kFeature) {
    auto ref = LoadModelReference(model_);
    EXPECT_TRUE(ref.ok()) << ref.status().message();
    auto r = RunCheck(model_, ref.value().file.baseline, current, CurrentFormat::kLog, fail_on);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.value();
  }

  std::string dir_;
  config::ModelConfig model_;
};

TEST_F(CheckTest, JsonHasTheDocumentedShape) {
  const std::string j = CheckJson(Run(WriteLog(300, 2, 0, true)));
  EXPECT_EQ(j.rfind("{\"model\":\"m\",\"rows\":300,\"reference_rows\":2000,\"dataset\":"
                    "{\"drift_share\":1,\"drift_detected\":true},\"features\":[{\"name\":\"x\","
                    "\"type\":\"numeric\",\"method\":\"wasserstein\",\"score\":",
                    0),
            0u)
      << j;
  EXPECT_NE(j.find(",\"threshold\":0.1,\"drift_detected\":true,\"values\":300,\"invalid\":{"
                   "\"missing\":0,\"null\":0,\"nan\":0,\"empty\":0,\"type_mismatch\":0,"
                   "\"out_of_range\":"),
            std::string::npos)
      << j;
  EXPECT_NE(j.find(",\"reference_invalid_share\":0,\"quality_failed\":true,"
                   "\"extra_scores\":{}},{\"name\":\"c\",\"type\":\"categorical\""),
            std::string::npos)
      << j;
  EXPECT_NE(
      j.find("\"values\":299,\"invalid\":{\"missing\":0,\"null\":0,\"nan\":0,\"empty\":0,"
             "\"type_mismatch\":1,\"unseen_category\":0},\"invalid_share\":0.0033333333333333335,"),
      std::string::npos)
      << j;
  EXPECT_NE(j.find("],\"outputs\":[{\"name\":\"y\",\"type\":\"numeric\""), std::string::npos);
  EXPECT_EQ(j.substr(j.size() - 15), ",\"exit_code\":3}");
}

TEST_F(CheckTest, DriftExitsThreeUnlessFailOnNone) {
  const std::string log = WriteLog(300, 2, 0, true);
  EXPECT_EQ(Run(log).exit_code, kExitCheckFailed);
  EXPECT_EQ(Run(log, FailOn::kDataset).exit_code, kExitCheckFailed);  // x and c: share 1
  EXPECT_EQ(Run(log, FailOn::kNone).exit_code, kExitOk);
}

TEST_F(CheckTest, QualityIgnoresDriftInsideTheReferenceRangeButNotOutOfRangeValues) {
  EXPECT_EQ(Run(WriteLog(300, 0, 0, true), FailOn::kQuality).exit_code, kExitOk);  // c drifts
  // x shifted by 2 standard deviations: a fifth of its values lie above the reference's max.
  const CheckReport r = Run(WriteLog(300, 2, 0, true), FailOn::kQuality);
  EXPECT_EQ(r.exit_code, kExitCheckFailed);
  EXPECT_GT(r.snapshot.fields[0].states_total[engine::kOutOfRange], 15u);
}

TEST_F(CheckTest, JsonCountsEveryReasonThatAppliesToTheType) {
  const std::string j = CheckJson(Run(WriteQualityLog(1000, {{"c", "\"new\"", 10}})));
  EXPECT_NE(j.find("\"type_mismatch\":0,\"out_of_range\":0},"), std::string::npos) << j;
  EXPECT_NE(j.find("\"type_mismatch\":0,\"unseen_category\":100},\"invalid_share\":0.1,"),
            std::string::npos)
      << j;
}

TEST_F(CheckTest, QualityFailsOnlyPastTheReferenceShareAndTolerance) {
  // The reference has no invalid value: 4 % null stays within 0.05, 6 % does not.
  EXPECT_EQ(Run(WriteQualityLog(1000, {{"x", "null", 25}}), FailOn::kQuality).exit_code, kExitOk);
  const CheckReport r = Run(WriteQualityLog(1000, {{"x", "null", 16}}), FailOn::kQuality);
  EXPECT_EQ(r.exit_code, kExitCheckFailed);
  EXPECT_NEAR(InvalidShare(r.snapshot.fields[0]), 0.063, 1e-12);
  EXPECT_TRUE(QualityFails(r.snapshot.fields[0]));
  EXPECT_FALSE(QualityFails(r.snapshot.fields[1]));
  EXPECT_EQ(Run(WriteQualityLog(1000, {{"x", "null", 16}}), FailOn::kFeature).exit_code, kExitOk);
}

TEST_F(CheckTest, QualityComparesWithTheReferenceInvalidShare) {
  std::ofstream ref(dir_ + "/ref.jsonl");
  for (int i = 0; i < 1000; ++i) {  // c is null in 10 % of the reference rows
    const char* c = i % 10 == 0 ? "null" : i % 3 ? "\"a\"" : "\"b\"";
    ref << "{\"x\":" << i % 7 << ",\"c\":" << c << ",\"y\":1}\n";
  }
  ref.close();
  const CheckReport r = Run(WriteQualityLog(1000, {{"c", "null", 7}}), FailOn::kQuality);
  EXPECT_DOUBLE_EQ(ReferenceInvalidShare(r.snapshot.fields[1]), 0.1);
  EXPECT_FALSE(QualityFails(r.snapshot.fields[1]));  // 0.143 < 0.1 + 0.05
  EXPECT_TRUE(QualityFails(Run(WriteQualityLog(1000, {{"c", "null", 6}})).snapshot.fields[1]));
}

TEST_F(CheckTest, QualityFailsEvenWhenNothingReachedMinSamples) {
  const std::string log =
      WriteQualityLog(300, {{"x", "null", 1}, {"c", "null", 1}, {"y", "null", 1}});
  EXPECT_EQ(Run(log, FailOn::kQuality).exit_code, kExitCheckFailed);
  EXPECT_EQ(Run(log, FailOn::kFeature).exit_code, kExitTooLittleData);
}

TEST_F(CheckTest, TextShowsTheInvalidShareAndTheQualityVerdict) {
  const std::string t = CheckText(Run(WriteQualityLog(1000, {{"x", "null", 10}}), FailOn::kQuality),
                                  FailOn::kQuality);
  EXPECT_NE(t.find("VALUES   INVALID  REASONS"), std::string::npos) << t;
  EXPECT_NE(t.find("   10.00%  null 100"), std::string::npos) << t;
  EXPECT_NE(t.find("    0.00%  -"), std::string::npos) << t;
  EXPECT_NE(t.find("data quality: invalid share above the reference's + 0.05 in x 10.00% "
                   "(reference 0.00%)"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("result: data quality degraded; exit 3 (--fail-on quality)"), std::string::npos);
}

TEST_F(CheckTest, NoDriftExitsZero) {
  CheckReport r = Run(WriteLog(2000, 0));
  EXPECT_EQ(r.exit_code, kExitOk);
  EXPECT_EQ(r.snapshot.windows[0].features_scored, 2);
  EXPECT_EQ(r.snapshot.windows[0].features_drifted, 0);
}

TEST_F(CheckTest, AnOutputDriftingFailsFeatureButNotDataset) {
  const std::string log = WriteLog(2000, 0, 2);
  CheckReport r = Run(log);
  EXPECT_EQ(r.exit_code, kExitCheckFailed);
  EXPECT_TRUE(r.snapshot.windows[0].fields[2].detected);  // y
  EXPECT_EQ(Run(log, FailOn::kDataset).exit_code, kExitOk);
}

TEST_F(CheckTest, HalfTheFeaturesDriftingIsDatasetDrift) {
  EXPECT_EQ(Run(WriteLog(300, 0, 0, true), FailOn::kDataset).exit_code, kExitCheckFailed);
}

TEST_F(CheckTest, TooLittleDataExitsFour) {
  CheckReport r = Run(WriteLog(99, 3));
  EXPECT_EQ(r.exit_code, kExitTooLittleData);
  EXPECT_EQ(r.rows, 99);
  EXPECT_EQ(r.rejected_lines, 1u);
  EXPECT_NE(CheckText(r, FailOn::kFeature).find("too little data"), std::string::npos);
}

TEST_F(CheckTest, TextNamesTheDriftedFields) {
  const std::string t = CheckText(Run(WriteLog(2000, 2, 0, true)), FailOn::kFeature);
  EXPECT_NE(t.find("model m: 2000 rows against 2000 reference rows (window all)"),
            std::string::npos);
  EXPECT_NE(t.find("result: drift in x c; exit 3 (--fail-on feature)"), std::string::npos) << t;
  EXPECT_NE(t.find("type_mismatch 1"), std::string::npos);
}

TEST_F(CheckTest, EqualsOneShotWhenEveryRecordIsInOneWindow) {
  const std::string log = WriteLog(1000, 0.3);  // 500 s of event time: inside 1h
  model_.source.paths = {log};
  std::unique_ptr<tail::FileSystem> fs = tail::MakeRealFileSystem();
  auto pipeline = ModelPipeline::Create(model_, *fs, /*one_shot=*/true);
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().message();
  pipeline.value()->Poll(2e9);
  const double T = pipeline.value()->engine().newest_event_time();
  const engine::ModelSnapshot one_shot = pipeline.value()->Evaluate(T);
  const engine::WindowView& hour = one_shot.windows[1];
  ASSERT_EQ(hour.label, "1h");
  const CheckReport check = Run(log);
  const engine::WindowView& all = check.snapshot.windows[0];
  ASSERT_EQ(all.fields.size(), hour.fields.size());
  for (std::size_t i = 0; i < all.fields.size(); ++i) {
    EXPECT_TRUE(all.fields[i].scored);
    EXPECT_EQ(all.fields[i].values, hour.fields[i].values);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(all.fields[i].score),
              std::bit_cast<std::uint64_t>(hour.fields[i].score))
        << i;
  }
  EXPECT_EQ(all.drift_share, hour.drift_share);
}

TEST_F(CheckTest, RowsAsCurrentReadFieldsByName) {
  auto ref = LoadModelReference(model_);
  ASSERT_TRUE(ref.ok());
  auto r = RunCheck(model_, ref.value().file.baseline, dir_ + "/ref.jsonl", CurrentFormat::kRows,
                    FailOn::kFeature);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().rows, 2000);
  EXPECT_EQ(r.value().exit_code, kExitOk);  // the reference against itself
  EXPECT_NEAR(r.value().snapshot.windows[0].fields[0].score, 0, 1e-12);
}

TEST_F(CheckTest, CommandExitCodes) {
  CheckOptions o;
  o.config_path = dir_ + "/cfg.yaml";
  o.current = WriteLog(300, 2);
  o.json = true;
  EXPECT_EQ(Check(o), kExitCheckFailed);
  o.fail_on = FailOn::kNone;
  EXPECT_EQ(Check(o), kExitOk);
  o.model = "other";
  EXPECT_EQ(Check(o), kExitUsage);
  o.model = "m";
  o.labels = dir_ + "/labels.jsonl";
  EXPECT_EQ(Check(o), kExitError);  // the model has no ground_truth
  o.labels.clear();
  o.current = dir_ + "/missing.jsonl";
  EXPECT_EQ(Check(o), kExitError);
  o.config_path = dir_ + "/missing.yaml";
  EXPECT_EQ(Check(o), kExitError);
}

TEST_F(CheckTest, BaselineCommandWritesAFileCheckAcceptsAsReference) {
  const std::string out = dir_ + "/base.json";
  BaselineOptions o;
  o.config_path = dir_ + "/cfg.yaml";
  o.out = out;
  ASSERT_EQ(BaselineCommand(o), kExitOk);
  ASSERT_TRUE(state::IsBaselineFile(out));
  auto loaded = LoadReferenceAt(model_, out, config::ReferenceFormat::kRows);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  ASSERT_TRUE(loaded.value().file.target.has_value());
  EXPECT_EQ(loaded.value().file.target->profile.categorical.all.at("yes"), 1000);
  const std::string log = WriteLog(300, 0.5);
  auto from_file =
      RunCheck(model_, loaded.value().file.baseline, log, CurrentFormat::kLog, FailOn::kFeature);
  ASSERT_TRUE(from_file.ok());
  EXPECT_EQ(CheckJson(from_file.value()), CheckJson(Run(log)));
  o.reference = dir_ + "/missing.jsonl";
  EXPECT_EQ(BaselineCommand(o), kExitError);
}

TEST_F(CheckTest, DaemonReadsReferenceBaselineWithTheSameProfile) {
  BaselineOptions o;
  o.config_path = dir_ + "/cfg.yaml";
  o.out = dir_ + "/base.json";
  ASSERT_EQ(BaselineCommand(o), kExitOk);
  std::uint64_t rejected = 1;
  auto rows = LoadBaseline(model_, &rejected);
  model_.reference.path.clear();
  model_.reference.baseline = o.out;
  auto file = LoadBaseline(model_, &rejected);
  ASSERT_TRUE(rows.ok() && file.ok()) << file.status().message();
  EXPECT_EQ(rejected, 0u);
  EXPECT_EQ(file.value().rows, 2000);
  EXPECT_EQ(file.value().fields[0].numeric.sorted, rows.value().fields[0].numeric.sorted);
  model_.reference.baseline = dir_ + "/ref.jsonl";  // rows are not a baseline file
  auto rows_as_file = LoadBaseline(model_, &rejected);
  ASSERT_FALSE(rows_as_file.ok());
  EXPECT_NE(rows_as_file.status().message().find("ref.jsonl: not a modelwatch baseline file"),
            std::string::npos)
      << rows_as_file.status().message();
}

}  // namespace
}  // namespace modelwatch::app
