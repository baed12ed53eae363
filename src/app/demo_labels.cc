#include "app/demo_labels.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <optional>

#include <modelwatch/parse/record_parser.h>

namespace modelwatch::app {

namespace {

// The text of `"key":` 's value in a demo line: a quoted string's contents or a bare number.
std::string_view Value(std::string_view line, std::string_view key) {
  std::string k = "\"" + std::string(key) + "\":";
  const std::size_t at = line.find(k);
  if (at == std::string_view::npos) return {};
  std::size_t b = at + k.size();
  if (b < line.size() && line[b] == '"') {
    const std::size_t e = line.find('"', b + 1);
    return e == std::string_view::npos ? std::string_view() : line.substr(b + 1, e - b - 1);
  }
  std::size_t e = b;
  while (e < line.size() && line[e] != ',' && line[e] != '}') ++e;
  return line.substr(b, e - b);
}

std::string Rfc3339(double t) {
  const auto whole = static_cast<std::time_t>(std::floor(t));
  const int millis =
      std::min(999, static_cast<int>(std::lround((t - static_cast<double>(whole)) * 1000)));
  std::tm tm{};
  gmtime_r(&whole, &tm);
  char buf[40];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", millis);
  return buf;
}

}  // namespace

double DemoLabels::Uniform() {
  return static_cast<double>(rng_() >> 11) * (1.0 / 9007199254740992.0);
}

void DemoLabels::OnPredictions(std::string_view lines) {
  while (!lines.empty()) {
    const std::size_t nl = lines.find('\n');
    const std::string_view line = lines.substr(0, nl);
    lines = nl == std::string_view::npos ? std::string_view() : lines.substr(nl + 1);
    const std::string_view id = Value(line, "request_id");
    const std::string_view ts = Value(line, "ts");
    const std::string_view score_text = Value(line, "score");
    double score = 0;
    std::from_chars(score_text.data(), score_text.data() + score_text.size(), score);
    const std::optional<double> t = parse::ParseRfc3339(ts);
    if (id.empty() || !t) continue;
    const double u = Uniform();
    const double delay = kDemoLabelDelayMin + Uniform() * (kDemoLabelDelayMax - kDemoLabelDelayMin);
    const double p = *t >= drift_start_ ? 1 - score : score;
    const bool fraud = Uniform() < p;
    if (u < kDemoUnlabeledShare) continue;
    const double due = *t + delay;
    char buf[200];
    std::snprintf(buf, sizeof buf, "{\"ts\":\"%s\",\"request_id\":\"%.*s\",\"label\":\"%s\"}\n",
                  Rfc3339(due).c_str(), static_cast<int>(id.size()), id.data(),
                  fraud ? "fraud" : "legit");
    Pending item{due, buf};
    auto pos = std::upper_bound(queue_.begin(), queue_.end(), due,
                                [](double d, const Pending& x) { return d < x.due; });
    queue_.insert(pos, std::move(item));
  }
}

void DemoLabels::AppendDue(double now, std::string* out) {
  while (!queue_.empty() && queue_.front().due <= now) {
    out->append(queue_.front().line);
    queue_.pop_front();
  }
}

}  // namespace modelwatch::app
