// Categorical values are spelled canonically, so the reference and the traffic agree
// (interface.md §2).
#include <string>

#include <gtest/gtest.h>

#include "parse/json_text.h"
#include "unit/parse/parse_test_util.h"

namespace modelwatch::parse {
namespace {

using testing::Categorical;
using testing::Fields;
using testing::Harness;

struct TextCase {
  std::string value;  // JSON text
  std::string want;
};

class CanonicalTextTest : public ::testing::TestWithParam<TextCase> {};

TEST_P(CanonicalTextTest, SpellsValue) {
  Harness h(Fields({Categorical("/v")}));
  ASSERT_EQ(h.Parse("{\"v\":" + GetParam().value + "}"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).state, ValueState::kValid);
  EXPECT_EQ(h.field(0).text, GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(Values, CanonicalTextTest,
                         ::testing::ValuesIn(std::vector<TextCase>{
                             {"3", "3"},
                             {"3.0", "3"},
                             {"3e0", "3"},
                             {"-0", "0"},
                             {"0.0", "0"},
                             {"-7", "-7"},
                             {"2.5", "2.5"},
                             {"0.1", "0.1"},
                             {"1000000", "1000000"},
                             {"123456789012", "123456789012"},
                             {"1e20", "100000000000000000000"},
                             {"1e21", "1e+21"},
                             {"1.5e300", "1.5e+300"},
                             {"0.000001", "0.000001"},
                             {"1e-7", "1e-7"},
                             {"-1.25e-10", "-1.25e-10"},
                             {"true", "true"},
                             {"false", "false"},
                             {R"("fraud")", "fraud"},
                             {R"("3")", "3"},
                             {R"("  padded ")", "  padded "},
                             {R"("a\"b\\c\/d\n")", "a\"b\\c/d\n"},
                             {R"("\u00e9\u4e2d\ud83d\ude00")",
                              "\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80"},
                             {"\"\xC3\xA9t\xC3\xA9\"", "\xC3\xA9t\xC3\xA9"},
                             {R"("lone \ud800 surrogate")", "lone \xEF\xBF\xBD surrogate"},
                             {R"("\udc00")", "\xEF\xBF\xBD"},
                         }));

TEST(CanonicalTextTest2, LongStringIsCutTo128Bytes) {
  Harness h(Fields({Categorical("/v")}));
  ASSERT_EQ(h.Parse("{\"v\":\"" + std::string(200, 'a') + "\"}"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).text, std::string(128, 'a'));
}

TEST(CanonicalTextTest2, CutNeverSplitsACharacter) {
  // 127 ASCII bytes then a 2-byte character: it would end at byte 129, so it is dropped.
  Harness h(Fields({Categorical("/v")}));
  const std::string text = std::string(127, 'a') + "\xC3\xA9" + std::string(70, 'b');
  ASSERT_EQ(h.Parse("{\"v\":\"" + text + "\"}"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).text, std::string(127, 'a'));
}

TEST(CanonicalTextTest2, CutNeverSplitsAnEscapedCharacter) {
  Harness h(Fields({Categorical("/v")}));
  const std::string text = std::string(126, 'a') + "\\u4e2d" + "zz";  // 3 bytes from 126
  ASSERT_EQ(h.Parse("{\"v\":\"" + text + "\"}"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).text, std::string(126, 'a'));
}

TEST(CanonicalTextTest2, FourByteCharactersFillExactly) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "\xF0\x9F\x98\x80";  // 200 bytes
  Harness h(Fields({Categorical("/v")}));
  ASSERT_EQ(h.Parse("{\"v\":\"" + text + "\"}"), ParseOutcome::kOk);
  EXPECT_EQ(h.field(0).text, text.substr(0, 128));
}

TEST(CanonicalTextTest2, TextIsCopiedOutOfTheLine) {
  auto created = RecordParser::Create(Fields({Categorical("/a"), Categorical("/b")}));
  ASSERT_TRUE(created.ok());
  RecordParser& parser = *created.value();
  const std::string line = R"({"a":"first","b":"second"})";
  std::string buffer = line + std::string(kLinePadding, ' ');
  Record r = parser.NewRecord();
  ASSERT_EQ(parser.Parse(Line{{buffer.data(), line.size()}, buffer.size()}, &r), ParseOutcome::kOk);
  buffer.assign(buffer.size(), 'x');
  EXPECT_EQ(r.fields[0].text, "first");
  EXPECT_EQ(r.fields[1].text, "second");
}

TEST(FormatNumberTest, MatchesEcmaScriptSpelling) {
  char buf[kNumberTextBytes];
  auto fmt = [&](double v) { return std::string(buf, FormatNumber(v, buf)); };
  EXPECT_EQ(fmt(42), "42");
  EXPECT_EQ(fmt(-1.5), "-1.5");
  EXPECT_EQ(fmt(123.456), "123.456");
  EXPECT_EQ(fmt(1e-6), "0.000001");
  EXPECT_EQ(fmt(1.2345e-7), "1.2345e-7");
  EXPECT_EQ(fmt(9007199254740993.0), "9007199254740992");
  EXPECT_EQ(fmt(-1.7976931348623157e308), "-1.7976931348623157e+308");
  EXPECT_EQ(fmt(5e-324), "5e-324");
}

TEST(JsonTextTest, NanWordsAreCaseInsensitive) {
  for (const char* w : {"NaN", "nan", "NAN", "inf", "-inf", "INF", "Infinity", "-infinity"}) {
    EXPECT_TRUE(IsNanWord(w)) << w;
  }
  for (const char* w : {"", "na", "+inf", "nanx", "infinit", "0"}) EXPECT_FALSE(IsNanWord(w)) << w;
}

TEST(JsonTextTest, JsonNumberGrammar) {
  for (const char* ok : {"0", "-0", "1e400", "12.5", "1E+3", "-1.0e-9", "7 \n"}) {
    EXPECT_TRUE(IsJsonNumber(ok)) << ok;
  }
  for (const char* bad : {"", "-", "01", "1.", ".5", "1e", "+1", "1x", "0x10"}) {
    EXPECT_FALSE(IsJsonNumber(bad)) << bad;
  }
}

// The body of a JSON string (after its opening quote), padded as simdjson input is.
UnescapeResult Unescape(std::string body, char* out, std::size_t cap) {
  body.append(kLinePadding, ' ');
  return UnescapeJsonString(body.data(), out, cap);
}

TEST(JsonTextTest, UnescapeRejectsInvalidEscapes) {
  char buf[16];
  EXPECT_FALSE(Unescape(R"(\q")", buf, sizeof buf).ok);
  EXPECT_FALSE(Unescape(R"(\u12g4")", buf, sizeof buf).ok);
  EXPECT_FALSE(Unescape(R"(\u12")", buf, sizeof buf).ok);
  const UnescapeResult r = Unescape(R"(a\tb")", buf, sizeof buf);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(std::string_view(buf, r.size), "a\tb");
}

TEST(JsonTextTest, UnescapeStopsAtTheCapacity) {
  char buf[10];
  const UnescapeResult r = Unescape("abcdefghijklmnop\"", buf, sizeof buf);
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(std::string_view(buf, r.size), "abcdefghij");
}

}  // namespace
}  // namespace modelwatch::parse
