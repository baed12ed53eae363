#include "wide.h"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace modelwatch::bench {

namespace {

void AppendTimestamp(double t, std::string* out) {
  const auto secs = static_cast<std::time_t>(std::floor(t));
  const int millis = static_cast<int>((t - static_cast<double>(secs)) * 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  const int n =
      std::snprintf(buf, sizeof buf, "\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\"", tm.tm_year + 1900,
                    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  out->append(buf, static_cast<std::size_t>(n));
}

void AppendNumber(double v, const char* format, std::string* out) {
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, format, v);
  out->append(buf, static_cast<std::size_t>(n));
}

}  // namespace

WideGenerator::WideGenerator(int features, std::uint64_t seed) : features_(features), rng_(seed) {}

std::string WideGenerator::FeatureName(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%c%03d", IsNumeric(i) ? 'n' : 'c', i);
  return buf;
}

double WideGenerator::Uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }

void WideGenerator::AppendInputs(std::string* out) {
  double z_sum = 0;
  for (int i = 0; i < features_; ++i) {
    if (i > 0) out->push_back(',');
    out->push_back('"');
    out->append(FeatureName(i));
    out->append("\":");
    const double u = Uniform();
    if (IsNumeric(i)) {
      // Lognormal by a cheap inverse-CDF approximation of the normal (logit scaled).
      const double z = 0.5513 * std::log(u / (1 - u) + 1e-300);
      z_sum += z;
      AppendNumber(std::exp(1 + 0.1 * (i % 7) + 0.5 * z), "%.3f", out);
    } else {
      // 8 values with unequal shares: v0 most frequent.
      const int v = static_cast<int>(8 * u * u);
      out->append("\"v");
      out->push_back(static_cast<char>('0' + v));
      out->push_back('"');
    }
  }
  score_ = 1 / (1 + std::exp(3 - 0.3 * z_sum / std::sqrt(features_ / 2.0 + 1)));
}

void WideGenerator::AppendPredictionLine(double event_time, std::string* out) {
  out->append("{\"ts\":");
  AppendTimestamp(event_time, out);
  char id[16];
  std::snprintf(id, sizeof id, "w%09llu", static_cast<unsigned long long>(next_request_id_++));
  out->append(",\"request_id\":\"");
  out->append(id);
  out->append("\",\"model_version\":\"1.0.0\",\"latency_ms\":");
  AppendNumber(std::exp(2.4 + 0.35 * 0.5513 * std::log(1 / Uniform() - 1 + 1e-300)), "%.1f", out);
  out->append(",\"inputs\":{");
  AppendInputs(out);
  out->append("},\"outputs\":{\"score\":");
  AppendNumber(score_, "%.4f", out);
  out->append(",\"label\":");
  out->append(score_ >= 0.5 ? "\"yes\"" : "\"no\"");
  out->append("}}\n");
}

void WideGenerator::AppendReferenceRow(std::string* out) {
  out->push_back('{');
  AppendInputs(out);
  out->append(",\"score\":");
  AppendNumber(score_, "%.4f", out);
  out->append(",\"predicted\":");
  out->append(score_ >= 0.5 ? "\"yes\"" : "\"no\"");
  out->append(",\"target\":");
  out->append(Uniform() < score_ ? "\"yes\"" : "\"no\"");
  out->append("}\n");
}

}  // namespace modelwatch::bench
