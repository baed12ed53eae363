// Helpers for the config tests: YAML built line by line, so that line numbers are obvious.
#ifndef MODELWATCH_TESTS_UNIT_CONFIG_CONFIG_TEST_UTIL_H_
#define MODELWATCH_TESTS_UNIT_CONFIG_CONFIG_TEST_UTIL_H_

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <modelwatch/config/config.h>

namespace modelwatch::config::testing {

inline std::string Lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

// A valid single-model file of 7 lines; tests append keys to the model (indent 4) or the file.
inline std::vector<std::string> ValidModel() {
  return {
      "models:",                                   // 1
      "  - name: m",                               // 2
      "    source: { paths: [logs/a.jsonl] }",     // 3
      "    record: { timestamp: { path: /ts } }",  // 4
      "    features:",                             // 5
      "      - { name: x, path: /x }",             // 6
      "    reference: { path: ref.jsonl }",        // 7
  };
}

inline std::vector<std::string> With(std::vector<std::string> lines,
                                     const std::vector<std::string>& more) {
  lines.insert(lines.end(), more.begin(), more.end());
  return lines;
}

inline LoadResult Load(const std::vector<std::string>& lines) {
  return LoadConfigString(Lines(lines), "/etc/mw/c.yaml");
}

// Every error as "FILE:LINE:COL: message".
inline std::vector<std::string> Errors(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  for (const ConfigError& e : Load(lines).errors) out.push_back(e.ToString());
  return out;
}

inline Config LoadOk(const std::vector<std::string>& lines) {
  LoadResult r = Load(lines);
  return r.config ? *r.config : Config{};
}

// One error per fragment, in order, each containing its fragment.
inline ::testing::AssertionResult ErrorsAre(const std::vector<std::string>& errors,
                                            const std::vector<std::string>& fragments) {
  bool ok = errors.size() == fragments.size();
  for (std::size_t i = 0; ok && i < errors.size(); ++i) {
    ok = errors[i].find(fragments[i]) != std::string::npos;
  }
  if (ok) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure() << "errors:";
  for (const std::string& e : errors) failure << "\n  " << e;
  failure << "\nexpected fragments:";
  for (const std::string& f : fragments) failure << "\n  " << f;
  return failure;
}

}  // namespace modelwatch::config::testing

#endif  // MODELWATCH_TESTS_UNIT_CONFIG_CONFIG_TEST_UTIL_H_
