// The command-line verbs of `codecrew` (SPEC §12). Each returns the process
// exit code: 0 success, 1 a runtime failure, 2 bad usage or configuration.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::app {

// Options every verb that touches the database shares.
struct CommonOptions {
  std::optional<std::string> config_path;
  std::optional<std::string> data_dir;
};

struct ServeOptions {
  CommonOptions common;
  bool dev = false;
  std::optional<std::string> host;
  std::optional<int> port;
  std::optional<std::string> replay;     // serve model calls from a cassette
  bool no_engine = false;                // API only: run no executions
  bool no_worker = false;                // PostgreSQL: queue executions for workers, run none here
  std::optional<std::string> crews_dir;  // user crews besides the built-in ones
};

// `codecrew run "<goal>" --repo DIR`: one execution in the terminal, on the
// same runtime and execution service as the server, under the dev tenant
// (so a dev server on the same data directory shows it and can decide its
// gates). See run_command.h for the exit codes.
struct RunOptions {
  std::string goal;
  std::string repo;  // workspace directory (created, and made a git repository, if needed)
  std::string crew = "sdlc";
  std::string model;                  // model for roles without a [roles.*] policy (live runs)
  std::string record;                 // cassette to write
  std::string replay;                 // cassette to serve the calls from
  std::optional<std::string> config;  // codecrew.toml
  std::string crews_dir;              // a directory of user crews
  std::string data_dir;               // overrides the configured data directory (SQLite file inside)
  std::optional<long long> resume;    // resume this execution instead of starting one
  std::vector<std::string> inputs;    // --input name=text: a CrewAI crew's {name} placeholders
  bool approve_all = false;
  bool real_sandbox = true;  // bubblewrap; false: commands are refused
  // Ask for each gate's decision on the terminal (when standard input is
  // one); false: stop at the first gate with exit code 3.
  bool ask = false;
  // Standard output is a terminal: a model call in flight shows a spinner
  // line; otherwise a line every 15 s.
  bool terminal = false;
};

// `codecrew worker`: runs executions from a shared PostgreSQL database and
// nothing else (worker_command.cpp).
struct WorkerOptions {
  CommonOptions common;
  std::optional<std::string> replay;     // serve model calls from a cassette
  std::optional<std::string> crews_dir;  // user crews besides the built-in ones
};

int runServe(const ServeOptions& options);
int runWorker(const WorkerOptions& options);
// `codecrew config check`: 0 and a summary when the configuration loads, 2
// and the problem when it does not.
int runConfigCheck(const std::optional<std::string>& config_path, std::ostream& out, std::ostream& err);
int runMigrate(const CommonOptions& options);
int runKeysCreate(const CommonOptions& options, const std::string& tenant, const std::string& role,
                  const std::string& name);
int runKeysList(const CommonOptions& options, const std::optional<std::string>& tenant);
int runKeysRevoke(const CommonOptions& options, long long key_id);

}  // namespace codecrew::app
