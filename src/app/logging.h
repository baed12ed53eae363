// spdlog set-up for the daemon: level and text/JSON format (exporter conventions).
#ifndef MODELWATCH_APP_LOGGING_H_
#define MODELWATCH_APP_LOGGING_H_

#include <string>

#include <modelwatch/core/status.h>

namespace modelwatch::app {

// level: debug|info|warn|error; format: text|json. Logs go to stderr.
Status SetUpLogging(const std::string& level, const std::string& format);

}  // namespace modelwatch::app

#endif  // MODELWATCH_APP_LOGGING_H_
