// The subcommands of the `vigil` program. Each registers itself on the CLI11 app and returns
// the exit status through `*exit_code` when it ran. Business logic lives in the modules; a
// command only parses flags, calls them and reports.
#pragma once

#include "CLI/CLI.hpp"

namespace vigil::cli {

void RegisterCheckConfig(CLI::App& app, int* exit_code);
void RegisterReplay(CLI::App& app, int* exit_code);
void RegisterSimulate(CLI::App& app, int* exit_code);
void RegisterServe(CLI::App& app, int* exit_code);
void RegisterUser(CLI::App& app, int* exit_code);

}  // namespace vigil::cli
