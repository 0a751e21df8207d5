// `codecrew doctor`: says, before anything runs, which provider keys were
// found where (environment variable or configuration file, never the key),
// which are missing and what to set, and which provider and model each role
// of each crew will use (model_report.h). Ollama's models are listed from its
// API as at `serve`. Nothing is written and no model is called.
// Thread-safety: a plain function.
#pragma once

#include "core/config.h"

#include <optional>
#include <ostream>
#include <string>

namespace codecrew::app {

// Exit code: 0 when every role has a model, 1 when some have none, 2 for a
// bad configuration (the reason goes to err).
int runDoctorCommand(const std::optional<std::string>& config_path, const core::EnvMap& env, std::ostream& out,
                     std::ostream& err);

}  // namespace codecrew::app
