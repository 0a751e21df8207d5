// `codecrew replay CASSETTE`: prints a summary of a cassette (origin, calls
// by agent and step, models, tokens, errors) so a user can see what a replay
// will serve. The CLI wires runReplayCommand into its `replay` verb.
// Thread-safety: a plain function.
#pragma once

#include <ostream>
#include <string>

namespace codecrew::app {

// Returns the process exit code: 0 on success, 1 if the cassette cannot be
// read or parsed (the reason goes to err).
int runReplayCommand(const std::string& path, std::ostream& out, std::ostream& err);

}  // namespace codecrew::app
