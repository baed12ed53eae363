#include "app/demo.h"

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <utility>

namespace modelwatch::app {
namespace {

constexpr const char* kPredictionsFile = "predictions.jsonl";
constexpr const char* kReferenceFile = "reference.jsonl";
constexpr const char* kConfigFile = "modelwatch.yaml";
constexpr const char* kLabelsFile = "labels.jsonl";

std::string Quote(const std::string& s) {  // a YAML double-quoted scalar
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q.push_back('\\');
    q.push_back(c);
  }
  return q + "\"";
}

// Written under a temporary name and renamed, so that a daemon started beside the demo (the
// compose stack, a Kubernetes pod) never reads half a reference or configuration.
Status WriteFile(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status::Error(tmp + ": " + std::strerror(errno));
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok) return Status::Error(tmp + ": write failed");
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::Error(path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

double WallClock() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string MetricsUrl(const std::string& listen_address) {
  std::string host = "localhost", port = listen_address;
  if (auto colon = listen_address.rfind(':'); colon != std::string::npos) {
    std::string h = listen_address.substr(0, colon);
    port = listen_address.substr(colon + 1);
    if (!h.empty() && h != "0.0.0.0" && h != "[::]") host = h;
  }
  return "http://" + host + ":" + port + "/metrics";
}

std::string UtcClock(double epoch_seconds) {
  std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%H:%M:%S", &tm);
  return buf;
}

void PrintQualityFaults(const std::string& from_utc, double after) {
  const std::string payment(kDemoNewPayment);
  std::fprintf(stderr,
               "  quality:   from %s UTC (%g s after start), in these shares of the lines:\n"
               "             age null %g%% (reason null), age %g %g%% (out_of_range: the "
               "reference has 18-90),\n"
               "             device_type absent %g%% (missing), credit_limit as a string %g%% "
               "(type_mismatch),\n"
               "             payment_method \"%s\" %g%% (unseen_category). Within about 30 s "
               "after that,\n"
               "             modelwatch_feature_invalid_ratio{window=\"1m\"} shows those "
               "reasons and stays 0 for\n"
               "             the other features; age and payment_method drift too "
               "(out-of-range and unseen\n"
               "             values stay in the drift statistics).\n",
               from_utc.c_str(), after, 100 * kDemoAgeNullShare, kDemoAgeOutOfRangeValue,
               100 * kDemoAgeOutOfRangeShare, 100 * kDemoDeviceMissingShare,
               100 * kDemoCreditLimitTextShare, payment.c_str(), 100 * kDemoNewPaymentShare);
}

void PrintLatencySpikes(const std::string& from_utc, double after) {
  std::fprintf(stderr,
               "  latency:   from %s UTC (%g s after start): spikes with a heavy tail. In the "
               "first %g s\n"
               "             of every %g s, %g%% of requests are slow (else %g%%); a slow one "
               "takes a Pareto\n"
               "             latency (from %g ms, shape %g, at most %g s). Within about 30 s "
               "after that,\n"
               "             modelwatch_prediction_latency_percentile_seconds{window=\"1m\","
               "percentile=\"99\"}\n"
               "             rises past modelwatch_latency_objective_seconds (0.25) while p50 "
               "stays near 11 ms.\n",
               from_utc.c_str(), after, kDemoSpikeSeconds, kDemoSpikePeriodSeconds,
               100 * kDemoSpikeSlowShare, 100 * kDemoSlowShare, kDemoSlowMinMs, kDemoSlowShape,
               kDemoSlowCapMs / 1000);
}

}  // namespace

std::string DemoConfigYaml(const DemoOptions& options, const std::string& directory) {
  std::string y = "# Written by `modelwatch demo`: a fraud-style model's synthetic traffic.\n";
  y += "server:\n";
  y += "  listen_address: " + Quote(options.listen_address) + "\n";
  y += "engine:\n";
  y += "  tick_interval: 1s\n";
  y += "resources:\n";
  y += "  filesystems: [" + Quote(directory) + "]\n";
  y += "defaults:\n";
  y += "  windows: [1m, 5m, 1h]\n";
  y += "models:\n";
  y += "  - name: " + std::string(kDemoModelName) + "\n";
  y += "    source:\n";
  y += "      paths: [" + Quote(directory + "/" + kPredictionsFile) + "]\n";
  y += "      start_at: beginning\n";
  y += "    record:\n";
  y += "      timestamp: { path: /ts, format: rfc3339 }\n";
  y += "      request_id: /request_id\n";
  y += "      model_version: /model_version\n";
  y += "      latency: { path: /latency_ms, unit: milliseconds, objective: 250ms }\n";
  y += "    features:\n";
  for (std::string_view f : kDemoNumericFeatures) {
    y += "      - { name: " + std::string(f) + ", path: /inputs/" + std::string(f) +
         ", type: numeric }\n";
  }
  for (std::string_view f : kDemoCategoricalFeatures) {
    y += "      - { name: " + std::string(f) + ", path: /inputs/" + std::string(f) +
         ", type: categorical }\n";
  }
  y += "    outputs:\n";
  y += "      - { name: score, path: /outputs/score, type: numeric }\n";
  y += "      - { name: predicted, path: /outputs/label, type: categorical }\n";
  y += "    reference:\n";
  y += "      path: " + std::string(kReferenceFile) + "\n";
  y += "      format: rows\n";
  y += "      target: target\n";
  if (options.scenario == "labels") {
    y += "    ground_truth:\n";
    y += "      source: { paths: [" + Quote(directory + "/" + kLabelsFile) +
         "], start_at: beginning }\n";
    y += "      record: { request_id: /request_id, label: /label, timestamp: /ts }\n";
    y += "      task: binary_classification\n";
    y += "      prediction: predicted\n";
    y += "      score: score\n";
    y += "      positive_class: fraud\n";
    y += "      join_ttl: 1m\n";
    y += "      windows: [1m, 5m]\n";
    y += "      min_samples: 100\n";
  }
  return y;
}

Result<std::string> PrepareDemo(const DemoOptions& options, std::string* directory) {
  if (options.scenario != "none" && options.scenario != "drift" && options.scenario != "quality" &&
      options.scenario != "latency" && options.scenario != "labels") {
    return Status::Error("unknown demo scenario '" + options.scenario +
                         "' (none|drift|quality|latency|labels)");
  }
  if (!(options.rate > 0 && options.rate <= 1e6) || !(options.drift_after >= 0) ||
      !(options.backfill >= 0)) {
    return Status::Error("demo: rate must be in (0, 1e6], drift_after and backfill >= 0");
  }
  std::error_code ec;
  std::filesystem::path dir;
  if (options.directory.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/modelwatch-demo-XXXXXX";
    if (!mkdtemp(pattern.data())) {
      return Status::Error(pattern + ": " + std::strerror(errno));
    }
    dir = pattern;
  } else {
    dir = options.directory;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::Error(options.directory + ": " + ec.message());
  }
  dir = std::filesystem::absolute(dir, ec).lexically_normal();
  if (ec) return Status::Error(options.directory + ": " + ec.message());
  std::string d = dir.string();
  if (d.size() > 1 && d.back() == '/') d.pop_back();

  TrafficGenerator reference({.seed = options.seed + kDemoReferenceSeedOffset});
  std::string rows;
  rows.reserve(kDemoReferenceRows * 400);
  for (int i = 0; i < kDemoReferenceRows; ++i) reference.AppendReferenceRow(&rows);
  if (Status s = WriteFile(d + "/" + kReferenceFile, rows); !s.ok()) return s;
  if (Status s = WriteFile(d + "/" + kPredictionsFile, ""); !s.ok()) return s;
  if (options.scenario == "labels") {
    if (Status s = WriteFile(d + "/" + kLabelsFile, ""); !s.ok()) return s;
  }
  std::string config = d + "/" + kConfigFile;
  if (Status s = WriteFile(config, DemoConfigYaml(options, d)); !s.ok()) return s;
  if (directory) *directory = d;
  return config;
}

DemoWriter::DemoWriter(DemoOptions options, std::string directory)
    : options_(std::move(options)), directory_(std::move(directory)) {}

DemoWriter::~DemoWriter() { Stop(); }

Status DemoWriter::Start() {
  if (file_) return Status::Error("demo writer already started");
  std::string path = directory_ + "/" + kPredictionsFile;
  file_ = std::fopen(path.c_str(), "ab");
  if (!file_) return Status::Error(path + ": " + std::strerror(errno));
  double start = WallClock();
  const bool drift = options_.scenario == "drift";
  const bool quality = options_.scenario == "quality";
  const bool latency = options_.scenario == "latency";
  const double from = start + options_.drift_after;
  TrafficGenerator generator({.seed = options_.seed,
                              .drift = drift,
                              .drift_start = from,
                              .quality = quality,
                              .quality_start = from,
                              .latency = latency,
                              .latency_start = from});
  std::string buf;
  auto history = static_cast<long long>(options_.backfill * options_.rate);
  for (long long i = history; i > 0; --i) {
    generator.AppendPredictionLine(start - static_cast<double>(i) / options_.rate, &buf);
  }
  if (options_.scenario == "labels") {
    const std::string label_path = directory_ + "/" + kLabelsFile;
    label_file_ = std::fopen(label_path.c_str(), "ab");
    if (!label_file_) return Status::Error(label_path + ": " + std::strerror(errno));
    labels_ = std::make_unique<DemoLabels>(options_.seed + 7, from);
    std::string label_buf;
    WriteLabels(buf, start, &label_buf);
  }
  if (std::fwrite(buf.data(), 1, buf.size(), file_) != buf.size() || std::fflush(file_) != 0) {
    std::fclose(file_);
    file_ = nullptr;
    return Status::Error(path + ": write failed");
  }

  std::fprintf(stderr,
               "modelwatch demo: scenario %s, %g predictions/s of a fraud-style model "
               "(%zu features, 2 outputs)\n  directory: %s\n  config:    %s/%s\n"
               "  log:       %s (%lld lines of history written)\n  metrics:   %s\n",
               options_.scenario.c_str(), options_.rate,
               kDemoNumericFeatures.size() + kDemoCategoricalFeatures.size(), directory_.c_str(),
               directory_.c_str(), kConfigFile, path.c_str(), history,
               MetricsUrl(options_.listen_address).c_str());
  if (drift) {
    std::fprintf(stderr,
                 "  drift:     from %s UTC (%g s after start): amount (mean x2.5), "
                 "distance_from_home_km (x3) and country (NG: 0.5%% -> 30%%);\n"
                 "             the score and predicted outputs shift with them. Within about "
                 "30 s after that,\n             modelwatch_feature_drift_detected turns 1 for "
                 "those features and stays 0 for the others.\n",
                 UtcClock(start + options_.drift_after).c_str(), options_.drift_after);
  } else if (quality) {
    PrintQualityFaults(UtcClock(from), options_.drift_after);
  } else if (latency) {
    PrintLatencySpikes(UtcClock(from), options_.drift_after);
  } else if (labels_) {
    std::fprintf(stderr,
                 "  labels:    %s/%s: each prediction labelled %g-%g s later (%g%% never), "
                 "agreeing with the\n             calibrated score; from %s UTC (%g s after "
                 "start) they stop agreeing\n             (concept drift): "
                 "modelwatch_model_quality{metric=\"accuracy\"} falls while\n"
                 "             modelwatch_model_quality_estimated (CBPE, from the scores) does "
                 "not.\n",
                 directory_.c_str(), kLabelsFile, kDemoLabelDelayMin, kDemoLabelDelayMax,
                 100 * kDemoUnlabeledShare, UtcClock(from).c_str(), options_.drift_after);
  } else {
    std::fprintf(stderr, "  drift:     none (clean traffic: no feature should be flagged)\n");
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread(&DemoWriter::Run, this, std::move(generator), start);
  return Status::Ok();
}

void DemoWriter::Run(TrafficGenerator generator, double start) {
  std::string buf;
  std::string label_buf;
  bool reported = false;  // a write error is told once
  long long written = 0;  // real-time predictions so far; the next is due at start + written/rate
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stop_; })) {
    lock.unlock();
    auto due = static_cast<long long>(std::floor((WallClock() - start) * options_.rate)) + 1;
    buf.clear();
    for (; written < due; ++written) {
      generator.AppendPredictionLine(start + static_cast<double>(written) / options_.rate, &buf);
    }
    bool ok = buf.empty() || (std::fwrite(buf.data(), 1, buf.size(), file_) == buf.size() &&
                              std::fflush(file_) == 0);
    if (labels_) WriteLabels(buf, WallClock(), &label_buf);
    if (!ok && !reported) {
      reported = true;
      std::fprintf(stderr, "modelwatch demo: writing %s/%s failed: %s\n", directory_.c_str(),
                   kPredictionsFile, std::strerror(errno));
    }
    lock.lock();
  }
}

void DemoWriter::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (file_) {
    std::fclose(file_);
    file_ = nullptr;
  }
  if (label_file_) {
    std::fclose(label_file_);
    label_file_ = nullptr;
  }
}

void DemoWriter::WriteLabels(std::string_view predictions, double now, std::string* buf) {
  labels_->OnPredictions(predictions);
  buf->clear();
  labels_->AppendDue(now, buf);
  if (!buf->empty()) {
    std::fwrite(buf->data(), 1, buf->size(), label_file_);
    std::fflush(label_file_);
  }
}

}  // namespace modelwatch::app
