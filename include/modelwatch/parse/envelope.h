// EnvelopeReader: strips the container runtime's wrapper from lines read on a node
// (source.envelope; issue #8): CRI (containerd, CRI-O: "<time> <stream> <P|F> <text>", where
// lines over 16 KiB come as P parts closed by an F part) and Docker's json-file driver
// ({"log":"<text>\n","stream":..,"time":..}, long lines split into entries without the "\n").
// Parts are joined before the payload is handed on. Not thread-safe; one per source.
#ifndef MODELWATCH_PARSE_ENVELOPE_H_
#define MODELWATCH_PARSE_ENVELOPE_H_

#include <cstdint>
#include <memory>
#include <string>

#include <modelwatch/config/config.h>
#include <modelwatch/core/line.h>

namespace modelwatch::parse {

class EnvelopeReader {
 public:
  enum class Outcome : std::uint8_t {
    kLine,     // *out holds a complete payload (padded like any Line)
    kPartial,  // a part was kept; nothing to hand on yet
    kBlank,    // the payload is empty or blank
    kInvalid,  // not a wrapper of this kind: counted as invalid_json
  };
  explicit EnvelopeReader(config::SourceConfig::Envelope kind);
  ~EnvelopeReader();

  // *out stays valid until the next call.
  Outcome Unwrap(const Line& in, Line* out);
  // Bytes held in parts not yet closed (they are dropped with a part of over `max_bytes`).
  std::size_t pending_bytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace modelwatch::parse

#endif  // MODELWATCH_PARSE_ENVELOPE_H_
