// `modelwatch demo`: synthetic traffic plus the daemon on it, until SIGINT/SIGTERM.
#ifndef MODELWATCH_APP_DEMO_COMMAND_H_
#define MODELWATCH_APP_DEMO_COMMAND_H_

#include "app/demo.h"

namespace modelwatch::app {

int RunDemo(const DemoOptions& options);

}  // namespace modelwatch::app

#endif  // MODELWATCH_APP_DEMO_COMMAND_H_
