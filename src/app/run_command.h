// `codecrew run "<goal>" --repo DIR [--crew sdlc] [--record F | --replay F]`:
// one execution in the terminal on the same runtime as the server, started
// through the same ExecutionService, with no HTTP in between. It runs the
// crew with live progress lines (stage, agent, tool, tokens, cost) and
// prints a closing summary. At an approval gate it approves with
// --approve-all, asks on the terminal (approve, reject or request changes)
// when standard input is one, and otherwise stops (exit code 3) saying how
// to decide the gate: a dev server on the same data directory shows the
// execution, and `codecrew run --resume ID` continues it.
// Thread-safety: runs on the calling thread; call once at a time.
#pragma once

#include "app/commands.h"

#include <istream>
#include <ostream>

namespace codecrew::app {

// Exit codes of `codecrew run`.
inline constexpr int kRunCompleted = 0;
inline constexpr int kRunFailed = 1;
inline constexpr int kRunSetup = 2;    // bad usage or configuration
inline constexpr int kRunWaiting = 3;  // stopped at an approval gate
inline constexpr int kRunCancelled = 4;
inline constexpr int kRunInterrupted = 130;  // Ctrl-C (the resume command is printed)

int runCrewCommand(const RunOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace codecrew::app
