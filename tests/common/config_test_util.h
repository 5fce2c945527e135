// Shared by the configuration tests: every error of a load as text, and the check that a YAML
// text gives exactly one error at a given path and line.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "common/config.h"

namespace vigil::config_test {

// Every error of `load`, one per line (for failure messages).
inline std::string All(const ConfigLoad& load) {
  std::string out;
  for (const auto& e : load.errors) out += "  " + e.ToString() + "\n";
  return out;
}

// Loads `yaml` and expects exactly one error, at `path` on `line`, whose message holds `text`.
inline void ExpectOneError(const std::string& yaml, const std::string& path, int line,
                           const std::string& text) {
  ConfigLoad load = LoadConfigText(yaml);
  ASSERT_EQ(load.errors.size(), 1u) << yaml << "\n" << All(load);
  const ConfigError& e = load.errors[0];
  EXPECT_EQ(e.path, path) << e.ToString();
  EXPECT_EQ(e.line, line) << e.ToString();
  EXPECT_THAT(e.message, ::testing::HasSubstr(text)) << e.ToString();
}

}  // namespace vigil::config_test
