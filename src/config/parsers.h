// Private to src/config: YAML sections -> config structs. Each parser reports type and value
// errors of its own section; checks across sections are in validate.h.
#ifndef MODELWATCH_SRC_CONFIG_PARSERS_H_
#define MODELWATCH_SRC_CONFIG_PARSERS_H_

#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include <modelwatch/config/config.h>

#include "config/yaml_reader.h"

namespace modelwatch::config::internal {

// The keys of `defaults`, which a model may also carry.
extern const std::vector<std::string_view> kSettingsKeys;

// Applies the settings keys present in `r` on top of *settings, key by key (a model's
// `drift: { method: psi }` changes the method only). Keys of `r` outside kSettingsKeys are
// ignored here.
void ApplySettings(const MapReader& r, ModelSettings* settings);

// `defaults` are the already resolved defaults section; the model's own settings go on top.
ModelConfig ParseModel(const Context& ctx, const YAML::Node& node, const std::string& where,
                       const ModelSettings& defaults);

void ParseSource(const Context& ctx, const YAML::Node& node, const std::string& where,
                 SourceConfig* source);

// `features` or `outputs`: a list of fields; `infer` receives { infer: {...} } when allowed.
void ParseFields(const MapReader& model, std::string_view key, std::vector<FeatureConfig>* fields,
                 std::optional<FeatureInference>* infer);

void ParseGroundTruth(const Context& ctx, const YAML::Node& node, const std::string& where,
                      GroundTruthConfig* gt);

// Log shapes (shapes_parser.cc).
// One pointer, or a list of them (the first is *first, the others *rest).
bool PointerOrList(const MapReader& r, std::string_view key, std::string* first,
                   std::vector<std::string>* rest);
// A field's path: an RFC 6901 pointer, or a Relative JSON Pointer from the batch row ("0/age").
bool FieldPointer(const MapReader& r, std::string_view key, std::string* out);
// "UTC", "Z", "+02:00", "-0530" -> seconds east of UTC.
std::optional<double> ParseTimezone(const std::string& text);
void ParseRecordShapes(const MapReader& record, RecordConfig* rec);
void ParseMatch(const MapReader& model, std::optional<MatchConfig>* out);
// Moves outputs of type: probabilities into m->probabilities.
void SplitProbabilities(ModelConfig* m);
// Whether the model uses a key only the shaped parser reads (decode, batch, pair, match, tensor
// or relative paths, probabilities, in-line labels).
bool NeedsShapedParser(const ModelConfig& m);
void ApplyParseSettings(const MapReader& settings, ModelSettings* s);

}  // namespace modelwatch::config::internal

#endif  // MODELWATCH_SRC_CONFIG_PARSERS_H_
