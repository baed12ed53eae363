// mw_micro, the parts that run modelwatch's own code on the reference workload: the line
// splitter, the record parser, the window merge, a tick's evaluation, and the render of
// /metrics (text and gzip) for the workload and for 200 features (performance.md targets).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <modelwatch/config/config.h>
#include <modelwatch/export/exposition.h>
#include <modelwatch/parse/record_parser.h>
#include <modelwatch/tail/file_system.h>
#include <modelwatch/tail/line_splitter.h>
#include <modelwatch/window/window_ring.h>

#include "app/demo_traffic.h"
#include "app/pipeline.h"
#include "server/gzip.h"
#include "wide.h"

namespace {

namespace fs = std::filesystem;
using modelwatch::Line;

constexpr double kStart = 1795824000.0;  // mw_gen's first event time
constexpr double kRate = 200.0;          // lines per second of log time

std::string WorkloadText(std::size_t lines) {
  modelwatch::app::TrafficGenerator gen({});
  std::string s;
  s.reserve(lines * 400);
  for (std::size_t i = 0; i < lines; ++i) gen.AppendPredictionLine(kStart + i / kRate, &s);
  return s;
}

class CountingSink : public modelwatch::tail::LineSink {
 public:
  void OnLine(const Line& line) override { bytes += line.text.size(); }
  void OnLineTooLong() override {}
  std::size_t bytes = 0;
};

void BM_LineSplitter4MiB(benchmark::State& state) {
  const std::string text = WorkloadText(11000);  // a little over 4 MiB
  modelwatch::tail::LineSplitter splitter(1 << 20);
  CountingSink sink;
  for (auto _ : state) {
    const std::size_t n = std::min(text.size(), splitter.chunk_bytes());
    std::copy_n(text.data(), n, splitter.WritableSpace().data());
    splitter.Commit(n, sink);
    splitter.Reset();
  }
  benchmark::DoNotOptimize(sink.bytes);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(std::min(text.size(), splitter.chunk_bytes())));
}
BENCHMARK(BM_LineSplitter4MiB);

// A temporary folder with a configuration, a log and a reference, removed at exit.
struct Workspace {
  fs::path dir;
  Workspace() {
    char tmpl[] = "/tmp/mw-micro-XXXXXX";
    if (!mkdtemp(tmpl)) std::abort();
    dir = tmpl;
  }
  ~Workspace() { fs::remove_all(dir); }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name, std::ios::binary) << text;
  }
};

// The reference workload's model (bench/lib.sh write_workload_config), or with `wide` features
// the wide one (write_wide_config).
std::string ConfigText(const fs::path& dir, int wide) {
  std::string y =
      "limits: { max_series: 1000000 }\n"
      "defaults: { windows: [5m, 1h, 24h] }\n"
      "models:\n  - name: m\n"
      "    source: { paths: [\"" +
      (dir / "log.jsonl").string() +
      "\"] }\n"
      "    record:\n"
      "      timestamp: { path: /ts, format: rfc3339 }\n"
      "      request_id: /request_id\n"
      "      model_version: /model_version\n"
      "      latency: { path: /latency_ms, unit: milliseconds }\n"
      "    features:\n";
  if (wide > 0) {
    for (int i = 0; i < wide; ++i) {
      const std::string name = modelwatch::bench::WideGenerator::FeatureName(i);
      y += "      - { name: " + name + ", path: /inputs/" + name + ", type: " +
           (modelwatch::bench::WideGenerator::IsNumeric(i) ? "numeric" : "categorical") + " }\n";
    }
  } else {
    for (std::string_view f : modelwatch::app::kDemoNumericFeatures) {
      y += "      - { name: " + std::string(f) + ", path: /inputs/" + std::string(f) +
           ", type: numeric }\n";
    }
    for (std::string_view f : modelwatch::app::kDemoCategoricalFeatures) {
      y += "      - { name: " + std::string(f) + ", path: /inputs/" + std::string(f) +
           ", type: categorical }\n";
    }
  }
  y += "    outputs:\n"
       "      - { name: score, path: /outputs/score, type: numeric }\n"
       "      - { name: predicted, path: /outputs/label, type: categorical }\n"
       "    reference: { path: reference.jsonl, format: rows, target: target }\n";
  return y;
}

// A model fed `lines` lines of the workload (or the wide one) in one-shot mode.
struct Fed {
  Workspace ws;
  modelwatch::config::Config config;
  std::unique_ptr<modelwatch::tail::FileSystem> files = modelwatch::tail::MakeRealFileSystem();
  std::unique_ptr<modelwatch::app::ModelPipeline> pipeline;
  modelwatch::engine::Snapshot snapshot;

  Fed(std::size_t lines, int wide, std::size_t reference_rows) {
    std::string log, ref;
    if (wide > 0) {
      modelwatch::bench::WideGenerator g(wide, 42), r(wide, 43);
      for (std::size_t i = 0; i < lines; ++i) g.AppendPredictionLine(kStart + i / kRate, &log);
      for (std::size_t i = 0; i < reference_rows; ++i) r.AppendReferenceRow(&ref);
    } else {
      log = WorkloadText(lines);
      modelwatch::app::TrafficGenerator r({.seed = 42 + modelwatch::app::kDemoReferenceSeedOffset});
      for (std::size_t i = 0; i < reference_rows; ++i) r.AppendReferenceRow(&ref);
    }
    ws.Write("log.jsonl", log);
    ws.Write("reference.jsonl", ref);
    const std::string path = (ws.dir / "bench.yaml").string();
    ws.Write("bench.yaml", ConfigText(ws.dir, wide));
    auto loaded = modelwatch::config::LoadConfigFile(path);
    if (!loaded.config) {
      for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
      std::abort();
    }
    config = std::move(*loaded.config);
    auto p = modelwatch::app::ModelPipeline::Create(config.models[0], *files, true);
    if (!p.ok()) std::abort();
    pipeline = std::move(p).value();
    pipeline->Poll(kStart);
    snapshot.time = pipeline->engine().newest_event_time();
    snapshot.models.push_back(pipeline->Evaluate(snapshot.time));
  }
};

void BM_RecordParse(benchmark::State& state) {
  modelwatch::config::Config cfg;
  Workspace ws;
  ws.Write("bench.yaml", ConfigText(ws.dir, 0));
  auto loaded = modelwatch::config::LoadConfigFile((ws.dir / "bench.yaml").string());
  if (!loaded.config) std::abort();
  auto parser = modelwatch::parse::RecordParser::Create(
      modelwatch::parse::LayoutFor(loaded.config->models[0]));
  if (!parser.ok()) std::abort();
  const std::string text = WorkloadText(4096);
  std::vector<Line> lines;
  for (std::size_t p = 0; p < text.size();) {
    const std::size_t nl = text.find('\n', p);
    lines.push_back({std::string_view(text).substr(p, nl - p), text.size() - p});
    p = nl + 1;
  }
  // The last line's padding: the text continues to its end; keep kLinePadding readable bytes.
  lines.pop_back();
  modelwatch::Record record = parser.value()->NewRecord();
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const Line& line = lines[i++ % lines.size()];
    benchmark::DoNotOptimize(parser.value()->Parse(line, &record));
    bytes += line.text.size();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_RecordParse);

// A window's merge as a tick does it: 31 sub-buckets of every field's bin counts (the workload's
// 14 fields at about 2,050 fine bins each) added into one.
struct CountsBucket {
  std::vector<std::uint32_t> counts;
  void Clear() { std::fill(counts.begin(), counts.end(), 0); }
};
void BM_WindowMerge(benchmark::State& state) {
  constexpr int kBuckets = 30;
  const std::size_t bins = 14 * 2050;
  modelwatch::window::WindowRing<CountsBucket> ring(86400, kBuckets,
                                                    CountsBucket{std::vector<std::uint32_t>(bins)});
  const double width = 86400.0 / kBuckets;
  for (int k = 0; k <= kBuckets; ++k) {
    CountsBucket* b = ring.At(kStart + k * width);
    for (std::size_t j = 0; j < bins; ++j) b->counts[j] = static_cast<std::uint32_t>(j * k % 97);
  }
  std::vector<std::uint32_t> merged(bins);
  const double T = kStart + kBuckets * width;
  for (auto _ : state) {
    std::fill(merged.begin(), merged.end(), 0);
    ring.ForEachInWindow(T, [&](const CountsBucket& b) {
      for (std::size_t j = 0; j < bins; ++j) merged[j] += b.counts[j];
    });
    benchmark::DoNotOptimize(merged.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * (kBuckets + 1) *
                          static_cast<std::int64_t>(bins * sizeof(std::uint32_t)));
}
BENCHMARK(BM_WindowMerge);

// One tick of the workload: every window merged and every field's drift evaluated.
void BM_EvaluateWorkload(benchmark::State& state) {
  static Fed fed(200000, 0, 50000);
  for (auto _ : state) {
    benchmark::DoNotOptimize(fed.pipeline->Evaluate(fed.snapshot.time));
  }
}
BENCHMARK(BM_EvaluateWorkload)->Unit(benchmark::kMillisecond);

modelwatch::exposition::SelfHealth Health() {
  modelwatch::exposition::SelfHealth h;
  h.version = "bench";
  h.has_process = true;
  return h;
}

void RenderBench(benchmark::State& state, const Fed& fed, bool gzip) {
  const auto health = Health();
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string text =
        modelwatch::exposition::RenderSnapshot(fed.snapshot, health, 1000000, nullptr);
    if (gzip) {
      auto z = modelwatch::server::GzipCompress(text);
      bytes = z.value().size();
    } else {
      bytes = text.size();
    }
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}

const Fed& WorkloadFed() {
  static Fed fed(200000, 0, 50000);
  return fed;
}
const Fed& WideFed() {
  static Fed fed(20000, 200, 20000);
  return fed;
}

void BM_RenderWorkload(benchmark::State& state) { RenderBench(state, WorkloadFed(), false); }
void BM_RenderWorkloadGzip(benchmark::State& state) { RenderBench(state, WorkloadFed(), true); }
void BM_RenderWide200(benchmark::State& state) { RenderBench(state, WideFed(), false); }
void BM_RenderWide200Gzip(benchmark::State& state) { RenderBench(state, WideFed(), true); }
BENCHMARK(BM_RenderWorkload)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RenderWorkloadGzip)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RenderWide200)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderWide200Gzip)->Unit(benchmark::kMillisecond);

}  // namespace
