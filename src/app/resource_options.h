// The ResourceMonitor's options from the configuration: `resources:` and every model's
// `process:` and `cost_per_hour:`.
#ifndef MODELWATCH_APP_RESOURCE_OPTIONS_H_
#define MODELWATCH_APP_RESOURCE_OPTIONS_H_

#include <memory>

#include <modelwatch/config/config.h>
#include <modelwatch/resources/monitor.h>

namespace modelwatch::app {

resources::MonitorOptions ResourceOptions(const config::Config& cfg);

// The monitor for cfg. Logs whether GPU metrics are on (NVML loaded, or why not) once: at start
// (previous null) and again only when a reload changes the answer.
std::shared_ptr<resources::ResourceMonitor> MakeMonitor(const config::Config& cfg,
                                                        const resources::ResourceMonitor* previous);

}  // namespace modelwatch::app

#endif  // MODELWATCH_APP_RESOURCE_OPTIONS_H_
