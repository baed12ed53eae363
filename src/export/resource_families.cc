// Resource families (interface.md §4.6): the model servers, GPUs, filesystems and cost, from a
// live ResourceMonitor reading. Rendered with the self-health families.
#include <optional>
#include <string>

#include "export/family_builder.h"

namespace modelwatch::exposition {

using prometheus::MetricType;

namespace {

void ServerFamilies(const resources::Readings& r, Families* out) {
  const std::string p = "modelwatch_model_server_";
  FamilyBuilder up(p + "up", "1 when the model server process (or cgroup) is there.",
                   MetricType::Gauge);
  FamilyBuilder cpu(p + "cpu_seconds_total", "User and system CPU time of the model server.",
                    MetricType::Counter);
  FamilyBuilder rss(p + "resident_memory_bytes",
                    "Resident memory of the model server (cgroup: memory.current).",
                    MetricType::Gauge);
  FamilyBuilder vsz(p + "virtual_memory_bytes", "Virtual memory size of the model server.",
                    MetricType::Gauge);
  FamilyBuilder fds(p + "open_fds", "Open file descriptors of the model server.",
                    MetricType::Gauge);
  FamilyBuilder threads(p + "threads", "Threads of the model server.", MetricType::Gauge);
  FamilyBuilder read(p + "read_bytes_total", "Bytes the model server read from storage.",
                     MetricType::Counter);
  FamilyBuilder written(p + "written_bytes_total", "Bytes the model server wrote to storage.",
                        MetricType::Counter);
  FamilyBuilder limit(p + "memory_limit_bytes", "cgroup v2 memory.max of the model server.",
                      MetricType::Gauge);
  FamilyBuilder throttled(p + "cpu_throttled_seconds_total",
                          "Time the model server's cgroup was throttled (cpu.stat).",
                          MetricType::Counter);
  FamilyBuilder info(p + "info", "The model server found; the value is always 1.",
                     MetricType::Gauge);
  FamilyBuilder errors(p + "read_errors_total",
                       "Parts of the model server's reading that could not be read, by file.",
                       MetricType::Counter);
  for (const resources::ModelServerReading& s : r.servers) {
    const Labels l = {{"model", s.model}};
    const resources::ModelServerSample& v = s.sample;
    up.Add(l, v.up ? 1 : 0);
    auto add = [&](FamilyBuilder& f, const std::optional<double>& x) {
      if (v.up && x) f.Add(l, *x);
    };
    add(cpu, v.cpu_seconds);
    add(rss, v.resident_bytes);
    add(vsz, v.virtual_bytes);
    add(fds, v.open_fds);
    add(threads, v.threads);
    add(read, v.read_bytes);
    add(written, v.written_bytes);
    add(limit, v.memory_limit_bytes);
    add(throttled, v.cpu_throttled_seconds);
    if (v.up) {
      info.Add({{"model", s.model},
                {"pid", std::to_string(v.pid)},
                {"comm", v.comm},
                {"cgroup", v.cgroup}},
               1);
    }
    for (int i = 0; i < resources::kReadParts; ++i) {
      errors.Add(With(l, "file", resources::ReadPartName(static_cast<resources::ReadPart>(i))),
                 static_cast<double>(s.errors[static_cast<std::size_t>(i)]));
    }
  }
  for (FamilyBuilder* f : {&up, &cpu, &rss, &vsz, &fds, &threads, &read, &written, &limit,
                           &throttled, &info, &errors}) {
    f->MoveTo(out);
  }
}

void GpuFamilies(const resources::Readings& r, Families* out) {
  const std::string p = "modelwatch_gpu_";
  FamilyBuilder util(p + "utilization_ratio", "GPU busy share over NVML's last sample period.",
                     MetricType::Gauge);
  FamilyBuilder used(p + "memory_used_bytes", "GPU memory in use.", MetricType::Gauge);
  FamilyBuilder total(p + "memory_total_bytes", "GPU memory in all.", MetricType::Gauge);
  FamilyBuilder power(p + "power_watts", "GPU power draw.", MetricType::Gauge);
  FamilyBuilder temp(p + "temperature_celsius", "GPU die temperature.", MetricType::Gauge);
  for (const resources::GpuSample& g : r.gpus) {
    const Labels l = {{"gpu", std::to_string(g.index)}, {"uuid", g.uuid}};
    if (g.utilization_ratio) util.Add(l, *g.utilization_ratio);
    if (g.memory_used_bytes) used.Add(l, *g.memory_used_bytes);
    if (g.memory_total_bytes) total.Add(l, *g.memory_total_bytes);
    if (g.power_watts) power.Add(l, *g.power_watts);
    if (g.temperature_celsius) temp.Add(l, *g.temperature_celsius);
  }
  for (FamilyBuilder* f : {&util, &used, &total, &power, &temp}) f->MoveTo(out);
  if (r.gpu_open) {
    FamilyBuilder errors(p + "read_errors_total", "NVML queries that failed.", MetricType::Counter);
    errors.Add({}, static_cast<double>(r.gpu_errors));
    errors.MoveTo(out);
  }
}

void FilesystemFamilies(const resources::Readings& r, Families* out) {
  FamilyBuilder free("modelwatch_filesystem_free_bytes",
                     "Bytes available to unprivileged users on the filesystem of the path.",
                     MetricType::Gauge);
  FamilyBuilder size("modelwatch_filesystem_size_bytes", "Size of the filesystem of the path.",
                     MetricType::Gauge);
  FamilyBuilder errors("modelwatch_filesystem_read_errors_total",
                       "Failed statvfs calls on the path.", MetricType::Counter);
  for (const resources::FilesystemReading& f : r.filesystems) {
    const Labels l = {{"path", f.path}};
    if (f.ok) {
      free.Add(l, f.free_bytes);
      size.Add(l, f.size_bytes);
    }
    errors.Add(l, static_cast<double>(f.errors));
  }
  free.MoveTo(out);
  size.MoveTo(out);
  errors.MoveTo(out);
}

}  // namespace

void ResourceFamilies(const resources::Readings& r, Families* out) {
  ServerFamilies(r, out);
  GpuFamilies(r, out);
  FilesystemFamilies(r, out);
  FamilyBuilder cost("modelwatch_cost_per_hour", "What the model costs to run, per hour.",
                     MetricType::Gauge);
  for (const resources::CostReading& c : r.costs) {
    cost.Add({{"model", c.model}, {"currency", c.currency}}, c.per_hour);
  }
  cost.MoveTo(out);
}

}  // namespace modelwatch::exposition
