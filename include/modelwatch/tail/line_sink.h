// Where the tailer hands complete lines.
#ifndef MODELWATCH_TAIL_LINE_SINK_H_
#define MODELWATCH_TAIL_LINE_SINK_H_

#include <modelwatch/core/line.h>

namespace modelwatch::tail {

class LineSink {
 public:
  virtual ~LineSink() = default;
  // A complete, non-blank line. line.text is valid only during the call.
  virtual void OnLine(const Line& line) = 0;
  // A line longer than max_line_bytes was skipped up to its newline (never buffered whole).
  virtual void OnLineTooLong() = 0;
};

}  // namespace modelwatch::tail

#endif  // MODELWATCH_TAIL_LINE_SINK_H_
