// `vigil check-config FILE`: validates a configuration file before it is deployed.
//
// On success prints one line to stdout and exits 0:
//   FILE: ok (N transaction codes, M service systems, K batch steps, R recon checks, timezone Z)
// Otherwise prints every error as "FILE:LINE: PATH: MESSAGE" to stderr, then "FILE: N errors",
// and exits 1; exits 2 when the file cannot be read at all.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "common/config.h"
#include "fmt/format.h"

namespace vigil::cli {
namespace {

std::string Plural(size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

int RunCheckConfig(const std::string& file) {
  std::ifstream probe(file, std::ios::binary);
  if (!probe) {
    fmt::print(stderr, "{}: cannot read: {}\n", file, std::strerror(errno));
    return 2;
  }
  probe.close();
  ConfigLoad load = LoadConfigFile(file);
  if (load.ok()) {
    const Config& c = load.config;
    fmt::print("{}: ok ({}, {}, {}, {}, timezone {})\n", file,
               Plural(c.txn_codes.size(), "transaction code", "transaction codes"),
               Plural(c.service_systems.size(), "service system", "service systems"),
               Plural(c.batch.size(), "batch step", "batch steps"),
               Plural(c.recon.size(), "recon check", "recon checks"), c.timezone);
    return 0;
  }
  for (const ConfigError& e : load.errors) {
    std::string where = e.line > 0 ? fmt::format("{}:{}", file, e.line) : file;
    if (e.path.empty()) {
      fmt::print(stderr, "{}: {}\n", where, e.message);
    } else {
      fmt::print(stderr, "{}: {}: {}\n", where, e.path, e.message);
    }
  }
  fmt::print(stderr, "{}: {}\n", file, Plural(load.errors.size(), "error", "errors"));
  return 1;
}

}  // namespace

void RegisterCheckConfig(CLI::App& app, int* exit_code) {
  auto file = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("check-config",
                                 "Validate a configuration file; name every error with its "
                                 "YAML path and line");
  sub->add_option("FILE", *file, "the YAML configuration file")->required();
  sub->callback([file, exit_code] { *exit_code = RunCheckConfig(*file); });
}

}  // namespace vigil::cli
