// mw_micro: Google Benchmark for hot functions (performance.md "How to measure"). Here, the
// floor's pieces alone: a memchr line split, the simdjson parse of one workload line, and the
// fine-bin lookup of a numeric value; micro_pipeline.cc runs modelwatch's own code (LineSplitter,
// RecordParser, the window merge, a tick's evaluation, the /metrics render).
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <modelwatch/drift/binning.h>

#include "app/demo_traffic.h"

namespace {

std::string WorkloadLines(std::size_t bytes) {
  modelwatch::app::TrafficGenerator gen({});
  std::string s;
  s.reserve(bytes + 1024);
  for (double t = 1795824000.0; s.size() < bytes; t += 0.005) gen.AppendPredictionLine(t, &s);
  s.resize(bytes);
  return s;
}

void BM_LineSplit4MiB(benchmark::State& state) {
  const std::string buf = WorkloadLines(4u << 20);
  for (auto _ : state) {
    std::size_t lines = 0;
    const char* p = buf.data();
    const char* end = p + buf.size();
    while (const char* nl = static_cast<const char*>(std::memchr(p, '\n', end - p))) {
      ++lines;
      p = nl + 1;
    }
    benchmark::DoNotOptimize(lines);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * buf.size()));
}
BENCHMARK(BM_LineSplit4MiB);

void BM_ParseOneLine(benchmark::State& state) {
  modelwatch::app::TrafficGenerator gen({});
  std::string line;
  gen.AppendPredictionLine(1795824000.123, &line);
  line.pop_back();  // '\n'
  simdjson::padded_string padded(line);
  simdjson::ondemand::parser parser;
  for (auto _ : state) {
    double sum = 0;
    auto doc = parser.iterate(padded);
    for (auto field : doc["inputs"].get_object()) {
      simdjson::ondemand::value v = field.value();
      if (v.type() == simdjson::ondemand::json_type::number) {
        sum += double(v.get_double());
      } else {
        sum += std::string_view(v.get_string()).size();
      }
    }
    sum += double(doc["outputs"]["score"].get_double());
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * line.size()));
}
BENCHMARK(BM_ParseOneLine);

void BM_FineBin2050Edges(benchmark::State& state) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(3.8, 1.0);
  modelwatch::drift::NumericBinning bins;
  for (int i = 0; i < 2050; ++i) bins.fine_edges.push_back(dist(rng));
  std::sort(bins.fine_edges.begin(), bins.fine_edges.end());
  std::vector<double> xs(4096);
  for (double& x : xs) x = dist(rng);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(bins.FineBin(xs[i++ & 4095]));
  }
}
BENCHMARK(BM_FineBin2050Edges);

}  // namespace

BENCHMARK_MAIN();
