// `codecrew run "<goal>" --repo DIR [--crew sdlc] [--record F | --replay F]`:
// one execution in the terminal on the same engine as the server, with no
// HTTP in between. It opens the configured store (SQLite by default), builds
// the router from the configured providers (or from a cassette with
// --replay, or wrapping them with a recorder with --record), runs the crew
// with live progress lines (stage, agent, tool, tokens, cost) and prints a
// closing summary. Approval gates are approved automatically with
// --approve-all; otherwise the command stops at the first gate (exit code 3)
// and says how to decide it.
// Exit codes: 0 completed, 1 failed, 2 bad usage or setup, 3 waiting for
// approval, 4 cancelled.
// Thread-safety: runs on the calling thread; call once at a time.
#pragma once

#include "core/ids.h"

#include <optional>
#include <ostream>
#include <string>

namespace codecrew::engine {

struct RunOptions {
  std::string goal;
  std::string repo;                    // workspace directory (created, and made a git repository, if needed)
  std::string crew = "sdlc";
  std::string model;                   // model for roles without a [roles.*] policy (live runs)
  std::string record;                  // cassette to write
  std::string replay;                  // cassette to serve the calls from
  std::optional<std::string> config;   // codecrew.toml
  std::string crews_dir;               // a directory of user crews
  std::string data_dir;                // overrides the configured data directory (SQLite file inside)
  std::optional<core::Id> resume;      // resume this execution instead of starting one
  bool approve_all = false;
  bool real_sandbox = true;            // bubblewrap; false: commands are refused
};

int runCrewCommand(const RunOptions& options, std::ostream& out, std::ostream& err);

}  // namespace codecrew::engine
