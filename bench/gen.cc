// mw_gen: writes performance.md's reference workload (and optionally its reference rows).
//   mw_gen --lines N --out FILE [--drift] [--drift-after S] [--seed S]
//          [--reference FILE] [--reference-rows N] [--end-now]
//          [--append] [--first-line N] [--start EPOCH] [--rate R] [--wide F]
// Event times advance at 200 predictions/s of log time from 2026-11-28T00:00:00Z (with --end-now:
// so that the last line is stamped with the current time, for tests whose windows must hold
// the lines whatever the date); with --drift,
// drift begins S seconds of log time after the start (default: halfway through the log).
// --append adds to FILE instead of replacing it; --first-line N continues a log of N lines (event
// times, request ids; the values come from seed + N), so a log can grow in steps (bench/memory.sh);
// --start EPOCH puts line 0 at EPOCH instead.
// --rate R is a live writer (bench/overhead.sh): R lines a second of wall-clock time, each
// stamped with the time it is written and written with its own write(2), as a model server's
// logger does. --wide F writes the wide workload of bench/wide.h (F features) instead.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

#include "app/demo_traffic.h"
#include "wide.h"

namespace {

constexpr double kStart = 1795824000.0;  // 2026-11-28T00:00:00Z
constexpr double kRate = 200.0;

int Usage() {
  std::fprintf(stderr,
               "usage: mw_gen --lines N --out FILE [--drift] [--drift-after SECONDS] "
               "[--seed S] [--reference FILE] [--reference-rows N] [--end-now] [--append]\n"
               "              [--first-line N] [--start EPOCH] [--rate LINES_PER_SECOND] "
               "[--wide FEATURES]\n");
  return 2;
}

bool Flush(std::string* buf, std::FILE* f) {
  bool ok = std::fwrite(buf->data(), 1, buf->size(), f) == buf->size();
  buf->clear();
  return ok;
}

double WallNow() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

// The live writer: line i is due at t0 + i / rate; each is written alone with write(2).
template <typename AppendLine>
int WritePaced(const std::string& path, bool append, long long lines, double rate,
               AppendLine append_line) {
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0644);
  if (fd < 0) return std::perror(path.c_str()), 1;
  std::string line;
  line.reserve(4096);
  const double t0 = WallNow();
  for (long long i = 0; i < lines; ++i) {
    const double due = t0 + static_cast<double>(i) / rate;
    const double wait = due - WallNow();
    if (wait > 0) std::this_thread::sleep_for(std::chrono::duration<double>(wait));
    line.clear();
    append_line(WallNow(), &line);
    if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      std::perror("write");
      ::close(fd);
      return 1;
    }
  }
  return ::close(fd) == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  long long lines = -1, reference_rows = 50000, first_line = 0;
  double rate = 0, start_at = -1;
  int wide = 0;
  std::string out_path, reference_path;
  bool drift = false, end_now = false, append = false;
  double drift_after = -1;
  unsigned long long seed = 42;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    bool has_value = i + 1 < argc;
    if (!std::strcmp(a, "--drift")) {
      drift = true;
    } else if (!std::strcmp(a, "--end-now")) {
      end_now = true;
    } else if (!std::strcmp(a, "--append")) {
      append = true;
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
    } else if (!std::strcmp(a, "--start")) {
      start_at = std::atof(argv[++i]);
    } else if (!std::strcmp(a, "--first-line")) {
      first_line = std::atoll(argv[++i]);
    } else if (!std::strcmp(a, "--rate")) {
      rate = std::atof(argv[++i]);
    } else if (!std::strcmp(a, "--wide")) {
      wide = std::atoi(argv[++i]);
    } else {
      return Usage();
    }
  }
  if (lines < 0 || out_path.empty() || first_line < 0 || rate < 0 || wide < 0) return Usage();
  const long long total = first_line + lines;
  if (drift_after < 0) drift_after = total / kRate / 2;
  double start =
      end_now ? std::floor(static_cast<double>(std::time(nullptr)) - total / kRate) : kStart;
  if (start_at >= 0) start = start_at;

  modelwatch::app::TrafficGenerator gen({.seed = seed + static_cast<unsigned long long>(first_line),
                                         .drift = drift,
                                         .drift_start = start + drift_after});
  gen.set_next_request_id(static_cast<std::uint64_t>(first_line) + 1);
  modelwatch::bench::WideGenerator wide_gen(wide,
                                            seed + static_cast<unsigned long long>(first_line));
  auto append_line = [&](double t, std::string* out) {
    if (wide > 0) {
      wide_gen.AppendPredictionLine(t, out);
    } else {
      gen.AppendPredictionLine(t, out);
    }
  };

  std::string buf;
  buf.reserve(1 << 20);
  if (!reference_path.empty()) {
    modelwatch::app::TrafficGenerator ref(
        {.seed = seed + modelwatch::app::kDemoReferenceSeedOffset});
    modelwatch::bench::WideGenerator wide_ref(wide,
                                              seed + modelwatch::app::kDemoReferenceSeedOffset);
    std::FILE* f = std::fopen(reference_path.c_str(), "wb");
    if (!f) return std::perror(reference_path.c_str()), 1;
    for (long long i = 0; i < reference_rows; ++i) {
      if (wide > 0) {
        wide_ref.AppendReferenceRow(&buf);
      } else {
        ref.AppendReferenceRow(&buf);
      }
      if (buf.size() > (1 << 20) - 1024 && !Flush(&buf, f)) return std::perror("write"), 1;
    }
    if (!Flush(&buf, f) || std::fclose(f) != 0) return std::perror(reference_path.c_str()), 1;
  }
  if (rate > 0) return WritePaced(out_path, append, lines, rate, append_line);
  std::FILE* f = std::fopen(out_path.c_str(), append ? "ab" : "wb");
  if (!f) return std::perror(out_path.c_str()), 1;
  for (long long i = 0; i < lines; ++i) {
    append_line(start + static_cast<double>(first_line + i) / kRate, &buf);
    if (buf.size() > (1 << 20) - 1024 && !Flush(&buf, f)) return std::perror("write"), 1;
  }
  if (!Flush(&buf, f) || std::fclose(f) != 0) return std::perror(out_path.c_str()), 1;
  return 0;
}
