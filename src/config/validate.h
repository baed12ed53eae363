// Private to src/config: checks that span sections (names, references between keys), run on
// the parsed Config with the positions recorded while parsing.
#ifndef MODELWATCH_SRC_CONFIG_VALIDATE_H_
#define MODELWATCH_SRC_CONFIG_VALIDATE_H_

#include <string>

#include <modelwatch/config/config.h>

#include "config/yaml_reader.h"

namespace modelwatch::config::internal {

void Validate(const Config& config, const MarkIndex& marks, ErrorSink* errors);

// Log-shape keys that depend on each other (validate_shapes.cc).
void CheckShapes(const ModelConfig& m, const std::string& where, const MarkIndex& marks,
                 ErrorSink* errors);

}  // namespace modelwatch::config::internal

#endif  // MODELWATCH_SRC_CONFIG_VALIDATE_H_
