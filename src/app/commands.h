// The command-line verbs of `codecrew` (SPEC §12). Each returns the process
// exit code: 0 success, 1 a runtime failure, 2 bad usage or configuration.
#pragma once

#include <optional>
#include <string>

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
  std::optional<std::string> replay;  // serve model calls from a cassette
  bool no_engine = false;             // API only: run no executions
};

int runServe(const ServeOptions& options);
int runMigrate(const CommonOptions& options);
int runKeysCreate(const CommonOptions& options, const std::string& tenant, const std::string& role,
                  const std::string& name);
int runKeysList(const CommonOptions& options, const std::optional<std::string>& tenant);
int runKeysRevoke(const CommonOptions& options, long long key_id);

}  // namespace codecrew::app
