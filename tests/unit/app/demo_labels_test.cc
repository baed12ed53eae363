#include "app/demo_labels.h"

#include <gtest/gtest.h>

#include <string>

#include <modelwatch/parse/record_parser.h>

#include "app/demo_traffic.h"

namespace modelwatch::app {
namespace {

// The share of labels agreeing with the predicted class, for predictions at [from, from + n).
struct Agreement {
  int predictions = 0;
  int labels = 0;
  int agree = 0;
};

Agreement Measure(double from, int n, double drift_start) {
  TrafficGenerator gen({.seed = 9});
  DemoLabels labels(3, drift_start);
  std::string lines;
  for (int i = 0; i < n; ++i) gen.AppendPredictionLine(from + i, &lines);
  labels.OnPredictions(lines);
  std::string out;
  labels.AppendDue(from + n + 100, &out);
  EXPECT_EQ(labels.waiting(), 0u);
  Agreement a;
  a.predictions = n;
  std::size_t pos = 0;
  while (pos < lines.size()) {
    const std::size_t nl = lines.find('\n', pos);
    const std::string line = lines.substr(pos, nl - pos);
    pos = nl + 1;
    const std::size_t id_at = line.find("\"request_id\":\"");
    const std::string id = line.substr(id_at + 14, line.find('"', id_at + 14) - id_at - 14);
    const bool fraud = line.find("\"label\":\"fraud\"") != std::string::npos;
    const std::size_t at = out.find("\"request_id\":\"" + id + "\"");
    if (at == std::string::npos) continue;
    ++a.labels;
    const std::size_t end = out.find('\n', at);
    const bool label_fraud = out.substr(at, end - at).find("fraud") != std::string::npos;
    a.agree += fraud == label_fraud ? 1 : 0;
  }
  return a;
}

TEST(DemoLabelsTest, LabelsAgreeWithCalibratedScoresUntilConceptDrift) {
  const double t0 = 1795824000;
  const Agreement before = Measure(t0, 4000, t0 + 1e6);
  const Agreement after = Measure(t0, 4000, t0);
  EXPECT_NEAR(static_cast<double>(before.labels) / before.predictions, 1 - kDemoUnlabeledShare,
              0.02);
  const double acc_before = static_cast<double>(before.agree) / before.labels;
  const double acc_after = static_cast<double>(after.agree) / after.labels;
  EXPECT_GT(acc_before, 0.7);
  EXPECT_LT(acc_after, acc_before - 0.3);
}

TEST(DemoLabelsTest, LabelsComeDueInOrderBetweenTheDelays) {
  TrafficGenerator gen({.seed = 1});
  DemoLabels labels(1, 1e18);
  std::string lines;
  const double t0 = 1795824000;
  for (int i = 0; i < 200; ++i) gen.AppendPredictionLine(t0 + i * 0.1, &lines);
  labels.OnPredictions(lines);
  std::string out;
  labels.AppendDue(t0 + kDemoLabelDelayMin - 0.001, &out);
  EXPECT_TRUE(out.empty());
  labels.AppendDue(t0 + 20 + kDemoLabelDelayMax, &out);
  double last = 0;
  std::size_t pos = 0;
  int n = 0;
  while ((pos = out.find("\"ts\":\"", pos)) != std::string::npos) {
    const auto t = parse::ParseRfc3339(out.substr(pos + 6, 24));
    ASSERT_TRUE(t.has_value());
    EXPECT_GE(*t, last);
    last = *t;
    ++pos;
    ++n;
  }
  EXPECT_GT(n, 150);
}

}  // namespace
}  // namespace modelwatch::app
