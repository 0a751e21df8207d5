// CrewCodeSettings: the limits of CrewCode's endpoints (seed 000) and of
// crews answering as models, from [crewcode] in codecrew.toml with
// environment overrides:
//   session_ttl_seconds   CODECREW_SESSION_TTL_SECONDS   idle time before a session expires (86400)
//   run_timeout_seconds   CODECREW_CREWCODE_TIMEOUT_SECONDS  how long a request waits for its crew (300)
//   max_file_bytes        one file (1 MiB)
//   max_session_bytes     all files of a session (8 MiB)
//   max_session_files     files in a session (500)
// Thread-safety: a plain value.
#pragma once

#include "core/config.h"
#include "core/result.h"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>

namespace codecrew::engine {

struct CrewCodeSettings {
  std::chrono::seconds session_ttl{86400};
  std::chrono::milliseconds run_timeout{300'000};
  std::int64_t max_file_bytes = 1 << 20;
  std::int64_t max_session_bytes = 8 << 20;
  std::int64_t max_session_files = 500;
};

// kInvalidArgument names the bad key or variable.
core::Result<CrewCodeSettings> loadCrewCodeSettings(const boost::json::object& document, const core::EnvMap& env);

}  // namespace codecrew::engine
