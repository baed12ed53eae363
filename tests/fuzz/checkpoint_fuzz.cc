// The checkpoint loader (src/state/checkpoint.cc, then ModelEngine::LoadAggregates for each
// model's aggregates), as the daemon runs it at start. Sections are CRC-protected, so a mutated
// file would almost never get past the checksum: when the first byte is odd, the target rewrites
// each section's CRC to match its payload before decoding, so the payload parsers are fuzzed too.
//
// Seeds: `MW_WRITE_SEED=FILE checkpoint_fuzz` writes a real checkpoint (positions of two files,
// the aggregates of this target's engine after 500 records) to FILE and exits.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include <modelwatch/config/config.h>
#include <modelwatch/core/record.h>
#include <modelwatch/engine/baseline.h>
#include <modelwatch/engine/model_engine.h>
#include <modelwatch/state/checkpoint.h>

namespace {

using namespace modelwatch;

const config::ModelConfig& Model() {
  static const config::ModelConfig model = [] {
    auto r = config::LoadConfigString(
        "models:\n"
        "  - name: m\n"
        "    source: { paths: [p.jsonl] }\n"
        "    record: { timestamp: { path: /ts } }\n"
        "    windows: [5m, 1h]\n"
        "    features:\n"
        "      - { name: x, path: /inputs/x, type: numeric }\n"
        "      - { name: c, path: /inputs/c, type: categorical }\n"
        "    outputs:\n"
        "      - { name: y, path: /outputs/y, type: numeric }\n"
        "    reference: { path: ref.jsonl }\n",
        "/fuzz/c.yaml");
    if (!r.config) std::abort();
    return r.config->models.at(0);
  }();
  return model;
}

Record Row(double x, const char* c, double ts) {
  Record r;
  r.has_timestamp = true;
  r.timestamp = ts;
  r.model_version = "v1";
  r.fields = {
      {ValueState::kValid, x, {}}, {ValueState::kValid, 0, c}, {ValueState::kValid, x * 2, {}}};
  return r;
}

std::unique_ptr<engine::ModelEngine> MakeEngine() {
  engine::BaselineBuilder b(Model());
  std::mt19937 rng(7);
  std::normal_distribution<double> n(0, 1);
  for (int i = 0; i < 500; ++i) b.Add(Row(n(rng), i % 3 ? "a" : "b", 0));
  auto e = engine::ModelEngine::Create(Model(), std::move(b).Build());
  if (!e.ok()) std::abort();
  return std::move(e).value();
}

void WriteSeed(const char* path) {
  auto e = MakeEngine();
  std::mt19937 rng(11);
  std::normal_distribution<double> g(0.5, 1);
  const char* cats[] = {"a", "b", "zz"};
  for (int i = 0; i < 500; ++i) e->OnRecord(Row(g(rng), cats[i % 3], 1e9 + i), 1e9 + i + 1);
  state::Checkpoint c;
  c.written_at = 1e9 + 600;
  state::SourcePositions s{"m", "predictions", {}};
  for (int i = 0; i < 2; ++i) {
    tail::FilePosition f;
    f.path = "/var/log/p.jsonl" + std::string(i ? ".1" : "");
    f.id = {64769, 1000u + i};
    f.offset = 4096;
    f.partial = "{\"ts\":";
    f.size = 5000;
    f.head_len = 64;
    f.head_hash = 0x1234;
    c.positions.push_back(s);
    c.positions.back().files.push_back(f);
  }
  state::ModelAggregates a{"m", {}};
  e->SaveAggregates(&a.bytes);
  c.aggregates.push_back(a);
  const std::string bytes = state::EncodeCheckpoint(c);
  std::FILE* f = std::fopen(path, "wb");
  if (f == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) std::abort();
  std::fclose(f);
}

// Rewrites the CRC of every section that fits (layout of EncodeCheckpoint: magic[8],
// format u32, written_at f64, then sections of tag u32, version u32, length u64, crc u32).
void FixChecksums(std::string& bytes) {
  std::size_t at = 8 + 4 + 8;
  while (at + 20 <= bytes.size()) {
    std::uint64_t length;
    std::memcpy(&length, bytes.data() + at + 8, sizeof length);
    if (length > bytes.size() - at - 20) return;
    const std::uint32_t crc = state::Crc32(std::string_view(bytes).substr(at + 20, length));
    std::memcpy(bytes.data() + at + 16, &crc, sizeof crc);
    at += 20 + length;
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* seed = std::getenv("MW_WRITE_SEED")) {
    WriteSeed(seed);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] & 1) FixChecksums(bytes);
  auto decoded = state::DecodeCheckpoint(bytes);
  if (!decoded.ok()) return 0;
  static std::unique_ptr<engine::ModelEngine> engine = MakeEngine();
  for (const state::ModelAggregates& a : decoded.value().checkpoint.aggregates) {
    auto report = engine->LoadAggregates(a.bytes);
    if (report.ok()) (void)engine->Evaluate(1e9 + 700);  // what was loaded must be usable
  }
  return 0;
}
