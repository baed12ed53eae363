// Helpers for the parse tests: a parser over a layout, fed lines in padded buffers.
#ifndef MODELWATCH_TESTS_UNIT_PARSE_PARSE_TEST_UTIL_H_
#define MODELWATCH_TESTS_UNIT_PARSE_PARSE_TEST_UTIL_H_

#include <memory>
#include <string>
#include <string_view>

#include <gtest/gtest.h>
#include <modelwatch/parse/record_parser.h>

namespace modelwatch::parse::testing {

inline FieldSpec Numeric(std::string pointer) {
  return {std::move(pointer), config::FeatureType::kNumeric};
}
inline FieldSpec Categorical(std::string pointer) {
  return {std::move(pointer), config::FeatureType::kCategorical};
}
inline RecordLayout Fields(std::vector<FieldSpec> fields) {
  RecordLayout layout;
  layout.fields = std::move(fields);
  return layout;
}

// Owns a parser and a record; each line is parsed in place in a buffer where `after` follows
// the text (as the next lines would), then padding of '}' (the worst case for simdjson).
class Harness {
 public:
  explicit Harness(const RecordLayout& layout) {
    auto created = RecordParser::Create(layout);
    EXPECT_TRUE(created.ok()) << created.status().message();
    parser_ = std::move(created).value();
    record_ = parser_->NewRecord();
  }

  ParseOutcome Parse(std::string_view text, std::string_view after = "") {
    buffer_.assign(text);
    buffer_.append(after);
    buffer_.append(kLinePadding, '}');
    return parser_->Parse(Line{std::string_view(buffer_.data(), text.size()), buffer_.size()},
                          &record_);
  }

  const Record& record() const { return record_; }
  const FieldValue& field(std::size_t i) const { return record_.fields.at(i); }
  RecordParser& parser() { return *parser_; }

 private:
  std::unique_ptr<RecordParser> parser_;
  Record record_;
  std::string buffer_;
};

}  // namespace modelwatch::parse::testing

#endif  // MODELWATCH_TESTS_UNIT_PARSE_PARSE_TEST_UTIL_H_
