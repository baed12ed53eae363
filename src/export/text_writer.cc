#include "export/text_writer.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>

namespace modelwatch::exposition {

namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

// std::ostream << double at precision max_digits10 - 1 (16) in the classic locale: %.16g.
void AppendDouble(double v, std::string* out) {
  if (std::isnan(v)) {
    out->append("Nan");
  } else if (std::isinf(v)) {
    out->append(v < 0 ? "-Inf" : "+Inf");
  } else {
    char buf[40];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general,
                                 std::numeric_limits<double>::max_digits10 - 1);
    out->append(buf, r.ptr);
  }
}

void AppendUint(std::uint64_t v, std::string* out) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}

void AppendEscaped(std::string_view v, std::string* out) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (c != '\n' && c != '\\' && c != '"') continue;
    out->append(v.substr(start, i - start));
    out->push_back('\\');
    out->push_back(c == '\n' ? 'n' : c);
    start = i + 1;
  }
  out->append(v.substr(start));
}

// The series name, its labels (and an extra one: `le`, `quantile`), then a space.
struct Extra {
  std::string_view name;
  double value = 0;
};
void AppendHead(const MetricFamily& f, const ClientMetric& m, std::string_view suffix,
                const Extra* extra, std::string* out) {
  out->append(f.name);
  out->append(suffix);
  if (!m.label.empty() || extra != nullptr) {
    out->push_back('{');
    bool first = true;
    for (const ClientMetric::Label& l : m.label) {
      if (!first) out->push_back(',');
      first = false;
      out->append(l.name);
      out->append("=\"");
      AppendEscaped(l.value, out);
      out->push_back('"');
    }
    if (extra != nullptr) {
      if (!first) out->push_back(',');
      out->append(extra->name);
      out->append("=\"");
      AppendDouble(extra->value, out);
      out->push_back('"');
    }
    out->push_back('}');
  }
  out->push_back(' ');
}

void AppendTail(const ClientMetric& m, std::string* out) {
  if (m.timestamp_ms != 0) {
    out->push_back(' ');
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, m.timestamp_ms);
    out->append(buf, r.ptr);
  }
  out->push_back('\n');
}

void AppendSeries(const MetricFamily& f, const ClientMetric& m, std::string* out) {
  switch (f.type) {
    case MetricType::Counter:
      AppendHead(f, m, "", nullptr, out);
      AppendDouble(m.counter.value, out);
      AppendTail(m, out);
      break;
    case MetricType::Gauge:
      AppendHead(f, m, "", nullptr, out);
      AppendDouble(m.gauge.value, out);
      AppendTail(m, out);
      break;
    case MetricType::Untyped:
      AppendHead(f, m, "", nullptr, out);
      AppendDouble(m.untyped.value, out);
      AppendTail(m, out);
      break;
    case MetricType::Summary: {
      AppendHead(f, m, "_count", nullptr, out);
      AppendUint(m.summary.sample_count, out);
      AppendTail(m, out);
      AppendHead(f, m, "_sum", nullptr, out);
      AppendDouble(m.summary.sample_sum, out);
      AppendTail(m, out);
      for (const ClientMetric::Quantile& q : m.summary.quantile) {
        const Extra e{"quantile", q.quantile};
        AppendHead(f, m, "", &e, out);
        AppendDouble(q.value, out);
        AppendTail(m, out);
      }
      break;
    }
    case MetricType::Histogram: {
      const ClientMetric::Histogram& h = m.histogram;
      AppendHead(f, m, "_count", nullptr, out);
      AppendUint(h.sample_count, out);
      AppendTail(m, out);
      AppendHead(f, m, "_sum", nullptr, out);
      AppendDouble(h.sample_sum, out);
      AppendTail(m, out);
      double last = -std::numeric_limits<double>::infinity();
      for (const ClientMetric::Bucket& b : h.bucket) {
        const Extra e{"le", b.upper_bound};
        AppendHead(f, m, "_bucket", &e, out);
        AppendUint(b.cumulative_count, out);
        AppendTail(m, out);
        last = b.upper_bound;
      }
      if (last != std::numeric_limits<double>::infinity()) {
        const Extra e{"le", std::numeric_limits<double>::infinity()};
        AppendHead(f, m, "_bucket", &e, out);
        AppendUint(h.sample_count, out);
        AppendTail(m, out);
      }
      break;
    }
  }
}

const char* TypeName(MetricType t) {
  switch (t) {
    case MetricType::Counter:
      return "counter";
    case MetricType::Gauge:
      return "gauge";
    case MetricType::Summary:
      return "summary";
    case MetricType::Histogram:
      return "histogram";
    case MetricType::Untyped:
      break;
  }
  return "untyped";
}

}  // namespace

void AppendText(const std::vector<MetricFamily>& families, std::string* out) {
  for (const MetricFamily& f : families) {
    if (!f.help.empty()) {
      out->append("# HELP ");
      out->append(f.name);
      out->push_back(' ');
      out->append(f.help);
      out->push_back('\n');
    }
    out->append("# TYPE ");
    out->append(f.name);
    out->push_back(' ');
    out->append(TypeName(f.type));
    out->push_back('\n');
    for (const ClientMetric& m : f.metric) AppendSeries(f, m, out);
  }
}

}  // namespace modelwatch::exposition
