// The operations keys: resources (gpu, gpu_library, filesystems), process, cost, latency.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace modelwatch::config::testing {
namespace {

TEST(OperationsConfigTest, ResourcesKeysAndRelativeFilesystemsResolveAgainstTheFile) {
  auto r = Load(With(ValidModel(),
                     {"resources:", "  gpu: none", "  gpu_library: /opt/nvidia/libnvidia-ml.so.1",
                      "  filesystems: [logs, /var/lib/model]"}));
  ASSERT_TRUE(r.errors.empty()) << r.errors[0].ToString();
  const ResourcesConfig& res = r.config->resources;
  EXPECT_EQ(res.gpu, "none");
  EXPECT_EQ(res.gpu_library, "/opt/nvidia/libnvidia-ml.so.1");
  EXPECT_EQ(res.filesystems, (std::vector<std::string>{"/etc/mw/logs", "/var/lib/model"}));
}

TEST(OperationsConfigTest, ResourcesDefaultToAutoGpuFromTheDriversLibrary) {
  auto r = Load(ValidModel());
  ASSERT_TRUE(r.errors.empty());
  EXPECT_EQ(r.config->resources.gpu, "auto");
  EXPECT_EQ(r.config->resources.gpu_library, "");
  EXPECT_TRUE(r.config->resources.filesystems.empty());
}

TEST(OperationsConfigTest, UnknownResourcesKeyIsAnErrorWithItsLine) {
  auto r = Load(With(ValidModel(), {"resources:", "  gpus: auto"}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 9);
  EXPECT_NE(r.errors[0].message.find("gpus"), std::string::npos);
}

TEST(OperationsConfigTest, ProcessTakesExactlyOneWayToFindTheServer) {
  auto ok = Load(With(ValidModel(), {"    process: { cgroup: system.slice/model.service }",
                                     "    cost_per_hour: { amount: 3.06, currency: EUR }"}));
  ASSERT_TRUE(ok.errors.empty()) << ok.errors[0].ToString();
  const ModelConfig& m = ok.config->models[0];
  ASSERT_TRUE(m.process);
  EXPECT_EQ(m.process->cgroup, "system.slice/model.service");  // under the cgroup mount
  EXPECT_EQ(m.cost_per_hour->amount, 3.06);
  EXPECT_EQ(m.cost_per_hour->currency, "EUR");
  auto pid = Load(With(ValidModel(), {"    process: { pid_file: run/model.pid }"}));
  ASSERT_TRUE(pid.errors.empty());
  EXPECT_EQ(pid.config->models[0].process->pid_file, "/etc/mw/run/model.pid");
  auto two = Load(With(ValidModel(), {"    process: { pid_file: a.pid, name: python3 }"}));
  EXPECT_FALSE(two.errors.empty());
}

TEST(OperationsConfigTest, LatencyUnitObjectiveAndBuckets) {
  auto ok = LoadConfigString(
      Lines({"models:", "  - name: m", "    source: { paths: [a.jsonl] }",
             "    record:", "      timestamp: { path: /ts }",
             "      latency: { path: /lat, unit: us, objective: 250ms, buckets: [0.01, 0.1, 1] }",
             "    features:", "      - { name: x, path: /x }", "    reference: { path: r.jsonl }"}),
      "/etc/mw/c.yaml");
  ASSERT_TRUE(ok.errors.empty()) << ok.errors[0].ToString();
  const LatencyField& lat = *ok.config->models[0].record.latency;
  EXPECT_EQ(lat.unit, LatencyUnit::kMicroseconds);
  EXPECT_EQ(*lat.objective_seconds, 0.25);
  EXPECT_EQ(lat.buckets, (std::vector<double>{0.01, 0.1, 1}));
}

}  // namespace
}  // namespace modelwatch::config::testing
