#include "app/cli.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/fmt/fmt.h>
#include <spdlog/version.h>
#include <boost/version.hpp>

#include <modelwatch/config/config.h>
#include <modelwatch/parse/record_parser.h>

#include "app/baseline_command.h"
#include "app/build_info.h"
#include "app/check.h"
#include "app/demo_command.h"
#include "app/run.h"

namespace modelwatch::app {

namespace {

constexpr const char* kUsage =
    "usage: modelwatch <command> [flags]\n"
    "\n"
    "commands:\n"
    "  run --config FILE [--one-shot] [--web.listen-address ADDR] [--log.level L] "
    "[--log.format F]\n"
    "      the daemon (modelwatch --config FILE means the same); --one-shot reads every\n"
    "      source from its first byte, prints the exposition and exits\n"
    "  check-config --config FILE    validate; print every problem as FILE:LINE:COL: message\n"
    "  baseline --config FILE --model NAME [--reference PATH] --out FILE\n"
    "      profile the model's reference (or PATH) into a baseline file for reference.baseline\n"
    "  check --config FILE --model NAME --current PATH [--current-format log|rows]\n"
    "        [--reference PATH] [--fail-on feature|dataset|quality|none] [--format text|json]\n"
    "        [--labels PATH]  with a label log: model quality of CURRENT joined by request id\n"
    "      drift and data quality of CURRENT (one sample, window all) against the reference;\n"
    "      exit 3 when --fail-on finds drift (default feature: any feature or output) or, with\n"
    "      quality, a field whose invalid share exceeds the reference's by over 0.05; 4 when no\n"
    "      feature reached min_samples; --reference takes rows, log lines or a baseline file\n"
    "  demo [--scenario none|drift|quality|latency|labels] [--web.listen-address ADDR] [--dir "
    "DIR]\n"
    "       [--rate N] [--traffic-only]\n"
    "      synthetic fraud-model traffic in a temporary directory (or DIR), served on :10100;\n"
    "      --traffic-only writes the reference, configuration and live log without a daemon\n"
    "      (a model-server simulator for the compose stack and Kubernetes)\n"
    "  version                       version, revision, compiler\n";

// Flags of one command: "--name value" or "--name=value"; booleans listed in `switches`.
struct Flags {
  std::map<std::string, std::string> values;
  std::vector<std::string> positional;
  std::string error;
};

// The usage error for the first flag of `required` ({name, value placeholder}) that is absent,
// or for a positional argument; empty when there is none.
std::string Missing(const Flags& f, const char* command,
                    const std::vector<std::pair<const char*, const char*>>& required) {
  if (!f.error.empty()) return f.error;
  if (!f.positional.empty()) return "unexpected argument " + f.positional[0];
  for (const auto& [name, placeholder] : required) {
    if (!f.values.count(name)) {
      return std::string(command) + " needs --" + name + " " + placeholder;
    }
  }
  return "";
}

Flags ParseFlags(int argc, char** argv, int start, const std::vector<std::string>& known,
                 const std::vector<std::string>& switches) {
  Flags f;
  for (int i = start; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0) {
      f.positional.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    bool is_switch = false;
    for (const auto& s : switches) is_switch |= s == name;
    bool is_known = is_switch;
    for (const auto& k : known) is_known |= k == name;
    if (!is_known) {
      f.error = "unknown flag --" + name;
      return f;
    }
    if (is_switch) {
      f.values[name] = value.value_or("true");
      continue;
    }
    if (!value) {
      if (i + 1 >= argc) {
        f.error = "flag --" + name + " needs a value";
        return f;
      }
      value = argv[++i];
    }
    f.values[name] = *value;
  }
  return f;
}

bool WantsHelp(int argc, char** argv, int start) {
  for (int i = start; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) return true;
  }
  return false;
}

int Usage(const std::string& error) {
  if (!error.empty()) std::fprintf(stderr, "modelwatch: %s\n\n", error.c_str());
  std::fputs(kUsage, stderr);
  return kExitUsage;
}

int RunCommand(int argc, char** argv, int start) {
  Flags f = ParseFlags(
      argc, argv, start,
      {"config", "web.listen-address", "web.config.file", "log.level", "log.format"}, {"one-shot"});
  if (std::string e = Missing(f, "run", {{"config", "FILE"}}); !e.empty()) return Usage(e);
  RunOptions o;
  o.config_path = f.values["config"];
  o.one_shot = f.values.count("one-shot") && f.values["one-shot"] != "false";
  if (f.values.count("web.listen-address")) o.listen_address = f.values["web.listen-address"];
  if (f.values.count("web.config.file")) o.web_config_file = f.values["web.config.file"];
  if (f.values.count("log.level")) o.log_level = f.values["log.level"];
  if (f.values.count("log.format")) o.log_format = f.values["log.format"];
  return Run(o);
}

int CheckConfigCommand(int argc, char** argv) {
  Flags f = ParseFlags(argc, argv, 2, {"config"}, {});
  if (std::string e = Missing(f, "check-config", {{"config", "FILE"}}); !e.empty()) {
    return Usage(e);
  }
  config::LoadResult r = config::LoadConfigFile(f.values["config"]);
  for (const auto& e : r.errors) std::printf("%s\n", e.ToString().c_str());
  if (!r.errors.empty()) return kExitError;
  std::printf("%s: OK (%zu model(s))\n", f.values["config"].c_str(), r.config->models.size());
  return kExitOk;
}

int DemoCommand(int argc, char** argv) {
  Flags f = ParseFlags(argc, argv, 2, {"scenario", "web.listen-address", "dir", "rate"},
                       {"traffic-only"});
  if (std::string e = Missing(f, "demo", {}); !e.empty()) return Usage(e);
  DemoOptions o;
  if (f.values.count("scenario")) o.scenario = f.values["scenario"];
  if (o.scenario != "none" && o.scenario != "drift" && o.scenario != "quality" &&
      o.scenario != "latency" && o.scenario != "labels") {
    return Usage("--scenario must be none, drift, quality, latency or labels");
  }
  if (f.values.count("web.listen-address")) o.listen_address = f.values["web.listen-address"];
  if (f.values.count("dir")) o.directory = f.values["dir"];
  if (f.values.count("traffic-only")) {
    if (f.values["traffic-only"] != "true") return Usage("--traffic-only takes no value");
    o.traffic_only = true;
  }
  if (f.values.count("rate")) {
    const std::string& text = f.values["rate"];
    char* end = nullptr;
    o.rate = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !(o.rate > 0) || o.rate > 1e6) {
      return Usage("--rate must be a number of predictions per second in (0, 1000000]");
    }
  }
  return RunDemo(o);
}

int BaselineCommandFromFlags(int argc, char** argv) {
  Flags f = ParseFlags(argc, argv, 2, {"config", "model", "reference", "out"}, {});
  if (std::string e = Missing(f, "baseline", {{"config", "FILE"}, {"out", "FILE"}}); !e.empty()) {
    return Usage(e);
  }
  BaselineOptions o;
  o.config_path = f.values["config"];
  o.model = f.values["model"];
  o.reference = f.values["reference"];
  o.out = f.values["out"];
  return BaselineCommand(o);
}

int CheckCommand(int argc, char** argv) {
  Flags f = ParseFlags(
      argc, argv, 2,
      {"config", "model", "current", "current-format", "reference", "fail-on", "format", "labels"},
      {});
  if (std::string e = Missing(f, "check", {{"config", "FILE"}, {"current", "PATH"}}); !e.empty()) {
    return Usage(e);
  }
  CheckOptions o;
  o.config_path = f.values["config"];
  o.model = f.values["model"];
  o.current = f.values["current"];
  o.reference = f.values["reference"];
  o.labels = f.values["labels"];
  const std::string cf = f.values.count("current-format") ? f.values["current-format"] : "log";
  if (cf != "log" && cf != "rows") return Usage("--current-format must be log or rows");
  o.current_format = cf == "rows" ? CurrentFormat::kRows : CurrentFormat::kLog;
  static const std::map<std::string, FailOn> kFailOn = {{"feature", FailOn::kFeature},
                                                        {"dataset", FailOn::kDataset},
                                                        {"quality", FailOn::kQuality},
                                                        {"none", FailOn::kNone}};
  if (f.values.count("fail-on")) {
    auto it = kFailOn.find(f.values["fail-on"]);
    if (it == kFailOn.end()) return Usage("--fail-on must be feature, dataset, quality or none");
    o.fail_on = it->second;
  }
  const std::string format = f.values.count("format") ? f.values["format"] : "text";
  if (format != "text" && format != "json") return Usage("--format must be text or json");
  o.json = format == "json";
  return Check(o);
}

}  // namespace

int Main(int argc, char** argv) {
  const std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd.empty() || cmd == "help" || cmd == "--help" || cmd == "-h") {
    std::fputs(kUsage, cmd.empty() ? stderr : stdout);
    return cmd.empty() ? kExitUsage : kExitOk;
  }
  if (WantsHelp(argc, argv, 2)) {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  if (cmd == "version" || cmd == "--version") {
    std::printf("modelwatch %s (revision %s, %s, C++%ld)\n", kVersion, kRevision, kCompiler,
                __cplusplus / 100 % 100);
    std::printf("  simdjson %s (%s), Boost %d.%d.%d, spdlog %d.%d.%d, fmt %d\n",
                parse::SimdjsonVersion(), parse::SimdjsonImplementation(), BOOST_VERSION / 100000,
                BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100, SPDLOG_VER_MAJOR, SPDLOG_VER_MINOR,
                SPDLOG_VER_PATCH, FMT_VERSION);
    return kExitOk;
  }
  if (cmd == "run") return RunCommand(argc, argv, 2);
  if (cmd.rfind("--config", 0) == 0) return RunCommand(argc, argv, 1);
  if (cmd == "check-config") return CheckConfigCommand(argc, argv);
  if (cmd == "demo") return DemoCommand(argc, argv);
  if (cmd == "check") return CheckCommand(argc, argv);
  if (cmd == "baseline") return BaselineCommandFromFlags(argc, argv);
  return Usage("unknown command '" + cmd + "'");
}

}  // namespace modelwatch::app
