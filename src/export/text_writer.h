// The text format 0.0.4 writer of /metrics: the same bytes as prometheus-cpp 1.0.1's
// TextSerializer (tests/unit/export/text_writer_test.cc compares them family by family), written
// into one std::string with std::to_chars instead of through an std::ostream.
//
// Why not TextSerializer (performance.md, scrape target): with 200 features its ostream output
// (one sentry, locale lookup and printf of a double per value) took about half of the render's
// CPU time, 10 of 20 ms per scrape measured with bench/mw_micro BM_RenderWide200 and perf; this
// writer makes the render path about twice as fast. The families stay prometheus-cpp values
// (architecture.md §3, rule 7): only the last step, bytes out, is ours.
#ifndef MODELWATCH_EXPORT_TEXT_WRITER_H_
#define MODELWATCH_EXPORT_TEXT_WRITER_H_

#include <string>
#include <vector>

#include <prometheus/metric_family.h>

namespace modelwatch::exposition {

// Appends the families to *out: per family `# HELP` (when help is not empty) and `# TYPE`, then
// each series; doubles as %.16g (max_digits10 - 1), NaN as "Nan", infinities as "+Inf"/"-Inf";
// label values with \, " and newline escaped; a histogram as _count, _sum, then its _bucket
// series with a final le="+Inf" added when missing; non-zero timestamps after the value.
void AppendText(const std::vector<prometheus::MetricFamily>& families, std::string* out);

}  // namespace modelwatch::exposition

#endif  // MODELWATCH_EXPORT_TEXT_WRITER_H_
