// Drift method names and default thresholds (statistics.md §3), and ConfigError formatting.
#include <optional>
#include <string>
#include <string_view>

#include <modelwatch/config/config.h>

namespace modelwatch::config {
namespace {

struct MethodInfo {
  DriftMethod method;
  const char* name;
  double default_threshold;
};

constexpr MethodInfo kMethods[] = {
    {DriftMethod::kAuto, "auto", 0},
    {DriftMethod::kPsi, "psi", 0.1},
    {DriftMethod::kKl, "kl", 0.1},
    {DriftMethod::kJensenShannon, "jensenshannon", 0.1},
    {DriftMethod::kHellinger, "hellinger", 0.1},
    {DriftMethod::kWasserstein, "wasserstein", 0.1},
    {DriftMethod::kKs, "ks", 0.05},
    {DriftMethod::kChiSquare, "chisquare", 0.05},
    {DriftMethod::kZ, "z", 0.05},
    {DriftMethod::kLinf, "linf", 0.1},
};

const MethodInfo* Find(DriftMethod m) {
  for (const MethodInfo& info : kMethods) {
    if (info.method == m) return &info;
  }
  return nullptr;
}

}  // namespace

const char* DriftMethodName(DriftMethod m) {
  const MethodInfo* info = Find(m);
  return info != nullptr ? info->name : "unknown";
}

std::optional<DriftMethod> ParseDriftMethod(const std::string& name) {
  for (const MethodInfo& info : kMethods) {
    if (name == info.name) return info.method;
  }
  return std::nullopt;
}

// kAuto has no threshold of its own: the method it resolves to decides (0 here).
double DefaultThreshold(DriftMethod m) {
  const MethodInfo* info = Find(m);
  return info != nullptr ? info->default_threshold : 0;
}

double DriftConfig::ThresholdFor(DriftMethod m) const {
  auto it = thresholds.find(m);
  return it != thresholds.end() ? it->second : DefaultThreshold(m);
}

std::string ConfigError::ToString() const {
  if (line <= 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

}  // namespace modelwatch::config
