// Private to src/config: the spelling of every enumerated configuration value.
#ifndef MODELWATCH_SRC_CONFIG_ENUMS_H_
#define MODELWATCH_SRC_CONFIG_ENUMS_H_

#include <modelwatch/config/config.h>

#include "config/yaml_reader.h"

namespace modelwatch::config::internal {

inline constexpr EnumName<TimeMode> kTimeModes[] = {{"event", TimeMode::kEvent},
                                                    {"arrival", TimeMode::kArrival}};
inline constexpr EnumName<StartAt> kStartAts[] = {{"end", StartAt::kEnd},
                                                  {"beginning", StartAt::kBeginning}};
inline constexpr EnumName<OnCorrupt> kOnCorrupts[] = {{"beginning", OnCorrupt::kBeginning},
                                                      {"end", OnCorrupt::kEnd}};
inline constexpr EnumName<TimestampFormat> kTimestampFormats[] = {
    {"rfc3339", TimestampFormat::kRfc3339},        {"unix_seconds", TimestampFormat::kUnixSeconds},
    {"unix_millis", TimestampFormat::kUnixMillis}, {"iso8601", TimestampFormat::kIso8601},
    {"unix_micros", TimestampFormat::kUnixMicros}, {"unix_nanos", TimestampFormat::kUnixNanos}};
inline constexpr EnumName<SourceConfig::Envelope> kEnvelopes[] = {
    {"none", SourceConfig::Envelope::kNone},
    {"cri", SourceConfig::Envelope::kCri},
    {"docker", SourceConfig::Envelope::kDocker}};
inline constexpr EnumName<LatencyUnit> kLatencyUnits[] = {
    {"seconds", LatencyUnit::kSeconds},
    {"milliseconds", LatencyUnit::kMilliseconds},
    {"microseconds", LatencyUnit::kMicroseconds},
    {"nanoseconds", LatencyUnit::kNanoseconds},
    {"s", LatencyUnit::kSeconds},
    {"ms", LatencyUnit::kMilliseconds},
    {"us", LatencyUnit::kMicroseconds},
    {"ns", LatencyUnit::kNanoseconds}};
inline constexpr EnumName<FeatureType> kFeatureTypes[] = {
    {"numeric", FeatureType::kNumeric}, {"categorical", FeatureType::kCategorical}};
inline constexpr EnumName<ExposeCategories> kExposeCategories[] = {
    {"true", ExposeCategories::kTrue},
    {"false", ExposeCategories::kFalse},
    {"hash", ExposeCategories::kHash}};
inline constexpr EnumName<ReferenceFormat> kReferenceFormats[] = {{"rows", ReferenceFormat::kRows},
                                                                  {"log", ReferenceFormat::kLog}};
inline constexpr EnumName<BinKind> kBinKinds[] = {{"quantile", BinKind::kQuantile},
                                                  {"equal_width", BinKind::kEqualWidth},
                                                  {"sturges", BinKind::kSturges},
                                                  {"doane", BinKind::kDoane}};
inline constexpr EnumName<Task> kTasks[] = {
    {"binary_classification", Task::kBinaryClassification},
    {"multiclass_classification", Task::kMulticlassClassification},
    {"regression", Task::kRegression}};
// Every method, `auto` first; kConcreteMethods skips it (thresholds, extra_methods).
inline constexpr EnumName<DriftMethod> kDriftMethods[] = {
    {"auto", DriftMethod::kAuto},
    {"psi", DriftMethod::kPsi},
    {"kl", DriftMethod::kKl},
    {"jensenshannon", DriftMethod::kJensenShannon},
    {"hellinger", DriftMethod::kHellinger},
    {"wasserstein", DriftMethod::kWasserstein},
    {"ks", DriftMethod::kKs},
    {"chisquare", DriftMethod::kChiSquare},
    {"z", DriftMethod::kZ},
    {"linf", DriftMethod::kLinf}};
inline constexpr std::span<const EnumName<DriftMethod>> kConcreteMethods =
    std::span(kDriftMethods).subspan(1);
// The log base of Jensen-Shannon: DriftConfig::js_base (0 means e).
inline constexpr EnumName<double> kJsBases[] = {{"e", 0.0}, {"2", 2.0}};
inline constexpr EnumName<std::string_view> kLogLevels[] = {
    {"debug", "debug"}, {"info", "info"}, {"warn", "warn"}, {"error", "error"}};
inline constexpr EnumName<std::string_view> kLogFormats[] = {{"text", "text"}, {"json", "json"}};
inline constexpr EnumName<std::string_view> kGpuModes[] = {{"auto", "auto"}, {"none", "none"}};
inline constexpr EnumName<std::string_view> kSourceFormats[] = {{"jsonl", "jsonl"}};

}  // namespace modelwatch::config::internal

#endif  // MODELWATCH_SRC_CONFIG_ENUMS_H_
