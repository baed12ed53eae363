// The DOM-first parser must give, line by line, the outcome and the record that On-Demand alone
// gives (record_parser.cc, RecordParser::Impl): seeded random lines over the layout's keys and
// others, with every kind of value (escapes, lone surrogates, 1e400, integers past 2^64, long
// multibyte strings cut at 128 bytes, nesting, duplicates), then the same lines mutated byte by
// byte (truncated, invalid UTF-8, stray commas).
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <modelwatch/parse/record_parser.h>

namespace modelwatch::parse {
namespace {

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}

  std::string Line() {
    std::string s = "{";
    const int n = Pick(12);
    if (Pick(2) == 0) s += "\"ts\":\"2026-11-28T05:00:00.123Z\"";
    for (int i = 0; i < n; ++i) {
      if (s.size() > 1) s += ',';
      s += Key(kRootKeys);
      s += ':';
      s += Value(0);
    }
    return s + "}";
  }

  std::string Mutate(std::string s) {
    if (s.empty()) return s;
    const std::size_t at = static_cast<std::size_t>(Pick(static_cast<int>(s.size())));
    switch (Pick(6)) {
      case 0:
        return s.substr(0, at);
      case 1:
        s[at] = static_cast<char>(0x80 + Pick(0x40));
        return s;
      case 2:
        s.insert(at, ",");
        return s;
      case 3:
        s[at] = "\"\\{}[]:0e-"[Pick(10)];
        return s;
      case 4:
        return s + " " + s;
      default:
        s.erase(at, 1);
        return s;
    }
  }

 private:
  static constexpr const char* kRootKeys[] = {
      "ts",      "request_id", "model_version", "latency_ms",   "inputs",
      "outputs", "model",      "extra",         "in\\u0070uts", "t\\\"s"};
  static constexpr const char* kInnerKeys[] = {
      "amount", "age", "country", "device", "score", "label", "new_key", "am\\u006fount", "x", "0"};

  int Pick(int n) { return static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }

  template <std::size_t N>
  std::string Key(const char* const (&keys)[N]) {
    return std::string("\"") + keys[Pick(static_cast<int>(N))] + "\"";
  }

  std::string Value(int depth) {
    static const char* const kScalars[] = {"0",
                                           "-0",
                                           "12.5",
                                           "-3",
                                           "18446744073709551615",
                                           "9007199254740993",
                                           "1.7976931348623157e308",
                                           "5e-324",
                                           "true",
                                           "false",
                                           "null",
                                           "\"\"",
                                           "\"NaN\"",
                                           "\"-inf\"",
                                           "\"12.5\"",
                                           "\"fraud\"",
                                           "\"caf\\u00e9\"",
                                           "\"\\ud83d\\ude00 ok\"",
                                           "\"tab\\tnew\\nline\"",
                                           "\"2026-11-28T05:00:00.123Z\"",
                                           "\"2026-11-28 05:00:00+02:00\"",
                                           "1795824000.5",
                                           "\"\\u0000\"",
                                           "[1,2,3]",
                                           "{}",
                                           "[]",
                                           "\"ünïcödé\""};
    // What DOM refuses and On-Demand may take: On-Demand decides those lines.
    static const char* const kRare[] = {
        "1e400", "-1e400", "123456789012345678901234567890", "\"\\ud800\"", "\"\\x\"", "01", "1."};
    const int kind = Pick(depth < 3 ? 10 : 8);
    if (kind < 6) {
      if (Pick(40) == 0) return kRare[Pick(static_cast<int>(std::size(kRare)))];
      return kScalars[Pick(static_cast<int>(std::size(kScalars)))];
    }
    if (kind == 6) {  // a long string of 2-, 3- and 4-byte characters around the 128-byte cut
      std::string s = "\"";
      const int n = 40 + Pick(40);
      for (int i = 0; i < n; ++i) s += i % 3 == 0 ? "é" : i % 3 == 1 ? "€" : "😀";
      return s + "\"";
    }
    if (kind == 7) return std::to_string(Pick(1000) - 500) + "." + std::to_string(Pick(1000));
    if (kind == 8) {
      std::string s = "{";
      const int n = Pick(6);
      for (int i = 0; i < n; ++i) {
        if (i) s += ',';
        s += Key(kInnerKeys) + ":" + Value(depth + 1);
      }
      return s + "}";
    }
    std::string s = "[";
    const int n = Pick(4);
    for (int i = 0; i < n; ++i) {
      if (i) s += ',';
      s += Value(depth + 1);
    }
    return s + "]";
  }

  std::mt19937_64 rng_;
};

std::string Describe(ParseOutcome outcome, const Record& r) {
  std::string s = ParseOutcomeName(outcome);
  if (outcome != ParseOutcome::kOk) return s;
  // -0 reads as 0 from DOM's tape (an integer); the two are the same value everywhere after.
  auto num = [](double v) {
    return std::isnan(v) ? std::string("nan") : std::to_string(v == 0 ? 0.0 : v);
  };
  s += " ts=" + (r.has_timestamp ? num(r.timestamp) : std::string("-"));
  s += " id=" + std::string(r.request_id) + " v=" + std::string(r.model_version);
  s += " lat=" + std::to_string(static_cast<int>(r.latency_state)) + ":" + num(r.latency_seconds);
  for (const FieldValue& f : r.fields) {
    s += " [" + std::to_string(static_cast<int>(f.state));
    if (f.state == ValueState::kValid) s += ":" + num(f.number) + ":" + std::string(f.text);
    s += "]";
  }
  s += " unexpected=" + std::to_string(r.unexpected_fields);
  for (std::uint32_t i = 0; i < r.unexpected_named; ++i) {
    s += " '" + std::string(r.unexpected_names[i]) + "'";
  }
  return s;
}

RecordLayout Layout(bool required) {
  RecordLayout layout;
  layout.timestamp = config::TimestampField{};
  layout.timestamp->path = "/ts";
  layout.timestamp->format = config::TimestampFormat::kRfc3339;
  layout.timestamp_required = required;
  layout.request_id = "/request_id";
  layout.model_version = "/model_version";
  layout.latency = config::LatencyField{};
  layout.latency->path = "/latency_ms";
  layout.latency->unit = config::LatencyUnit::kMilliseconds;
  for (const char* p : {"/inputs/amount", "/inputs/age", "/outputs/score", "/inputs/0"}) {
    layout.fields.push_back({p, config::FeatureType::kNumeric});
  }
  for (const char* p : {"/inputs/country", "/inputs/device", "/outputs/label", "/extra/x"}) {
    layout.fields.push_back({p, config::FeatureType::kCategorical});
  }
  return layout;
}

void Compare(bool required, std::uint64_t seed, int min_ok) {
  const RecordLayout layout = Layout(required);
  auto dom = RecordParser::Create(layout, RecordParser::Strategy::kDomFirst);
  auto od = RecordParser::Create(layout, RecordParser::Strategy::kOnDemand);
  ASSERT_TRUE(dom.ok() && od.ok());
  Record a = dom.value()->NewRecord(), b = od.value()->NewRecord();
  Generator gen(seed);
  int ok = 0, rejected = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text = gen.Line();
    if (i % 2 == 1) text = gen.Mutate(text);
    std::string buf = text + std::string(kLinePadding, '}');
    const Line line{std::string_view(buf.data(), text.size()), buf.size()};
    const ParseOutcome oa = dom.value()->Parse(line, &a);
    const ParseOutcome ob = od.value()->Parse(line, &b);
    ASSERT_EQ(Describe(oa, a), Describe(ob, b)) << "line " << i << ": " << text;
    (oa == ParseOutcome::kOk ? ok : rejected)++;
  }
  // Both kinds of line were met often enough for the comparison to mean something, and most
  // accepted lines were read by DOM.
  EXPECT_GT(ok, min_ok);
  EXPECT_GT(rejected, 2000);
  EXPECT_LT(dom.value()->on_demand_lines(), static_cast<std::uint64_t>(rejected + ok / 2));
  EXPECT_EQ(od.value()->on_demand_lines(), 20000u);
}

TEST(DomDifferential, SameOutcomeAndRecordAsOnDemand) { Compare(false, 1, 5000); }
TEST(DomDifferential, SameWithTheTimestampRequired) { Compare(true, 2, 3000); }

}  // namespace
}  // namespace modelwatch::parse
