// The text format 0.0.4 writer of /metrics: the same bytes as prometheus-cpp 1.0.1's
// TextSerializer (tests/unit/export/text_writer_test.cc compares them family by family), written
// into one std::string with std::to_chars instead of through an std::ostream.
//
// Why not TextSerializer (performance.md, scrape target): perf on bench/mw_micro
// BM_RenderWide200 (200 features, 14,000 series) put most of the render's CPU in its ostream
// output (a sentry, a locale lookup and a printf of a double per value); with this writer the
// render took 5.5 ms of CPU instead of 19.8 ms (workload: 0.75 instead of 1.07 ms). The
// families stay prometheus-cpp values (architecture.md §3, rule 7): only the bytes out are ours.
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
