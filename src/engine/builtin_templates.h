// The crew templates that ship inside the binary (sdlc, codegen, update,
// review), as YAML text keyed by template name. The map is generated at build
// time from src/engine/templates/*.yaml.
// Thread-safety: an immutable, lazily built map; safe from any thread.
#pragma once

#include <map>
#include <string>

namespace codecrew::engine {

const std::map<std::string, std::string>& builtinCrewTemplates();

}  // namespace codecrew::engine
