// NVML through dlopen, against the fake libnvidia-ml built with the tests
// (tests/fakes/fake_nvml.cc), and the ResourceMonitor around it.
#include <modelwatch/resources/nvml.h>

#include <gtest/gtest.h>
#include <stdlib.h>

#include <modelwatch/resources/monitor.h>

namespace modelwatch::resources {
namespace {

constexpr double kGiB = 1024.0 * 1024 * 1024;

TEST(NvmlTest, FakeLibraryMapsEveryValueToBaseUnits) {
  auto nvml = Nvml::Open(MODELWATCH_FAKE_NVML);
  ASSERT_TRUE(nvml.ok()) << nvml.status().message();
  int errors = 0;
  std::vector<GpuSample> gpus = nvml.value()->Read(&errors);
  ASSERT_EQ(gpus.size(), 2u);
  const GpuSample& a = gpus[0];
  EXPECT_EQ(a.index, 0);
  EXPECT_EQ(a.uuid, "GPU-11111111-2222-3333-4444-555555555555");
  EXPECT_DOUBLE_EQ(*a.utilization_ratio, 0.37);  // percent -> ratio
  EXPECT_DOUBLE_EQ(*a.memory_used_bytes, 12 * kGiB);
  EXPECT_DOUBLE_EQ(*a.memory_total_bytes, 80 * kGiB);
  EXPECT_DOUBLE_EQ(*a.power_watts, 123.456);  // milliwatts -> watts
  EXPECT_DOUBLE_EQ(*a.temperature_celsius, 61);
  EXPECT_EQ(a.errors, 0);
  const GpuSample& b = gpus[1];
  EXPECT_EQ(b.uuid, "GPU-66666666-7777-8888-9999-000000000000");
  EXPECT_FALSE(b.power_watts);  // NOT_SUPPORTED: no value, not zero
  EXPECT_EQ(b.errors, 1);
  EXPECT_DOUBLE_EQ(*b.memory_total_bytes, 16 * kGiB);
  EXPECT_EQ(errors, 1);
}

TEST(NvmlTest, NoLibraryIsAClearError) {
  auto nvml = Nvml::Open("/nonexistent/libnvidia-ml.so.1");
  ASSERT_FALSE(nvml.ok());
  EXPECT_NE(nvml.status().message().find("cannot load /nonexistent/libnvidia-ml.so.1"),
            std::string::npos);
}

TEST(NvmlTest, ALibraryWithoutNvmlIsRejected) {
  auto nvml = Nvml::Open("libm.so.6");
  ASSERT_FALSE(nvml.ok());
  EXPECT_NE(nvml.status().message().find("lacks nvmlInit_v2"), std::string::npos);
}

TEST(NvmlTest, InitFailureIsReportedWithNvmlsReason) {
  setenv("FAKE_NVML_INIT_FAIL", "1", 1);
  auto nvml = Nvml::Open(MODELWATCH_FAKE_NVML);
  unsetenv("FAKE_NVML_INIT_FAIL");
  ASSERT_FALSE(nvml.ok());
  EXPECT_NE(nvml.status().message().find("Driver Not Loaded"), std::string::npos);
}

TEST(ResourceMonitorTest, GpusFromTheLibraryNamedInTheEnvironment) {
  setenv(kNvmlLibraryEnv, MODELWATCH_FAKE_NVML, 1);
  ResourceMonitor m(MonitorOptions{});
  unsetenv(kNvmlLibraryEnv);
  ASSERT_TRUE(m.gpu_status().ok()) << m.gpu_status().message();
  auto r = m.Read(100);
  EXPECT_TRUE(r->gpu_open);
  EXPECT_EQ(r->gpus.size(), 2u);
  EXPECT_EQ(r->gpu_errors, 1u);
}

TEST(ResourceMonitorTest, WithoutNvmlThereAreNoGpusAndTheReasonIsKept) {
  MonitorOptions o;
  o.gpu_library = "/nonexistent/libnvidia-ml.so.1";
  ResourceMonitor m(o);
  EXPECT_FALSE(m.gpu_status().ok());
  auto r = m.Read(100);
  EXPECT_FALSE(r->gpu_open);
  EXPECT_TRUE(r->gpus.empty());
  MonitorOptions none;
  none.gpu = false;
  none.gpu_library = MODELWATCH_FAKE_NVML;
  ResourceMonitor off(none);
  EXPECT_TRUE(off.Read(100)->gpus.empty());  // gpu: none never loads it
}

TEST(ResourceMonitorTest, FilesystemsCostAndReadingAtMostOncePerInterval) {
  MonitorOptions o;
  o.gpu = false;
  o.filesystems = {"/", "/nonexistent/path"};
  ModelResources cost;
  cost.model = "m";
  cost.has_cost = true;
  cost.cost_per_hour = 3.06;
  cost.currency = "USD";
  o.models = {cost};
  ResourceMonitor m(o);
  auto first = m.Read(100);
  ASSERT_EQ(first->filesystems.size(), 2u);
  EXPECT_TRUE(first->filesystems[0].ok);
  EXPECT_GT(first->filesystems[0].size_bytes, 0);
  EXPECT_LE(first->filesystems[0].free_bytes, first->filesystems[0].size_bytes);
  EXPECT_FALSE(first->filesystems[1].ok);
  EXPECT_EQ(first->filesystems[1].errors, 1u);
  ASSERT_EQ(first->costs.size(), 1u);
  EXPECT_EQ(first->costs[0].per_hour, 3.06);
  EXPECT_TRUE(first->servers.empty());  // no process configured
  EXPECT_EQ(m.Read(100.5), first);      // within min_interval: the same reading
  auto second = m.Read(101.5);
  EXPECT_NE(second, first);
  EXPECT_EQ(second->filesystems[1].errors, 2u);
}

}  // namespace
}  // namespace modelwatch::resources
