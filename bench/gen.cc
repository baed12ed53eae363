// mw_gen: writes performance.md's reference workload (and optionally its reference rows).
//   mw_gen --lines N --out FILE [--drift] [--drift-after S] [--seed S]
//          [--reference FILE] [--reference-rows N] [--end-now]
// Event times advance at 200 predictions/s of log time from 2026-11-28T00:00:00Z (with --end-now:
// so that the last line is stamped with the current time, for tests whose windows must hold
// the lines whatever the date); with --drift,
// drift begins S seconds of log time after the start (default: halfway through the log).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "app/demo_traffic.h"

namespace {

constexpr double kStart = 1795824000.0;  // 2026-11-28T00:00:00Z
constexpr double kRate = 200.0;

int Usage() {
  std::fprintf(stderr,
               "usage: mw_gen --lines N --out FILE [--drift] [--drift-after SECONDS] "
               "[--seed S] [--reference FILE] [--reference-rows N] [--end-now]\n");
  return 2;
}

bool Flush(std::string* buf, std::FILE* f) {
  bool ok = std::fwrite(buf->data(), 1, buf->size(), f) == buf->size();
  buf->clear();
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  long long lines = -1, reference_rows = 50000;
  std::string out_path, reference_path;
  bool drift = false, end_now = false;
  double drift_after = -1;
  unsigned long long seed = 42;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    bool has_value = i + 1 < argc;
    if (!std::strcmp(a, "--drift")) {
      drift = true;
    } else if (!std::strcmp(a, "--end-now")) {
      end_now = true;
    } else if (!has_value) {
      return Usage();
    } else if (!std::strcmp(a, "--lines")) {
      lines = std::atoll(argv[++i]);
    } else if (!std::strcmp(a, "--out")) {
      out_path = argv[++i];
    } else if (!std::strcmp(a, "--drift-after")) {
      drift_after = std::atof(argv[++i]);
    } else if (!std::strcmp(a, "--seed")) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (!std::strcmp(a, "--reference")) {
      reference_path = argv[++i];
    } else if (!std::strcmp(a, "--reference-rows")) {
      reference_rows = std::atoll(argv[++i]);
    } else {
      return Usage();
    }
  }
  if (lines < 0 || out_path.empty()) return Usage();
  if (drift_after < 0) drift_after = lines / kRate / 2;
  const double start =
      end_now ? std::floor(static_cast<double>(std::time(nullptr)) - lines / kRate) : kStart;

  std::string buf;
  buf.reserve(1 << 20);
  if (!reference_path.empty()) {
    modelwatch::app::TrafficGenerator ref(
        {.seed = seed + modelwatch::app::kDemoReferenceSeedOffset});
    std::FILE* f = std::fopen(reference_path.c_str(), "wb");
    if (!f) return std::perror(reference_path.c_str()), 1;
    for (long long i = 0; i < reference_rows; ++i) {
      ref.AppendReferenceRow(&buf);
      if (buf.size() > (1 << 20) - 1024 && !Flush(&buf, f)) return std::perror("write"), 1;
    }
    if (!Flush(&buf, f) || std::fclose(f) != 0) return std::perror(reference_path.c_str()), 1;
  }
  modelwatch::app::TrafficGenerator gen(
      {.seed = seed, .drift = drift, .drift_start = start + drift_after});
  std::FILE* f = std::fopen(out_path.c_str(), "wb");
  if (!f) return std::perror(out_path.c_str()), 1;
  for (long long i = 0; i < lines; ++i) {
    gen.AppendPredictionLine(start + static_cast<double>(i) / kRate, &buf);
    if (buf.size() > (1 << 20) - 1024 && !Flush(&buf, f)) return std::perror("write"), 1;
  }
  if (!Flush(&buf, f) || std::fclose(f) != 0) return std::perror(out_path.c_str()), 1;
  return 0;
}
