// AppendText must write exactly what prometheus-cpp's TextSerializer writes (text_writer.h).
#include "export/text_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <prometheus/text_serializer.h>

namespace modelwatch::exposition {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

std::string Reference(const std::vector<MetricFamily>& families) {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

std::string Ours(const std::vector<MetricFamily>& families) {
  std::string out;
  AppendText(families, &out);
  return out;
}

ClientMetric Series(std::vector<ClientMetric::Label> labels, double value) {
  ClientMetric m;
  m.label = std::move(labels);
  m.counter.value = value;
  m.gauge.value = value;
  m.untyped.value = value;
  return m;
}

const double kInf = std::numeric_limits<double>::infinity();

TEST(TextWriterTest, WritesWhatTextSerializerWritesForEveryType) {
  std::vector<MetricFamily> f(5);
  f[0] = {"c_total", "A counter.", MetricType::Counter, {}};
  f[0].metric.push_back(Series({}, 3));
  f[0].metric.push_back(Series({{"a", "x"}, {"b", "q\"uo\\te\nnl"}}, 1e21));
  f[1] = {"g", "", MetricType::Gauge, {}};  // no HELP line
  f[1].metric.push_back(Series({{"w", "5m"}}, std::nan("")));
  f[1].metric.push_back(Series({{"w", "1h"}}, kInf));
  f[1].metric.push_back(Series({{"w", "24h"}}, -kInf));
  f[1].metric.push_back(Series({{"w", "0"}}, -0.0));
  f[1].metric.push_back(Series({{"w", "t"}}, 0.1));
  f[1].metric.back().timestamp_ms = 1795824000123;
  f[2] = {"u", "untyped help", MetricType::Untyped, {}};
  f[2].metric.push_back(Series({}, 123456789012345678.0));
  f[3] = {"h_seconds", "A histogram.", MetricType::Histogram, {}};
  ClientMetric h;
  h.label = {{"model", "m"}};
  h.histogram.sample_count = 7;
  h.histogram.sample_sum = 0.30000000000000004;
  h.histogram.bucket = {{1, 0.001}, {4, 0.25}, {7, 10}};
  f[3].metric.push_back(h);
  h.label.clear();
  h.histogram.bucket.push_back({7, kInf});  // +Inf present: not added again
  f[3].metric.push_back(h);
  f[4] = {"s", "A summary.", MetricType::Summary, {}};
  ClientMetric s;
  s.summary.sample_count = 2;
  s.summary.sample_sum = 5.5;
  s.summary.quantile = {{0.5, 1.25}, {0.99, std::nan("")}};
  f[4].metric.push_back(s);
  EXPECT_EQ(Ours(f), Reference(f));
}

TEST(TextWriterTest, FormatsAnyDoubleAsTextSerializerDoes) {
  std::mt19937_64 rng(12);
  std::vector<MetricFamily> f(1);
  f[0] = {"v", "values", MetricType::Gauge, {}};
  for (int i = 0; i < 20000; ++i) {
    double v;
    if (i % 2) {
      const std::uint64_t bits = rng();
      std::memcpy(&v, &bits, sizeof v);  // any bit pattern: subnormals, NaNs, huge values
    } else {
      v = std::ldexp(static_cast<double>(rng() >> 11), static_cast<int>(rng() % 80) - 70);
    }
    f[0].metric.push_back(Series({{"le_like", std::to_string(i)}}, v));
  }
  for (double v : {0.0, 1.0, 10.0, 1e15, 1e16, 1e17, 9007199254740993.0, 0.0001, 0.00001, 1e-5,
                   123456.7890123456789, 5e-324, std::numeric_limits<double>::max()}) {
    f[0].metric.push_back(Series({}, v));
    f[0].metric.push_back(Series({}, -v));
  }
  EXPECT_EQ(Ours(f), Reference(f));
}

}  // namespace
}  // namespace modelwatch::exposition
