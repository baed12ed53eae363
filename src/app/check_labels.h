// `modelwatch check --labels PATH`: model quality of CURRENT against a label file, joined by
// request id with the model's ground_truth settings but no time limit (one sample: every label
// joins its prediction whatever their times), reported as window `all`.
#ifndef MODELWATCH_APP_CHECK_LABELS_H_
#define MODELWATCH_APP_CHECK_LABELS_H_

#include <string>

#include <modelwatch/config/config.h>
#include <modelwatch/core/status.h>
#include <modelwatch/engine/quality_snapshot.h>

#include "app/check.h"
#include "app/reference.h"

namespace modelwatch::app {

// Reads CURRENT (log lines or rows, as `check` does) and the labels (the label layout) through
// the daemon's GroundTruth. The view's only window is `all`, with every metric from one joined
// row on (no min_samples); the reference quality and CBPE come from the model's reference rows.
// Fails without ground_truth in the model, or when a file cannot be read.
Result<std::shared_ptr<engine::LabelsView>> CheckLabels(const config::ModelConfig& model,
                                                        const Reference& reference,
                                                        const std::string& current,
                                                        CurrentFormat format,
                                                        const std::string& labels);

// "model quality (N joined of M labels): accuracy 0.91, ..." lines for the text report.
std::string CheckLabelsText(const engine::LabelsView& view);

}  // namespace modelwatch::app

#endif  // MODELWATCH_APP_CHECK_LABELS_H_
