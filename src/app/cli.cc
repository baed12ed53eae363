#include "app/cli.h"

#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <modelwatch/config/config.h>

#include "app/build_info.h"
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
    "  demo [--scenario none|drift] [--web.listen-address ADDR]\n"
    "      synthetic fraud-model traffic in a temporary directory, served on :10100\n"
    "  version                       version, revision, compiler\n";

// Flags of one command: "--name value" or "--name=value"; booleans listed in `switches`.
struct Flags {
  std::map<std::string, std::string> values;
  std::vector<std::string> positional;
  std::string error;
};

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
  if (!f.error.empty()) return Usage(f.error);
  if (!f.positional.empty()) return Usage("unexpected argument " + f.positional[0]);
  if (!f.values.count("config")) return Usage("run needs --config FILE");
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
  if (!f.error.empty()) return Usage(f.error);
  if (!f.values.count("config")) return Usage("check-config needs --config FILE");
  config::LoadResult r = config::LoadConfigFile(f.values["config"]);
  for (const auto& e : r.errors) std::printf("%s\n", e.ToString().c_str());
  if (!r.errors.empty()) return kExitError;
  std::printf("%s: OK (%zu model(s))\n", f.values["config"].c_str(), r.config->models.size());
  return kExitOk;
}

int DemoCommand(int argc, char** argv) {
  Flags f = ParseFlags(argc, argv, 2, {"scenario", "web.listen-address", "dir", "rate"}, {});
  if (!f.error.empty()) return Usage(f.error);
  DemoOptions o;
  if (f.values.count("scenario")) o.scenario = f.values["scenario"];
  if (o.scenario != "none" && o.scenario != "drift") {
    return Usage("--scenario must be none or drift (more scenarios come with later releases)");
  }
  if (f.values.count("web.listen-address")) o.listen_address = f.values["web.listen-address"];
  if (f.values.count("dir")) o.directory = f.values["dir"];
  if (f.values.count("rate")) o.rate = std::stod(f.values["rate"]);
  return RunDemo(o);
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
    return kExitOk;
  }
  if (cmd == "run") return RunCommand(argc, argv, 2);
  if (cmd.rfind("--config", 0) == 0) return RunCommand(argc, argv, 1);
  if (cmd == "check-config") return CheckConfigCommand(argc, argv);
  if (cmd == "demo") return DemoCommand(argc, argv);
  if (cmd == "check" || cmd == "baseline") {
    std::fprintf(stderr, "modelwatch %s: not available in this version yet\n", cmd.c_str());
    return kExitError;
  }
  return Usage("unknown command '" + cmd + "'");
}

}  // namespace modelwatch::app
