// Families of the log-shape features (issue #8): lines routed to other models, unpaired halves.
#include "export/families.h"
#include "export/family_builder.h"

namespace modelwatch::exposition {

void ShapeFamilies(const engine::Snapshot& s, Families* out) {
  FamilyBuilder filtered("modelwatch_source_lines_filtered_total",
                         "Lines of a shared source that belong to another model (match) or are "
                         "another event type (pair).",
                         prometheus::MetricType::Counter);
  FamilyBuilder unpaired("modelwatch_unpaired_total",
                         "Request or response lines that never met their other half.",
                         prometheus::MetricType::Counter);
  for (const engine::ModelSnapshot& m : s.models) {
    if (m.predictions.has_filtered) {
      filtered.Add({{"model", m.name}, {"source", m.predictions.source}},
                   static_cast<double>(m.predictions.filtered));
    }
    if (m.has_pair) {
      unpaired.Add({{"model", m.name}, {"kind", "request"}},
                   static_cast<double>(m.unpaired_requests));
      unpaired.Add({{"model", m.name}, {"kind", "response"}},
                   static_cast<double>(m.unpaired_responses));
    }
  }
  filtered.MoveTo(out);
  unpaired.MoveTo(out);
}

}  // namespace modelwatch::exposition
