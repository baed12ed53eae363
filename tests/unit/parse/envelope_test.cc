// source.envelope: CRI and Docker json-file wrappers, with their split long lines.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <modelwatch/parse/envelope.h>

namespace modelwatch::parse {
namespace {

using Outcome = EnvelopeReader::Outcome;

struct Fed {
  std::vector<std::string> payloads;
  int partial = 0, invalid = 0, blank = 0;
};

Fed Feed(config::SourceConfig::Envelope kind, const std::vector<std::string>& lines) {
  EnvelopeReader reader(kind);
  Fed fed;
  for (const std::string& l : lines) {
    std::string buf = l + std::string(64, '}');
    Line out;
    switch (reader.Unwrap(Line{std::string_view(buf.data(), l.size()), buf.size()}, &out)) {
      case Outcome::kLine:
        EXPECT_GE(out.capacity, out.text.size() + kLinePadding);
        fed.payloads.emplace_back(out.text);
        break;
      case Outcome::kPartial:
        ++fed.partial;
        break;
      case Outcome::kBlank:
        ++fed.blank;
        break;
      case Outcome::kInvalid:
        ++fed.invalid;
        break;
    }
  }
  return fed;
}

TEST(EnvelopeTest, CriJoinsPartialLines) {
  const Fed f = Feed(
      config::SourceConfig::Envelope::kCri,
      {"2024-05-01T12:00:00.123456789Z stdout F {\"a\":1}",
       "2024-05-01T12:00:01.1Z stdout P {\"b\":", "2024-05-01T12:00:01.2Z stdout P 2,\"c\"",
       "2024-05-01T12:00:01.3Z stdout F :3}", "2024-05-01T12:00:02Z stderr F ", "not a cri line"});
  EXPECT_EQ(f.payloads, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2,\"c\":3}"}));
  EXPECT_EQ(f.partial, 2);
  EXPECT_EQ(f.blank, 1);
  EXPECT_EQ(f.invalid, 1);
}

TEST(EnvelopeTest, DockerUnescapesAndJoinsSplitEntries) {
  const Fed f = Feed(config::SourceConfig::Envelope::kDocker,
                     {R"({"log":"{\"a\":1}\n","stream":"stdout","time":"2024-05-01T12:00:00Z"})",
                      R"({"log":"{\"b\":","stream":"stdout","time":"2024-05-01T12:00:01Z"})",
                      R"({"log":"2}\r\n","stream":"stdout","time":"2024-05-01T12:00:01Z"})",
                      R"({"stream":"stdout"})"});
  EXPECT_EQ(f.payloads, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
  EXPECT_EQ(f.partial, 1);
  EXPECT_EQ(f.invalid, 1);
}

}  // namespace
}  // namespace modelwatch::parse
