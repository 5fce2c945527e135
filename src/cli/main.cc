// vigil: transaction-code-level business monitoring and the incident desk.
#include <cstdio>

#include "CLI/CLI.hpp"
#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"vigil: business monitoring by transaction code, and the incident desk"};
  app.require_subcommand(1);
  int exit_code = 0;
  vigil::cli::RegisterCheckConfig(app, &exit_code);
  vigil::cli::RegisterReplay(app, &exit_code);
  vigil::cli::RegisterSimulate(app, &exit_code);
  vigil::cli::RegisterServe(app, &exit_code);
  vigil::cli::RegisterUser(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  return exit_code;
}
