// RecordParser: any line against a layout that reads every kind of field (timestamp, request id,
// version, latency, numeric and categorical features at nested and escaped pointers).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include <modelwatch/core/line.h>
#include <modelwatch/parse/record_parser.h>

namespace {

using namespace modelwatch;

parse::RecordParser& Parser() {
  static std::unique_ptr<parse::RecordParser> parser = [] {
    parse::RecordLayout layout;
    layout.timestamp = config::TimestampField{"/ts", config::TimestampFormat::kRfc3339};
    layout.request_id = "/id";
    layout.model_version = "/v";
    config::LatencyField latency;
    latency.path = "/latency_ms";
    latency.unit = config::LatencyUnit::kMilliseconds;
    layout.latency = latency;
    layout.fields = {{"/inputs/amount", config::FeatureType::kNumeric},
                     {"/inputs/country", config::FeatureType::kCategorical},
                     {"/inputs/a~1b", config::FeatureType::kNumeric},
                     {"/outputs/0", config::FeatureType::kCategorical},
                     {"/outputs/score", config::FeatureType::kNumeric}};
    auto p = parse::RecordParser::Create(layout);
    if (!p.ok()) std::abort();
    return std::move(p).value();
  }();
  return *parser;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A line as the splitter delivers it: up to the first LF, never empty.
  std::string_view text(reinterpret_cast<const char*>(data), size);
  text = text.substr(0, text.find('\n'));
  if (text.empty()) return 0;
  size = text.size();
  // The line in a buffer with the padding the splitter guarantees (unspecified bytes: 'x').
  std::string buffer(reinterpret_cast<const char*>(data), size);
  buffer.append(kLinePadding, 'x');
  Line line{std::string_view(buffer.data(), size), buffer.size()};
  static Record record = Parser().NewRecord();
  const parse::ParseOutcome outcome = Parser().Parse(line, &record);
  if (parse::ParseOutcomeName(outcome) == nullptr) std::abort();
  return 0;
}
