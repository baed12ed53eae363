// The ground-truth part of /api/v1/status (private to export): `,"labels":{...}` for a model
// with ground_truth (the label source's files and lag, the join's counts, each quality window's
// labelled rows and metrics), nothing otherwise.
#ifndef MODELWATCH_EXPORT_LABEL_STATUS_H_
#define MODELWATCH_EXPORT_LABEL_STATUS_H_

#include <modelwatch/core/json_writer.h>
#include <modelwatch/engine/snapshot.h>

namespace modelwatch::exposition {

void LabelsStatusJson(JsonWriter& j, const engine::ModelSnapshot& m);

}  // namespace modelwatch::exposition

#endif  // MODELWATCH_EXPORT_LABEL_STATUS_H_
