#include <modelwatch/engine/label_join.h>

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

namespace modelwatch::engine {
namespace {

JoinPrediction Pred(double ts, double predicted = 1) { return {ts, predicted, 0.5}; }
JoinLabel Lab(double ts, double value = 1) { return {ts, true, value}; }

JoinLimits Limits(double ttl, std::uint64_t max_pending = 1000, std::uint64_t max_labels = 1000) {
  JoinLimits l;
  l.ttl = ttl;
  l.max_pending = max_pending;
  l.max_pending_labels = max_labels;
  return l;
}

TEST(LabelJoinTest, LabelAfterPredictionJoinsWithThePredictionsFacts) {
  LabelJoin j(Limits(60));
  JoinResult r;
  EXPECT_FALSE(j.AddPrediction(RequestIdHash("a"), Pred(100, 3), &r));
  EXPECT_EQ(j.pending_predictions(), 1u);
  ASSERT_TRUE(j.AddLabel(RequestIdHash("a"), Lab(130, 2), &r));
  EXPECT_EQ(r.prediction.timestamp, 100);
  EXPECT_EQ(r.prediction.predicted, 3);
  EXPECT_EQ(r.label.value, 2);
  EXPECT_EQ(j.pending_predictions(), 0u);
  EXPECT_EQ(j.counters().joined, 1u);
  EXPECT_EQ(j.counters().labels, 1u);
}

TEST(LabelJoinTest, LabelBeforePredictionWaitsAndJoins) {
  LabelJoin j(Limits(60));
  JoinResult r;
  EXPECT_FALSE(j.AddLabel(RequestIdHash("a"), Lab(100), &r));
  EXPECT_EQ(j.pending_labels(), 1u);
  ASSERT_TRUE(j.AddPrediction(RequestIdHash("a"), Pred(90), &r));
  EXPECT_EQ(r.prediction.timestamp, 90);
  EXPECT_EQ(j.pending_labels(), 0u);
  EXPECT_EQ(j.counters().joined, 1u);
}

TEST(LabelJoinTest, OutOfOrderLabelsWithinTtlJoin) {
  LabelJoin j(Limits(60));
  JoinResult r;
  for (int i = 0; i < 5; ++i) j.AddPrediction(RequestIdHash(std::to_string(i)), Pred(100 + i), &r);
  int joined = 0;
  for (int i : {4, 2, 0, 3, 1}) {
    joined += j.AddLabel(RequestIdHash(std::to_string(i)), Lab(150 - i), &r) ? 1 : 0;
  }
  EXPECT_EQ(joined, 5);
  EXPECT_EQ(j.counters().unlabeled_ttl, 0u);
}

TEST(LabelJoinTest, PredictionsPastTtlOfTheLabelClockExpireExactly) {
  LabelJoin j(Limits(60));
  JoinResult r;
  for (int i = 0; i < 10; ++i) j.AddPrediction(RequestIdHash(std::to_string(i)), Pred(i), &r);
  // The label clock at 65: predictions with ts + 60 < 65 (0..4) expire; 5 is exactly at ttl.
  EXPECT_FALSE(j.AddLabel(RequestIdHash("other"), Lab(65), &r));
  EXPECT_EQ(j.counters().unlabeled_ttl, 5u);
  EXPECT_EQ(j.pending_predictions(), 5u);
  EXPECT_TRUE(j.AddLabel(RequestIdHash("5"), Lab(65), &r));
  EXPECT_FALSE(j.AddLabel(RequestIdHash("3"), Lab(65), &r));  // expired: waits as a label
  EXPECT_EQ(j.pending_labels(), 2u);
}

TEST(LabelJoinTest, LabelsWaitingPastTtlAreUnknownRequests) {
  LabelJoin j(Limits(60));
  JoinResult r;
  j.AddLabel(RequestIdHash("x"), Lab(10), &r);
  j.AddLabel(RequestIdHash("y"), Lab(20), &r);
  j.AddPrediction(RequestIdHash("p"), Pred(75), &r);  // 10 + 60 < 75, 20 + 60 >= 75
  EXPECT_EQ(j.counters().unmatched_unknown, 1u);
  EXPECT_EQ(j.pending_labels(), 1u);
}

TEST(LabelJoinTest, LabelTooFarFromItsPredictionDoesNotJoin) {
  LabelJoin j(Limits(60));
  JoinResult r;
  j.AddLabel(RequestIdHash("a"), Lab(0), &r);
  EXPECT_FALSE(j.AddPrediction(RequestIdHash("a"), Pred(61), &r));
  EXPECT_EQ(j.counters().joined, 0u);
}

TEST(LabelJoinTest, DuplicatesAreCountedAndNeverCreditedTwice) {
  LabelJoin j(Limits(60));
  JoinResult r;
  j.AddPrediction(RequestIdHash("a"), Pred(0), &r);
  EXPECT_TRUE(j.AddLabel(RequestIdHash("a"), Lab(1), &r));
  EXPECT_FALSE(j.AddLabel(RequestIdHash("a"), Lab(2), &r));
  EXPECT_FALSE(j.AddLabel(RequestIdHash("a"), Lab(3), &r));
  // Two labels before their prediction: the second is the duplicate, the first joins.
  EXPECT_FALSE(j.AddLabel(RequestIdHash("b"), Lab(4), &r));
  EXPECT_FALSE(j.AddLabel(RequestIdHash("b"), Lab(5), &r));
  EXPECT_TRUE(j.AddPrediction(RequestIdHash("b"), Pred(3), &r));
  EXPECT_FALSE(j.AddLabel(RequestIdHash("b"), Lab(6), &r));
  // A repeated prediction id is ignored: the first one stays joined.
  EXPECT_FALSE(j.AddPrediction(RequestIdHash("b"), Pred(4), &r));
  EXPECT_EQ(j.counters().joined, 2u);
  EXPECT_EQ(j.counters().unmatched_duplicate, 4u);
  EXPECT_EQ(j.counters().labels, 6u);
  EXPECT_EQ(j.pending_predictions(), 0u);
  EXPECT_EQ(j.pending_labels(), 0u);
}

TEST(LabelJoinTest, EvictionAtTheBoundsTakesTheOldestAndCountsExactly) {
  LabelJoin j(Limits(1e9, /*max_pending=*/3, /*max_labels=*/2));
  JoinResult r;
  for (int i : {5, 1, 4, 2, 3})
    j.AddPrediction(RequestIdHash("p" + std::to_string(i)), Pred(i), &r);
  EXPECT_EQ(j.counters().unlabeled_evicted, 2u);  // ts 1 and 2
  EXPECT_EQ(j.pending_predictions(), 3u);
  EXPECT_FALSE(j.AddLabel(RequestIdHash("p1"), Lab(10), &r));
  EXPECT_TRUE(j.AddLabel(RequestIdHash("p3"), Lab(10), &r));
  for (int i = 0; i < 4; ++i) j.AddLabel(RequestIdHash("l" + std::to_string(i)), Lab(20 + i), &r);
  // Labels waiting: p1 (10), l0..l3; the bound 2 keeps l2, l3.
  EXPECT_EQ(j.counters().unmatched_evicted, 3u);
  EXPECT_EQ(j.pending_labels(), 2u);
}

// Random traffic: each stream in time order, labels delayed 0..2·ttl, some never labelled, some
// labelled twice, some labels without a prediction.
struct Traffic {
  std::vector<std::pair<std::uint64_t, JoinPrediction>> predictions;
  std::vector<std::pair<std::uint64_t, JoinLabel>> labels;
};

Traffic MakeTraffic(unsigned seed, int n, double ttl) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  Traffic t;
  for (int i = 0; i < n; ++i) {
    const std::uint64_t id = RequestIdHash("req-" + std::to_string(i));
    const double ts = i * 1.0;
    t.predictions.push_back({id, Pred(ts, i % 2)});
    const double p = u(rng);
    if (p < 0.1) continue;
    t.labels.push_back({id, Lab(ts + u(rng) * 2 * ttl, i % 3 == 0)});
    if (p > 0.95) t.labels.push_back({id, Lab(ts + u(rng) * ttl)});
    if (p > 0.9 && p < 0.93) {
      t.labels.push_back({RequestIdHash("ghost-" + std::to_string(i)), Lab(ts + u(rng) * ttl)});
    }
  }
  std::stable_sort(t.labels.begin(), t.labels.end(), [](const auto& a, const auto& b) {
    return a.second.timestamp < b.second.timestamp;
  });
  return t;
}

using JoinSet = std::vector<std::tuple<double, double, double>>;

// Bounds large enough never to be reached: eviction depends on what is held, so on the order.
JoinSet RunJoin(const Traffic& t, bool labels_first, JoinCounters* c) {
  LabelJoin j(Limits(50, 1u << 20, 1u << 20));
  JoinResult r;
  JoinSet out;
  auto preds = [&] {
    for (const auto& [id, p] : t.predictions) {
      if (j.AddPrediction(id, p, &r))
        out.emplace_back(r.prediction.timestamp, r.label.timestamp, r.label.value);
    }
  };
  auto labels = [&] {
    for (const auto& [id, l] : t.labels) {
      if (j.AddLabel(id, l, &r))
        out.emplace_back(r.prediction.timestamp, r.label.timestamp, r.label.value);
    }
  };
  if (labels_first) {
    labels();
    preds();
  } else {
    preds();
    labels();
  }
  std::sort(out.begin(), out.end());
  *c = j.counters();
  return out;
}

TEST(LabelJoinTest, JoinsDoNotDependOnWhichStreamIsReadFirst) {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const Traffic t = MakeTraffic(seed, 2000, 50);
    JoinCounters a;
    JoinCounters b;
    const JoinSet x = RunJoin(t, false, &a);
    const JoinSet y = RunJoin(t, true, &b);
    EXPECT_GT(x.size(), 800u);
    EXPECT_EQ(x, y) << "seed " << seed;
    EXPECT_EQ(a.joined, b.joined);
    EXPECT_EQ(a.labels, b.labels);
  }
}

TEST(LabelJoinTest, SaveAndLoadMidStreamLosesNoJoin) {
  const Traffic t = MakeTraffic(7, 3000, 50);
  // Interleave by time, as the daemon reads them.
  auto run = [&](bool restart) {
    JoinLimits lim = Limits(50);
    lim.shared_clock = true;
    auto j = std::make_unique<LabelJoin>(lim);
    JoinResult r;
    JoinSet out;
    std::size_t li = 0;
    for (std::size_t pi = 0; pi < t.predictions.size(); ++pi) {
      if (restart && pi == 1500) {
        std::string block;
        j->Save(block);
        auto k = std::make_unique<LabelJoin>(lim);
        EXPECT_TRUE(k->Load(block).ok());
        j = std::move(k);
      }
      const auto& [id, p] = t.predictions[pi];
      if (j->AddPrediction(id, p, &r))
        out.emplace_back(r.prediction.timestamp, r.label.timestamp, r.label.value);
      while (li < t.labels.size() && t.labels[li].second.timestamp <= p.timestamp) {
        const auto& [lid, l] = t.labels[li++];
        if (j->AddLabel(lid, l, &r))
          out.emplace_back(r.prediction.timestamp, r.label.timestamp, r.label.value);
      }
    }
    std::string final_state;
    j->Save(final_state);
    return std::make_pair(out, final_state);
  };
  const auto plain = run(false);
  const auto restarted = run(true);
  EXPECT_GT(plain.first.size(), 1000u);
  EXPECT_EQ(plain.first, restarted.first);
}

TEST(LabelJoinTest, LoadRejectsCorruptBlocksWithoutChangingState) {
  LabelJoin j(Limits(50));
  JoinResult r;
  for (int i = 0; i < 20; ++i) j.AddPrediction(RequestIdHash(std::to_string(i)), Pred(i), &r);
  for (int i = 30; i < 35; ++i) j.AddLabel(RequestIdHash(std::to_string(i)), Lab(i), &r);
  std::string block;
  j.Save(block);
  LabelJoin k(Limits(50));
  ASSERT_TRUE(k.Load(block).ok());
  EXPECT_EQ(k.pending_predictions(), 20u);
  EXPECT_EQ(k.pending_labels(), 5u);
  EXPECT_EQ(k.counters().labels, 5u);
  for (std::size_t n = 0; n < block.size(); ++n) {
    LabelJoin t(Limits(50));
    EXPECT_FALSE(t.Load(std::string_view(block).substr(0, n)).ok()) << n;
    EXPECT_EQ(t.pending_predictions(), 0u);
  }
  std::mt19937 rng(3);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string bad = block;
    bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
    LabelJoin t(Limits(50));
    EXPECT_FALSE(t.Load(bad).ok());
  }
  EXPECT_FALSE(k.Load(block + "x").ok());
  EXPECT_EQ(k.pending_predictions(), 20u);  // unchanged by the failed loads
}

TEST(LabelJoinTest, LoadIntoSmallerBoundsEvictsTheOldest) {
  LabelJoin j(Limits(1e9));
  JoinResult r;
  for (int i = 0; i < 10; ++i) j.AddPrediction(RequestIdHash(std::to_string(i)), Pred(i), &r);
  std::string block;
  j.Save(block);
  LabelJoin k(Limits(1e9, 4));
  ASSERT_TRUE(k.Load(block).ok());
  EXPECT_EQ(k.pending_predictions(), 4u);
  EXPECT_EQ(k.counters().unlabeled_evicted, 6u);
  EXPECT_TRUE(k.AddLabel(RequestIdHash("9"), Lab(9), &r));
  EXPECT_FALSE(k.AddLabel(RequestIdHash("0"), Lab(9), &r));
}

}  // namespace
}  // namespace modelwatch::engine
