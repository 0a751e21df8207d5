// RoleModels: which model each crew role (the `model:` policy name of a crew
// agent: planner, architect, coder, coder_cheap, tester, reviewer, deployer,
// or any other name a user crew gives) is asked for, so that a provider's key
// alone is enough to run a crew. For a role R, in order:
//   1. [roles.R] primary
//   2. [models.R] (a model named after the role)
//   3. [engine] default_model / CODECREW_MODEL (or --model)
//   4. the first provider with what it needs to be called (a key, where its
//      kind needs one), in configuration order:
//        - its models list holds the kind's built-in default for R: that one;
//        - its models list is not empty (config `models`, Azure's deployment,
//          Ollama's models discovered at start): its first model;
//        - else the kind's built-in default for R (builtInRoleModel).
// A role none of these gives a model to has none: `problem` says what to set.
// Thread-safety: a plain value, read-only after construction.
#pragma once

#include "llm/llm_config.h"

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace codecrew::llm {

// The policy names of the built-in crews' agents, in lifecycle order.
inline constexpr std::array<std::string_view, 7> kCrewRoles = {"planner", "architect", "coder",   "coder_cheap",
                                                               "tester",  "reviewer",  "deployer"};

// The built-in default model of a provider kind for a role: the kind's strong
// general-purpose model, or its light one for coder_cheap, tester and
// deployer. "" for kinds whose models are the installation's own (azure: the
// deployment; ollama: discovered; openai_compatible: the models list).
std::string builtInRoleModel(std::string_view kind, std::string_view role);

// True when a provider has what a call to it needs (a key, for the kinds
// that take one).
bool providerUsable(const ProviderConfig& provider);

// What to set so that a provider of `kind` becomes usable ("OPENAI_API_KEY",
// "AZURE_OPENAI_ENDPOINT + AZURE_OPENAI_API_KEY + AZURE_OPENAI_DEPLOYMENT", ...).
std::string providerSetupHint(std::string_view kind);

struct RoleModelChoice {
  std::string role;
  std::string model;    // the name the router is asked for; "" when there is none
  std::string source;   // where it came from: "roles.coder.primary", "models.coder",
                        // "engine.default_model", "default of openai", "first model of ollama"
  std::string problem;  // when model is "": what to set
};

class RoleModels {
 public:
  // primaries: role -> [roles.*] primary; default_model: [engine] default_model.
  RoleModels(LlmConfig config, std::map<std::string, std::string> primaries, std::string default_model);

  RoleModelChoice choose(const std::string& role) const;

 private:
  LlmConfig config_;
  std::map<std::string, std::string> primaries_;
  std::string default_model_;
};

}  // namespace codecrew::llm
