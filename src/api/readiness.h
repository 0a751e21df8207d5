// Readiness: whether this process should get traffic and work, for GET
// /readyz (and the codecrew_ready gauge): the store answers and can be
// written (WriteProbe), the engine runs executions where this process is
// meant to run them, and model calls can go out (not every configured
// provider's circuit breaker is open). Each check says why it failed.
// Thread-safety: check() from any thread (the write probe is cached, see
// write_probe.h).
#pragma once

#include "api/write_probe.h"
#include "engine/execution_service.h"

#include <boost/json/object.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace codecrew::api {

struct ReadinessReport {
  bool ready = false;
  boost::json::object checks;  // name -> {"ok": bool, "error"?: string}
};

class Readiness {
 public:
  // models_down: why no model call can go out now, or nothing (null: not checked).
  // runs_executions: whether this process is meant to run executions (an
  // API node with --no-worker or --no-engine is not).
  Readiness(std::shared_ptr<WriteProbe> probe, std::shared_ptr<engine::ExecutionService> executions,
            bool runs_executions, std::function<std::optional<std::string>()> models_down);

  ReadinessReport check() const;

 private:
  std::shared_ptr<WriteProbe> probe_;
  std::shared_ptr<engine::ExecutionService> executions_;
  bool runs_executions_;
  std::function<std::optional<std::string>()> models_down_;
};

}  // namespace codecrew::api
