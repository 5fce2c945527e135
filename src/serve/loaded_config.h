// A validated configuration with everything derived from it (time zone, calendar), shared
// read-only between threads. A reload builds a new one and swaps the pointer; whoever still
// holds the old one keeps a consistent view.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/calendar.h"
#include "common/config.h"

namespace vigil::serve {

struct LoadedConfig {
  Config config;
  absl::TimeZone tz;
  Calendar calendar;
  std::string path;  // file it came from
  std::string text;  // its YAML, as read (the config view of the API)

  LoadedConfig(Config c, absl::TimeZone zone, std::string from, std::string yaml)
      : config(std::move(c)), tz(zone), calendar(config.calendar, zone), path(std::move(from)),
        text(std::move(yaml)) {}
};

// Reads and validates a configuration file. On failure, every problem as
// "file:line N: path: message" (the old configuration, if any, stays in use).
struct ConfigResult {
  std::shared_ptr<const LoadedConfig> config;
  std::vector<std::string> errors;
};
ConfigResult LoadConfigForServe(const std::string& path);
ConfigResult LoadConfigForServeText(const std::string& yaml, const std::string& source);

}  // namespace vigil::serve
