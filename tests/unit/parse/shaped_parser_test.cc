// Log shapes, parts 2-5 and 7: batch rows, tensors, decode, match, pair, in-line labels.
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "parse/text_codecs.h"
#include "shaped_test_util.h"

namespace modelwatch::parse {
namespace {

using testing::LoadModel;
using testing::ShapedHarness;

TEST(ShapedBatchTest, RowsWithANamesHeaderAndPerRowIds) {
  ShapedHarness h(LoadModel(
      "    record: { request_id: /id, batch: { path: /data/ndarray, names: /data/names } }\n"
      "    features:\n"
      "      - { name: a, path: 0/age }\n"
      "      - { name: c, path: 0/city, type: categorical }\n"
      "      - { name: z, path: 0/2 }\n"));
  h.Parse(R"({"id":"r1","data":{"names":["city","age"],"ndarray":[["Oslo",31],["Rome",45]]}})");
  ASSERT_EQ(h.sink.records.size(), 2u);
  EXPECT_EQ(h.sink.records[0].request_id, "r1-item-0");
  EXPECT_EQ(h.sink.records[1].request_id, "r1-item-1");
  EXPECT_DOUBLE_EQ(h.sink.records[1].fields[0].number, 45);
  EXPECT_EQ(h.sink.records[0].texts[1], "Oslo");
  EXPECT_EQ(h.sink.records[0].fields[2].state, ValueState::kMissing);
  // A batch of one keeps the line's id; an empty batch gives no record.
  h.Parse(R"({"id":"r2","data":{"names":["city","age"],"ndarray":[["Oslo",31]]}})");
  ASSERT_EQ(h.sink.records.size(), 3u);
  EXPECT_EQ(h.sink.records[2].request_id, "r2");
  h.Parse(R"({"id":"r3","data":{"ndarray":[]}})");
  EXPECT_EQ(h.sink.records.size(), 3u);
}

TEST(ShapedBatchTest, IndexSegmentReachesAParallelArray) {
  ShapedHarness h(
      LoadModel("    record: { batch: { path: /instances } }\n"
                "    features: [{ name: x, path: 0/0 }]\n"
                "    outputs: [{ name: y, path: \"/predictions/{index}\", type: categorical }]\n"));
  h.Parse(R"({"instances":[[1],[2],[3]],"predictions":["a","b"]})");
  ASSERT_EQ(h.sink.records.size(), 3u);
  EXPECT_EQ(h.sink.records[1].texts[1], "b");
  EXPECT_EQ(h.sink.records[2].fields[1].state, ValueState::kMissing);
}

TEST(ShapedTensorTest, FlatNestedAndSeldonContents) {
  ShapedHarness h(
      LoadModel("    record: { batch: { tensors: [/inputs, /outputs] } }\n"
                "    features:\n"
                "      - { name: f1, tensor: input-0, column: 1 }\n"
                "      - { name: age, tensor: age }\n"
                "    outputs: [{ name: y, tensor: out }]\n",
                "  parse: { numbers_in_strings: true }\n"));
  // Flat row-major data, shape [2,3]; a per-column tensor (MLServer's pandas codec).
  h.Parse(R"({"inputs":[{"name":"input-0","shape":[2,3],"datatype":"FP32","data":[1,2,3,4,5,6]},)"
          R"({"name":"age","shape":[2,1],"data":[[30],[40]]}],)"
          R"("outputs":[{"name":"out","shape":[2],"data":[0.1,0.9]}]})");
  ASSERT_EQ(h.sink.records.size(), 2u);
  EXPECT_DOUBLE_EQ(h.sink.records[1].fields[0].number, 5);
  EXPECT_DOUBLE_EQ(h.sink.records[1].fields[1].number, 40);
  EXPECT_DOUBLE_EQ(h.sink.records[1].fields[2].number, 0.9);
  // Nested data; Seldon Core 2's contents with int64 as strings and shape as strings.
  h.Parse(
      R"({"inputs":[{"name":"input-0","shape":[1,3],"data":[[7,8,9]]},)"
      R"({"name":"age","shape":["1"],"datatype":"INT64","contents":{"int64Contents":["52"]}}]})");
  ASSERT_EQ(h.sink.records.size(), 3u);
  EXPECT_DOUBLE_EQ(h.sink.records[2].fields[0].number, 8);
  EXPECT_DOUBLE_EQ(h.sink.records[2].fields[1].number, 52);
  EXPECT_EQ(h.sink.records[2].fields[2].state, ValueState::kMissing);
}

TEST(ShapedDecodeTest, AutoFollowsTheEncodingField) {
  ShapedHarness h(LoadModel(
      "    record:\n"
      "      decode: [{ path: /in/data, as: auto, encoding: /in/encoding,\n"
      "                 content_type: /in/type }]\n"
      "      batch: { path: /in/data }\n"
      "    features: [{ name: a, path: 0/0 }, { name: b, path: 0/1, type: categorical }]\n"));
  h.Parse(R"({"in":{"data":"1,\"x,y\"\n2,z\n","encoding":"CSV","type":"text/csv"}})");
  h.Parse(R"({"in":{"data":"[[3,\"w\"]]","encoding":"JSON","type":"application/json"}})");
  // base64("4,v\n") with a CSV content type; base64 of JSON without one.
  h.Parse(R"({"in":{"data":"NCx2Cg==","encoding":"BASE64","type":"text/csv"}})");
  h.Parse(R"({"in":{"data":"W1s1LCJ1Il1d","encoding":"BASE64"}})");
  ASSERT_EQ(h.sink.records.size(), 5u);
  EXPECT_EQ(h.sink.records[0].texts[1], "x,y");
  EXPECT_DOUBLE_EQ(h.sink.records[1].fields[0].number, 2);
  EXPECT_EQ(h.sink.records[2].texts[1], "w");
  EXPECT_DOUBLE_EQ(h.sink.records[3].fields[0].number, 4);
  EXPECT_EQ(h.sink.records[4].texts[1], "u");
  // An embedded document that is not JSON rejects the line.
  h.Parse(R"({"in":{"data":"[[1,","encoding":"JSON"}})");
  ASSERT_EQ(h.sink.rejects.size(), 1u);
  EXPECT_EQ(h.sink.rejects[0], ParseOutcome::kInvalidJson);
}

TEST(ShapedMatchTest, LinesOfOtherModelsAreFilteredNotRejected) {
  ShapedHarness h(
      LoadModel("    match: { path: /isvc, in: [iris, iris-canary] }\n"
                "    features: [{ name: x, path: /x }]\n"));
  h.Parse(R"({"isvc":"iris","x":1})");
  h.Parse(R"({"isvc":"fraud","x":2})");
  h.Parse(R"({"x":3})");
  h.Parse(R"({"isvc":"iris-canary","x":4})");
  EXPECT_EQ(h.sink.records.size(), 2u);
  EXPECT_EQ(h.sink.filtered, 2);
  EXPECT_TRUE(h.sink.rejects.empty());
  ShapedHarness re(
      LoadModel("    match: { path: /isvc, regex: \"iris-.*\" }\n"
                "    features: [{ name: x, path: /x }]\n"));
  re.Parse(R"({"isvc":"iris-v2","x":1})");
  re.Parse(R"({"isvc":"my-iris-v2","x":1})");  // anchored: the whole value must match
  EXPECT_EQ(re.sink.records.size(), 1u);
}

config::ModelConfig PairModel(const std::string& extra = "") {
  return LoadModel(
      "    record:\n"
      "      pair: { key: /id, kind: { path: /type, request: req, response: resp },\n"
      "              timeout: 10s, max_pending: 2 }\n"
      "      timestamp: { path: /request/t, format: unix_seconds }\n"
      "      latency: { from_pair: true }\n" +
          extra +
          "    features: [{ name: x, path: /request/x }]\n"
          "    outputs: [{ name: y, path: /response/y }]\n",
      "  time: event\n");
}

TEST(ShapedPairTest, JoinsHalvesInEitherOrderWithLatency) {
  ShapedHarness h(PairModel());
  h.Parse(R"({"id":"a","type":"req","t":100,"x":1})");
  h.Parse(R"({"id":"b","type":"resp","t":101.5,"y":7})");  // before its request
  h.Parse(R"({"id":"a","type":"resp","t":100.25,"y":5})");
  h.Parse(R"({"id":"b","type":"req","t":101,"x":2})");
  h.Parse(R"({"id":"c","type":"feedback","t":102})");
  ASSERT_EQ(h.sink.records.size(), 2u);
  EXPECT_DOUBLE_EQ(h.sink.records[0].fields[1].number, 5);
  EXPECT_DOUBLE_EQ(h.sink.records[0].latency, 0.25);
  EXPECT_DOUBLE_EQ(h.sink.records[0].timestamp, 100);
  EXPECT_DOUBLE_EQ(h.sink.records[1].fields[0].number, 2);
  EXPECT_DOUBLE_EQ(h.sink.records[1].latency, 0.5);
  EXPECT_EQ(h.sink.filtered, 1);
  EXPECT_EQ(h.parser().pending(), 0u);
}

TEST(ShapedPairTest, ALoneRequestBecomesARecordWithoutOutputsAfterTheTimeout) {
  ShapedHarness h(PairModel());
  h.Parse(R"({"id":"a","type":"req","t":100,"x":1})");
  h.Parse(R"({"id":"z","type":"resp","t":105,"y":1})");
  EXPECT_TRUE(h.sink.records.empty());
  h.Parse(R"({"id":"b","type":"req","t":111,"x":2})");  // the clock passes 100 + 10s
  ASSERT_EQ(h.sink.records.size(), 1u);
  EXPECT_DOUBLE_EQ(h.sink.records[0].fields[0].number, 1);
  EXPECT_EQ(h.sink.records[0].fields[1].state, ValueState::kMissing);
  EXPECT_EQ(h.sink.records[0].latency_state, ValueState::kMissing);
  EXPECT_EQ(h.sink.unpaired_requests, 1);
  h.Expire(0, /*all=*/true);  // end of a one-shot read
  EXPECT_EQ(h.sink.unpaired_responses, 1);
  EXPECT_EQ(h.sink.unpaired_requests, 2);
  EXPECT_EQ(h.sink.records.size(), 2u);
}

TEST(ShapedPairTest, BoundedByMaxPending) {
  ShapedHarness h(PairModel());
  h.Parse(R"({"id":"a","type":"req","t":100,"x":1})");
  h.Parse(R"({"id":"b","type":"req","t":100,"x":2})");
  h.Parse(R"({"id":"c","type":"req","t":100,"x":3})");  // evicts a
  EXPECT_EQ(h.parser().pending(), 2u);
  EXPECT_EQ(h.sink.unpaired_requests, 1);
  ASSERT_EQ(h.sink.records.size(), 1u);
  EXPECT_DOUBLE_EQ(h.sink.records[0].fields[0].number, 1);
}

TEST(ShapedLabelTest, InLineLabelsAndProbabilities) {
  ShapedHarness h(
      LoadModel("    features: [{ name: x, path: /x }]\n"
                "    outputs:\n"
                "      - { name: pred, path: /pred, type: categorical }\n"
                "      - { name: p, path: /proba, type: probabilities, classes: [a, b, c] }\n"
                "    ground_truth:\n"
                "      source: predictions\n"
                "      record: { label: /target }\n"
                "      prediction: pred\n"
                "      task: multiclass_classification\n",
                "  parse: { numbers_in_strings: true }\n"));
  h.Parse(R"({"x":1,"pred":"a","target":"b","proba":[0.7,0.2,0.1]})");
  h.Parse(R"({"x":1,"pred":"a","target":"1.0","proba":{"c":0.5,"a":"0.5"}})");
  ASSERT_EQ(h.sink.records.size(), 2u);
  EXPECT_EQ(h.sink.records[0].label_text, "b");
  EXPECT_EQ(h.sink.records[0].probabilities, (std::vector<double>{0.7, 0.2, 0.1}));
  EXPECT_EQ(h.sink.records[1].label_text, "1");
  EXPECT_DOUBLE_EQ(h.sink.records[1].probabilities[0], 0.5);
  EXPECT_TRUE(std::isnan(h.sink.records[1].probabilities[1]));
  EXPECT_DOUBLE_EQ(h.sink.records[1].probabilities[2], 0.5);
}

TEST(ShapedNanTest, NanLiteralsRepairTheLine) {
  ShapedHarness h(
      LoadModel("    match: { path: /m, equals: a }\n"
                "    features: [{ name: x, path: /x }]\n",
                "  parse: { nan_literals: true }\n"));
  h.Parse(R"({"m":"a","x":NaN})");
  ASSERT_EQ(h.sink.records.size(), 1u);
  EXPECT_EQ(h.sink.records[0].fields[0].state, ValueState::kNan);
  h.Parse(R"({"m":"a","x":nan})");
  EXPECT_EQ(h.sink.rejects.size(), 1u);
}

TEST(TextCodecsTest, Base64AndCsv) {
  std::string out;
  ASSERT_TRUE(Base64Decode("aGVsbG8=", &out));
  EXPECT_EQ(out, "hello");
  ASSERT_TRUE(Base64Decode("aGVsbG8", &out));
  EXPECT_EQ(out, "hello");
  EXPECT_FALSE(Base64Decode("a*b=", &out));
  out.clear();
  CsvToJson("1,2.5,x\r\n\n\"a\"\"b\",,-3\n", &out);
  EXPECT_EQ(out, R"([[1,2.5,"x"],["a\"b","",-3]])");
  EXPECT_TRUE(IsCsvContentType("text/csv; charset=utf-8"));
  EXPECT_FALSE(IsCsvContentType("application/json"));
}

}  // namespace
}  // namespace modelwatch::parse
