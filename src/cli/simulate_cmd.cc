// Placeholder until the command is implemented.
#include "cli/commands.h"
namespace vigil::cli {
void RegisterSimulate(CLI::App& app, int* exit_code) {}
}  // namespace vigil::cli
