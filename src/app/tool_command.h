// The `codecrew tool <name> --workspace DIR '<json args>'` command: runs one
// tool from the command line (for debugging and for tests) and prints its
// structured result as JSON. `codecrew tool list` prints every tool's spec.
// Thread-safety: runToolCommand is reentrant.
#pragma once

#include <ostream>
#include <string>

namespace codecrew::app {

// Returns the process exit code: 0 success, 1 the tool failed (the error is
// printed to out as {"error": {...}}), 2 bad usage (message on err).
int runToolCommand(const std::string& name, const std::string& workspace, const std::string& jsonArgs,
                   std::ostream& out, std::ostream& err);

}  // namespace codecrew::app
