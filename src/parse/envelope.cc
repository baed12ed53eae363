#include <modelwatch/parse/envelope.h>

#include <simdjson.h>

#include "parse/json_text.h"
#include "parse/ondemand_values.h"

namespace modelwatch::parse {
namespace {

// Joined parts beyond this are dropped: the payload would be over any sane max_line_bytes.
constexpr std::size_t kMaxJoinedBytes = 64u << 20;

bool Blank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  }
  return true;
}

}  // namespace

struct EnvelopeReader::Impl {
  config::SourceConfig::Envelope kind;
  std::string joined;   // parts so far
  std::string payload;  // the complete payload when it had to be copied
  od::parser parser;
  bool overflow = false;

  Outcome Hand(std::string_view text, bool copy, const Line& in, Line* out) {
    if (Blank(text)) return Outcome::kBlank;
    if (!copy) {
      // A suffix of the input line: the input's padding follows it.
      out->text = text;
      out->capacity = in.capacity - static_cast<std::size_t>(text.data() - in.text.data());
      return Outcome::kLine;
    }
    payload.assign(text);
    payload.reserve(payload.size() + kLinePadding);
    out->text = payload;
    out->capacity = payload.capacity();
    return Outcome::kLine;
  }

  // Appends a part; false when the join grew too large (then it is dropped).
  bool Keep(std::string_view part) {
    if (overflow || joined.size() + part.size() > kMaxJoinedBytes) {
      overflow = true;
      joined.clear();
      return false;
    }
    joined.append(part);
    return true;
  }

  // The last part: hands on the joined parts (a copy), or `last` alone when there were none.
  Outcome Finish(std::string_view last, bool copy_last, const Line& in, Line* out) {
    if (joined.empty() && !overflow) return Hand(last, copy_last, in, out);
    const bool lost = !Keep(last) || overflow;
    overflow = false;
    if (lost) {
      joined.clear();
      return Outcome::kInvalid;
    }
    payload.swap(joined);
    joined.clear();
    if (Blank(payload)) return Outcome::kBlank;
    payload.reserve(payload.size() + kLinePadding);
    out->text = payload;
    out->capacity = payload.capacity();
    return Outcome::kLine;
  }

  Outcome Cri(const Line& in, Line* out) {
    // <time> <stream> <tags> <content>; tags: "P" or "F", possibly with more after ':'.
    const std::string_view s = in.text;
    const std::size_t a = s.find(' ');
    const std::size_t b = a == std::string_view::npos ? a : s.find(' ', a + 1);
    if (b == std::string_view::npos) return Outcome::kInvalid;
    const std::size_t c = s.find(' ', b + 1);
    const std::string_view tags = s.substr(b + 1, c == std::string_view::npos ? c : c - b - 1);
    const std::string_view content =
        c == std::string_view::npos ? std::string_view() : s.substr(c + 1);
    if (tags.empty() || (tags[0] != 'P' && tags[0] != 'F')) return Outcome::kInvalid;
    if (tags[0] == 'P') {
      Keep(content);
      return Outcome::kPartial;
    }
    return Finish(content, false, in, out);
  }

  Outcome Docker(const Line& in, Line* out) {
    od::document doc;
    if (parser.iterate(in.text.data(), in.text.size(), in.capacity).get(doc)) {
      return Outcome::kInvalid;
    }
    std::string_view log;
    if (doc["log"].get_string().get(log)) return Outcome::kInvalid;
    if (!log.empty() && log.back() == '\n') {
      log.remove_suffix(1);
      if (!log.empty() && log.back() == '\r') log.remove_suffix(1);
      // get_string unescaped into the parser's buffer: always copied.
      return Finish(log, true, in, out);
    }
    Keep(log);
    return Outcome::kPartial;
  }
};

EnvelopeReader::EnvelopeReader(config::SourceConfig::Envelope kind)
    : impl_(std::make_unique<Impl>()) {
  impl_->kind = kind;
}
EnvelopeReader::~EnvelopeReader() = default;

EnvelopeReader::Outcome EnvelopeReader::Unwrap(const Line& in, Line* out) {
  switch (impl_->kind) {
    case config::SourceConfig::Envelope::kCri:
      return impl_->Cri(in, out);
    case config::SourceConfig::Envelope::kDocker:
      return impl_->Docker(in, out);
    case config::SourceConfig::Envelope::kNone:
      break;
  }
  *out = in;
  return Outcome::kLine;
}

std::size_t EnvelopeReader::pending_bytes() const { return impl_->joined.size(); }

}  // namespace modelwatch::parse
