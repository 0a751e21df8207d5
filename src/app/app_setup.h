// Start-up steps the verbs share: configuration with command-line overrides,
// logging, and the store.
#pragma once

#include "app/commands.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "store/store.h"

#include <memory>
#include <string>

namespace codecrew::app {

// Loads the configuration (file, environment, then command-line overrides)
// and initialises logging. Errors are printed to stderr by the caller.
core::Result<core::Config> loadAppConfig(const CommonOptions& options);

// The exit code for a failed start-up step: 2 when the configuration or the
// command line is at fault (a bad value, a refused database URL), else 1.
int setupExitCode(const core::Error& error);

// This process's name as a queue's lease owner: "<verb>-<host>-<pid>".
std::string processName(const std::string& verb);

// Opens the configured store and brings its schema up to date.
// `observer` (optional) is told each transaction's length (metrics).
core::Result<std::shared_ptr<store::Store>> openAppStore(const core::Config& config, std::shared_ptr<core::Clock> clock,
                                                         store::TransactionObserver observer = {});

}  // namespace codecrew::app
