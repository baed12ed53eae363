// Private to src/parse: the state of a ShapedParser, shared by shaped_parser.cc (set-up,
// match, Parse), shaped_rows.cc (decode, batch rows, records) and shaped_pair.cc (pairing).
#ifndef MODELWATCH_PARSE_SHAPED_IMPL_H_
#define MODELWATCH_PARSE_SHAPED_IMPL_H_

#include <array>
#include <deque>
#include <optional>
#include <regex>
#include <string>
#include <unordered_map>
#include <vector>

#include <modelwatch/parse/shaped_parser.h>

#include "parse/json_text.h"
#include "parse/shaped_pointer.h"
#include "parse/value_tree.h"

namespace modelwatch::parse {

inline ParseOutcome ShapedOutcome(sj::error_code e) {
  return e == sj::UTF8_ERROR ? ParseOutcome::kInvalidUtf8 : ParseOutcome::kInvalidJson;
}

struct ShapedParser::Impl {
  // Configuration.
  config::ModelConfig model;
  ValueTree tree;
  od::parser parser;
  std::vector<CompiledPointer> timestamp, request_id;
  std::vector<CompiledPointer> half_timestamp;  // pair: timestamp pointers inside one half
  CompiledPointer model_version, latency, match, label, batch_rows, batch_names, pair_key,
      pair_kind;
  std::vector<CompiledPointer> tensor_arrays;
  std::vector<CompiledPointer> fields;
  std::vector<config::FeatureType> types;
  std::vector<int> field_tensor;  // slot in tensor_names, or -1
  std::vector<std::string> tensor_names;
  struct Decode {
    CompiledPointer path, encoding, content_type;
    config::DecodeAs as;
  };
  std::vector<Decode> decodes;
  std::vector<CompiledPointer> probabilities;
  std::vector<std::vector<std::uint32_t>> class_keys;  // per probabilities output
  std::optional<std::regex> match_regex;
  std::uint32_t key_name = 0, key_shape = 0, key_data = 0, key_contents = 0, key_request = 0,
                key_response = 0;
  std::vector<std::uint32_t> contents_keys;
  double units_per_second = 1;
  bool timestamp_required = false;
  bool label_numeric = false;  // in-line label of a regression: read as a number

  // Per line.
  Record record;
  std::vector<std::array<char, kMaxTextBytes>> field_text;
  std::array<char, kMaxTextBytes> version_text{}, label_text{}, scratch{};
  std::string id_text, row_id_text;
  std::vector<std::uint32_t> names_keys;
  std::vector<std::uint32_t> tensor_nodes;
  struct DecodeBuffers {
    std::string unescaped, decoded, json;
  };
  std::vector<DecodeBuffers> decode_buffers;
  std::string nan_text;  // the line with NaN literals quoted (parse.nan_literals)
  std::uint32_t root = kNoNode;

  // Pairing.
  struct Half {
    bool request = true;
    std::string text;
    double clock = 0;
    bool has_time = false;
    double time = 0;
    std::uint64_t seq = 0;
  };
  std::unordered_map<std::string, Half> pending;
  std::deque<std::pair<std::uint64_t, std::string>> order;
  std::uint64_t seq = 0;
  double clock = 0;

  Status Compile();
  CompiledPointer Pointer(const std::string& text) {
    return CompilePointer(text, [&](std::string_view k) { return tree.InternKey(k); });
  }
  std::uint32_t Resolve(const CompiledPointer& p, std::uint32_t row, std::uint64_t index) const {
    return ResolvePointer(tree, p, root, row, index, names_keys);
  }
  bool Text(std::uint32_t node, std::string_view* out);  // canonical text into scratch
  bool MatchOk();
  std::optional<double> HalfTime();
  ParseOutcome BuildLine(const char* data, std::size_t len, std::size_t capacity);
  ParseOutcome ApplyDecodes();
  ParseOutcome DecodeOne(std::size_t i);
  // Decodes, then one record per batch row to the sink; the outcome of the line.
  ParseOutcome Emit(Sink& sink, std::optional<double> pair_latency);
  void PrepareRows();
  std::uint32_t TensorValue(int slot, std::uint64_t row, std::uint64_t column) const;
  bool TensorDims(std::uint32_t tensor, std::array<std::uint64_t, 8>* dims, int* rank) const;
  std::uint64_t TensorRows() const;
  bool FillRecord(std::uint32_t row, std::uint64_t index, std::uint64_t rows);
  // Line-wide record slots (time, id, version, latency); false on an invalid escape.
  bool FillLineSlots(std::optional<double> pair_latency);
  void ParsePair(const Line& line, double now, Sink& sink);
  // Builds {"request": .., "response": ..} from the texts given (null: that half is absent).
  ParseOutcome BuildPair(std::string_view request, std::size_t request_capacity,
                         std::string_view response, std::size_t response_capacity);
  void Store(Sink& sink, Half half, const std::string& key);
  void Lone(Sink& sink, Half& half);
  void ExpireHalves(bool all, Sink& sink);
};

}  // namespace modelwatch::parse

#endif  // MODELWATCH_PARSE_SHAPED_IMPL_H_
