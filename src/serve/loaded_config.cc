#include "serve/loaded_config.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "fmt/format.h"

namespace vigil::serve {

ConfigResult LoadConfigForServeText(const std::string& yaml, const std::string& source) {
  ConfigResult out;
  ConfigLoad load = LoadConfigText(yaml, source);
  if (!load.ok()) {
    for (const ConfigError& e : load.errors) out.errors.push_back(fmt::format("{}:{}", source, e.ToString()));
    return out;
  }
  absl::StatusOr<absl::TimeZone> tz = LoadTimeZone(load.config.timezone);
  if (!tz.ok()) {
    out.errors.push_back(fmt::format("{}: timezone: {}", source, std::string(tz.status().message())));
    return out;
  }
  out.config = std::make_shared<const LoadedConfig>(std::move(load.config), *tz, source, yaml);
  return out;
}

ConfigResult LoadConfigForServe(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ConfigResult out;
    out.errors.push_back(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    return out;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return LoadConfigForServeText(text.str(), path);
}

}  // namespace vigil::serve
