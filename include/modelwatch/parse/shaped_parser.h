// ShapedParser: the record parser for log shapes that are not "one flat JSON object per line =
// one record" (issue #8; docs/configuration.md "Log shapes"). Used instead of RecordParser when
// a model sets record.decode, record.batch, record.pair, match, tensor or relative field
// paths, type: probabilities outputs or ground_truth.source: predictions
// (config::RecordConfig::shaped). Per line:
//   1. the line is read into a ValueTree (only keys named by a configured pointer are kept);
//   2. match: a line of another model is reported as filtered;
//   3. pair: a request or response half waits (a copy of its text, bounded, with a timeout) for
//      the other half with the same key; the record document is {"request": .., "response": ..};
//   4. decode steps replace strings by the tree of their content (json, base64, csv, auto);
//   5. batch: one record per row (array rows, optionally named by a header, or OIP tensors by
//      name and shape); per-row ids from the id template; a batch of one keeps the line's id.
// Records and problems go to a Sink. Texts in a record stay valid during the Sink call only.
// Not thread-safe: one parser per ingest thread.
#ifndef MODELWATCH_PARSE_SHAPED_PARSER_H_
#define MODELWATCH_PARSE_SHAPED_PARSER_H_

#include <cstdint>
#include <memory>

#include <modelwatch/config/config.h>
#include <modelwatch/core/line.h>
#include <modelwatch/core/record.h>
#include <modelwatch/core/status.h>
#include <modelwatch/parse/record_parser.h>

namespace modelwatch::parse {

class ShapedParser {
 public:
  class Sink {
   public:
    virtual ~Sink() = default;
    virtual void OnShapedRecord(const Record& record) = 0;
    virtual void OnShapedReject(ParseOutcome outcome) = 0;
    // A line of another model (match), or a pair line whose kind is neither request nor
    // response: counted in modelwatch_source_lines_filtered_total.
    virtual void OnFiltered() = 0;
    // A half that never met its other half (timeout, max_pending, or no key): a request still
    // becomes a record (without outputs); a response is dropped.
    virtual void OnUnpaired(bool request) = 0;
  };

  static Result<std::unique_ptr<ShapedParser>> Create(const config::ModelConfig& model);
  ~ShapedParser();

  // `now`: arrival time; with no timestamp it is the pairing clock.
  void Parse(const Line& line, double now, Sink& sink);
  // Pairing: halves older than the timeout leave (with `now` as the clock when the log has no
  // timestamp). `all`: every waiting half leaves (end of a one-shot read).
  void Expire(double now, bool all, Sink& sink);
  // Halves waiting for their other half.
  std::uint64_t pending() const;

 private:
  ShapedParser();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace modelwatch::parse

#endif  // MODELWATCH_PARSE_SHAPED_PARSER_H_
