// EngineRuntime: the crew engine wired from configuration in one call, for
// `codecrew serve` and `codecrew run`: the model client over an LlmRuntime's
// router (role policies' primaries, a default model for roles without one),
// the built-in tools, the bubblewrap sandbox (when it works here), and the
// crew catalog (built-in templates plus [engine] crews_dir).
//
// Configuration (TOML [engine], environment overrides):
//   default_model  CODECREW_MODEL      model for roles without a [roles.*]
//                                      primary or [models.<role>]; default:
//                                      "replay" when replaying a cassette, else
//                                      each role's default of the first usable
//                                      provider (llm/role_models.h)
//   crews_dir      CODECREW_CREWS_DIR  a directory of user crews
//   max_running                         executions run at once (default 64)
//   sandbox        "bubblewrap"|"none"  "none" refuses run_command (default
//                                      bubblewrap where it works)
// and [repositories] local_roots (see loadRepositoryPolicy).
// Thread-safety: build once at start-up; the parts are thread-safe.
#pragma once

#include "core/config.h"
#include "engine/crew_engine.h"
#include "engine/semantic_context.h"
#include "llm/llm_runtime.h"
#include "llm/role_models.h"

#include <filesystem>
#include <memory>
#include <string>

namespace codecrew::engine {

struct EngineSettings {
  std::string default_model;
  std::string crews_dir;
  int max_running = 64;
  bool sandbox = true;
  std::string sandbox_problem;  // why the sandbox is off, when it is ("" when on)
};

// Reads [engine] and the environment; kInvalidArgument names the bad key.
core::Result<EngineSettings> loadEngineSettings(const boost::json::object& document, const core::EnvMap& env,
                                                bool replaying);

// Which model each crew role asks for: [roles.*] primaries, [models.*],
// settings.default_model and the providers' per-role defaults
// (llm/role_models.h). kInvalidArgument for a bad [roles.*] table.
core::Result<std::shared_ptr<const llm::RoleModels>> loadRoleModels(const boost::json::object& document,
                                                                    const llm::LlmRuntime& llm,
                                                                    const EngineSettings& settings);

// The crew catalog alone (built-ins plus [engine] crews_dir /
// CODECREW_CREWS_DIR), for a server that runs without the engine;
// kInvalidArgument names the file at fault.
core::Result<std::shared_ptr<const CrewCatalog>> loadCrewCatalog(const boost::json::object& document,
                                                                 const core::EnvMap& env);

// Where executions deliver (EngineDeps' delivery fields).
struct DeliveryWiring {
  std::shared_ptr<Delivery> delivery;
  std::string stage = "DEPLOY";
  std::string public_url;
};

// What the engine reports of itself: metrics on a registry (null: none; the
// sandbox is metered too) and spans on a tracer.
struct EngineTelemetry {
  std::shared_ptr<telemetry::Registry> metrics;
  std::shared_ptr<const telemetry::Tracer> tracer = telemetry::Tracer::off();
};

// Where artifacts are stored (crew_engine.h, EngineDeps::artifacts).
struct ArtifactWiring {
  std::shared_ptr<storage::BlobStore> store;  // null: rows only
  bool archive_workspaces = false;
};

struct EngineParts {
  EngineSettings settings;
  std::shared_ptr<const llm::RoleModels> roles;
  std::shared_ptr<const CrewCatalog> crews;
  std::shared_ptr<CrewEngine> engine;
  // [semantic] (semantic_context.h): indexes under <data>/index; null when off.
  std::shared_ptr<SemanticContext> semantic;
};

// kInvalidArgument for a bad crews_dir (naming the file at fault) or policy.
core::Result<EngineParts> buildEngine(const boost::json::object& document, const core::EnvMap& env,
                                      const llm::LlmRuntime& llm, bool replaying, std::shared_ptr<store::Store> store,
                                      std::shared_ptr<core::Clock> clock, std::filesystem::path workspaces_root,
                                      RepositoryPolicy repositories, ProgressSink progress = {}, CrashHook crash = {},
                                      TokenSink tokens = {}, DeliveryWiring delivery = {},
                                      EngineTelemetry telemetry = {}, ArtifactWiring artifacts = {});

// Which local repositories executions may start from: [repositories]
// local_roots (an array of directories) and CODECREW_REPOSITORY_ROOTS
// (':'-separated), plus extra_roots (the directory `serve --dev` started
// in); never under data_dir; and trusted, the repositories the user named on
// the command line (`codecrew run --repo`), as they are.
// kInvalidArgument names a malformed setting.
core::Result<RepositoryPolicy> loadRepositoryPolicy(const boost::json::object& document, const core::EnvMap& env,
                                                    const std::filesystem::path& data_dir,
                                                    std::vector<std::filesystem::path> extra_roots,
                                                    const std::vector<std::filesystem::path>& trusted = {});

// Fault injection for crash tests of the real binary: from
// CODECREW_FAULT_KILL_AT="<point>:<n>" (points as CrashHook names them), a
// hook that kills this process with SIGKILL at the n-th time the engine
// passes that point; CODECREW_FAULT_STOP_AT likewise stops it with SIGSTOP
// (a stalled worker, a zombie once continued). Empty when neither variable
// is set; kInvalidArgument when one is malformed.
core::Result<CrashHook> killHookFromEnv(const core::EnvMap& env);

}  // namespace codecrew::engine
