// Latency and resource families: names, labels, units and what is left out.
#include <gtest/gtest.h>

#include <sstream>

#include <modelwatch/export/exposition.h>

namespace modelwatch::exposition {
namespace {

bool Has(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

engine::Snapshot LatencySnapshot() {
  engine::Snapshot s;
  engine::ModelSnapshot m;
  m.name = "fraud";
  m.latency.configured = true;
  m.latency.objective_seconds = 0.25;
  m.latency.bounds = {0.01, 0.1};
  m.latency.histograms.push_back({"3.2.0", {5, 3, 2}, 1.5, 10});
  m.latency.invalid[1] = 4;  // missing
  engine::WindowView w;
  w.label = "5m";
  w.latency.values = 10;
  w.latency.seconds = {0.02, 0.09, 0.2, 0.5};
  m.windows.push_back(w);
  engine::WindowView empty;
  empty.label = "1h";
  m.windows.push_back(empty);
  s.models.push_back(m);
  return s;
}

TEST(OperationsFamiliesTest, LatencyHistogramIsCumulativeWithInf) {
  const std::string t = RenderSnapshot(LatencySnapshot(), SelfHealth{}, 10000, nullptr);
  const std::string l = "{model=\"fraud\",model_version=\"3.2.0\"";
  EXPECT_TRUE(Has(t, "# TYPE modelwatch_prediction_latency_seconds histogram"));
  EXPECT_TRUE(Has(t, "modelwatch_prediction_latency_seconds_bucket" + l + ",le=\"0.01\"} 5"));
  EXPECT_TRUE(Has(t, "modelwatch_prediction_latency_seconds_bucket" + l + ",le=\"0.1\"} 8"));
  EXPECT_TRUE(Has(t, "modelwatch_prediction_latency_seconds_bucket" + l + ",le=\"+Inf\"} 10"));
  EXPECT_TRUE(Has(t, "modelwatch_prediction_latency_seconds_count" + l + "} 10"));
  EXPECT_TRUE(Has(t, "modelwatch_prediction_latency_seconds_sum" + l + "} 1.5"));
  EXPECT_TRUE(Has(t, "modelwatch_latency_objective_seconds{model=\"fraud\"} 0.25"));
  EXPECT_TRUE(Has(t,
                  "modelwatch_prediction_latency_percentile_seconds{model=\"fraud\",window=\"5m\","
                  "percentile=\"99\"} 0.5"));
  EXPECT_TRUE(
      Has(t, "modelwatch_prediction_latency_invalid_total{model=\"fraud\",reason=\"missing\"} 4"));
  // A window without latencies has no percentile series (never NaN).
  EXPECT_EQ(t.find("window=\"1h\",percentile"), std::string::npos);
}

// limits.max_series counts samples as Prometheus' sample_limit does: a histogram with 2
// bounds is 5 (two buckets, +Inf, _sum, _count).
TEST(OperationsFamiliesTest, SeriesLimitCountsEverySampleOfAHistogram) {
  const std::string full = RenderSnapshot(LatencySnapshot(), SelfHealth{}, 10000, nullptr);
  auto samples = [](const std::string& t) {
    std::istringstream in(t);
    int n = 0;
    for (std::string line; std::getline(in, line);) n += !line.empty() && line[0] != '#';
    return n;
  };
  // Everything but latency: the pipeline families of the model and the self-health series.
  engine::Snapshot plain = LatencySnapshot();
  plain.models[0].latency = engine::LatencyView{};
  for (auto& w : plain.models[0].windows) w.latency = engine::LatencyWindow{};
  const int self = samples(RenderSnapshot(plain, SelfHealth{}, 10000, nullptr));
  ASSERT_EQ(samples(full), self + 5 + 4 + 1 + 5);  // histogram, percentiles, objective, invalid
  std::atomic<std::uint64_t> dropped{0};
  const std::string cut = RenderSnapshot(LatencySnapshot(), SelfHealth{}, self + 7, &dropped);
  EXPECT_EQ(samples(cut), self + 7);  // the histogram and 2 percentiles
  EXPECT_EQ(dropped.load(), 2u + 1 + 5);
  EXPECT_NE(cut.find("le=\"+Inf\"} 10"), std::string::npos);
  // Too little room for the whole histogram: it is held back whole, never cut.
  const std::string none = RenderSnapshot(LatencySnapshot(), SelfHealth{}, self + 4, nullptr);
  EXPECT_EQ(none.find("modelwatch_prediction_latency_seconds_bucket"), std::string::npos);
}

TEST(OperationsFamiliesTest, NoLatencyConfiguredRendersNoLatencyFamily) {
  engine::Snapshot s = LatencySnapshot();
  s.models[0].latency = engine::LatencyView{};
  const std::string t = RenderSnapshot(s, SelfHealth{}, 10000, nullptr);
  EXPECT_EQ(t.find("latency"), std::string::npos);
}

TEST(OperationsFamiliesTest, ResourcesRenderLiveWithTheirUnits) {
  auto r = std::make_shared<resources::Readings>();
  resources::ModelServerReading up;
  up.model = "fraud";
  up.sample.up = true;
  up.sample.pid = 42;
  up.sample.comm = "python3";
  up.sample.cgroup = "/system.slice/model.service";
  up.sample.cpu_seconds = 12.5;
  up.sample.resident_bytes = 1024;
  up.sample.memory_limit_bytes = 4096;
  up.errors[static_cast<int>(resources::ReadPart::kIo)] = 3;
  r->servers.push_back(up);
  resources::ModelServerReading down;
  down.model = "ranker";
  down.sample.cpu_seconds = 1;  // stale values of a process that is gone are not shown
  r->servers.push_back(down);
  r->gpu_open = true;
  resources::GpuSample g;
  g.index = 0;
  g.uuid = "GPU-1";
  g.utilization_ratio = 0.37;
  g.power_watts = 123.456;
  r->gpus.push_back(g);
  r->gpu_errors = 2;
  r->filesystems.push_back({"/var/log/model", true, 100, 1000, 0});
  r->filesystems.push_back({"/gone", false, 0, 0, 5});
  r->costs.push_back({"fraud", "USD", 3.06});
  SelfHealth h;
  h.resources = r;
  const std::string t = RenderSnapshot(engine::Snapshot{}, h, 10000, nullptr);
  EXPECT_TRUE(Has(t, "modelwatch_model_server_up{model=\"fraud\"} 1"));
  EXPECT_TRUE(Has(t, "modelwatch_model_server_up{model=\"ranker\"} 0"));
  EXPECT_TRUE(Has(t, "modelwatch_model_server_cpu_seconds_total{model=\"fraud\"} 12.5"));
  EXPECT_EQ(t.find("modelwatch_model_server_cpu_seconds_total{model=\"ranker\"}"),
            std::string::npos);
  EXPECT_TRUE(Has(t, "modelwatch_model_server_resident_memory_bytes{model=\"fraud\"} 1024"));
  EXPECT_TRUE(Has(t, "modelwatch_model_server_memory_limit_bytes{model=\"fraud\"} 4096"));
  EXPECT_TRUE(Has(t,
                  "modelwatch_model_server_info{model=\"fraud\",pid=\"42\",comm=\"python3\","
                  "cgroup=\"/system.slice/model.service\"} 1"));
  EXPECT_TRUE(Has(t, "modelwatch_model_server_read_errors_total{model=\"fraud\",file=\"io\"} 3"));
  EXPECT_TRUE(Has(t, "modelwatch_model_server_read_errors_total{model=\"ranker\",file=\"fd\"} 0"));
  EXPECT_TRUE(Has(t, "modelwatch_gpu_utilization_ratio{gpu=\"0\",uuid=\"GPU-1\"} 0.37"));
  EXPECT_TRUE(Has(t, "modelwatch_gpu_power_watts{gpu=\"0\",uuid=\"GPU-1\"} 123.456"));
  EXPECT_EQ(t.find("modelwatch_gpu_temperature_celsius"), std::string::npos);
  EXPECT_TRUE(Has(t, "modelwatch_gpu_read_errors_total 2"));
  EXPECT_TRUE(Has(t, "modelwatch_filesystem_free_bytes{path=\"/var/log/model\"} 100"));
  EXPECT_TRUE(Has(t, "modelwatch_filesystem_size_bytes{path=\"/var/log/model\"} 1000"));
  EXPECT_EQ(t.find("modelwatch_filesystem_free_bytes{path=\"/gone\"}"), std::string::npos);
  EXPECT_TRUE(Has(t, "modelwatch_filesystem_read_errors_total{path=\"/gone\"} 5"));
  EXPECT_TRUE(Has(t, "modelwatch_cost_per_hour{model=\"fraud\",currency=\"USD\"} 3.06"));
}

TEST(OperationsFamiliesTest, WithoutNvmlThereIsNoGpuFamilyAtAll) {
  auto r = std::make_shared<resources::Readings>();
  SelfHealth h;
  h.resources = r;
  const std::string t = RenderSnapshot(engine::Snapshot{}, h, 10000, nullptr);
  EXPECT_EQ(t.find("modelwatch_gpu"), std::string::npos);
}

}  // namespace
}  // namespace modelwatch::exposition
