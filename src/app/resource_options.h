// The ResourceMonitor's options from the configuration: `resources:` and every model's
// `process:` and `cost_per_hour:`.
#ifndef MODELWATCH_APP_RESOURCE_OPTIONS_H_
#define MODELWATCH_APP_RESOURCE_OPTIONS_H_

#include <modelwatch/config/config.h>
#include <modelwatch/resources/monitor.h>

namespace modelwatch::app {

resources::MonitorOptions ResourceOptions(const config::Config& cfg);

}  // namespace modelwatch::app

#endif  // MODELWATCH_APP_RESOURCE_OPTIONS_H_
