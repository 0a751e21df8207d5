// CrewCatalog: the crews an installation knows by name: the built-in
// templates (sdlc, codegen, update, review) plus those of a user directory,
// where each <name>.yaml is a crew and each folder holding agents.yaml and
// tasks.yaml (itself, in config/, or in src/<package>/config/ as `crewai
// create crew` lays them out) is a CrewAI crew named after the folder; the
// import's warnings (CrewAI options with no effect) are logged. A user crew with a
// built-in's name replaces it.
// Thread-safety: build with the static functions, then read-only; safe to
// share across threads.
#pragma once

#include "core/result.h"
#include "engine/crew.h"
#include "engine/crewai_import.h"

#include <map>
#include <string>
#include <vector>

namespace codecrew::engine {

class CrewCatalog {
 public:
  // The built-in templates; a parse failure is a build defect (kInternal).
  static core::Result<CrewCatalog> builtIn();
  // Built-ins plus the crews of dir. kInvalidArgument names the file at fault.
  static core::Result<CrewCatalog> withUserDirectory(const std::string& dir);

  // kNotFound listing the known names.
  core::Result<CrewSpec> find(const std::string& name) const;
  std::vector<std::string> names() const;
  void add(CrewSpec crew);

 private:
  std::map<std::string, CrewSpec> crews_;
};

}  // namespace codecrew::engine
