#include "api/readiness.h"

namespace codecrew::api {
namespace json = boost::json;

Readiness::Readiness(std::shared_ptr<WriteProbe> probe, std::shared_ptr<engine::ExecutionService> executions,
                     bool runs_executions, std::function<std::optional<std::string>()> models_down)
    : probe_(std::move(probe)),
      executions_(std::move(executions)),
      runs_executions_(runs_executions),
      models_down_(std::move(models_down)) {}

ReadinessReport Readiness::check() const {
  ReadinessReport out;
  out.ready = true;
  auto add = [&](const char* name, std::optional<std::string> error) {
    json::object check{{"ok", !error}};
    if (error) {
      check["error"] = *error;
      out.ready = false;
    }
    out.checks[name] = std::move(check);
  };
  auto write = probe_->read();
  add("database", write.writable ? std::nullopt : std::optional<std::string>(write.error));
  if (runs_executions_) {
    const bool running = executions_ && executions_->attached();
    add("engine", running ? std::nullopt
                          : std::optional<std::string>("the crew engine is not attached: executions would not run"));
  }
  if (models_down_) add("models", models_down_());
  return out;
}

}  // namespace codecrew::api
