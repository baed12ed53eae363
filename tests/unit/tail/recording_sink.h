// A LineSink for tests: records lines (and over-long markers) in order, and checks the padding
// contract of every line it is handed.
#ifndef MODELWATCH_TESTS_UNIT_TAIL_RECORDING_SINK_H_
#define MODELWATCH_TESTS_UNIT_TAIL_RECORDING_SINK_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <modelwatch/core/line.h>
#include <modelwatch/tail/line_sink.h>

namespace modelwatch::tail {

inline constexpr const char* kTooLongMarker = "<too long>";

class RecordingSink : public LineSink {
 public:
  void OnLine(const Line& line) override {
    EXPECT_FALSE(line.text.empty());
    EXPECT_GE(line.capacity, line.text.size() + kLinePadding);
    // Reading the last promised byte lets ASan catch a capacity that overstates the buffer.
    volatile char last = line.text.data()[line.capacity - 1];
    (void)last;
    events.emplace_back(line.text);
  }
  void OnLineTooLong() override { events.emplace_back(kTooLongMarker); }

  // The events so far, then forgets them.
  std::vector<std::string> Take() { return std::exchange(events, {}); }

  std::vector<std::string> events;
};

}  // namespace modelwatch::tail

#endif  // MODELWATCH_TESTS_UNIT_TAIL_RECORDING_SINK_H_
