#include "engine/crewcode_settings.h"

#include <charconv>
#include <string>

namespace codecrew::engine {
namespace {

core::Result<std::int64_t> integer(const boost::json::object* section, const char* key, const core::EnvMap& env,
                                   const char* variable, std::int64_t fallback, std::int64_t min, std::int64_t max) {
  std::string where = std::string("crewcode.") + key;
  std::int64_t value = fallback;
  bool from_env = false;
  if (variable) {
    if (auto it = env.find(variable); it != env.end() && !it->second.empty()) {
      const auto& text = it->second;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec != std::errc() || end != text.data() + text.size())
        return core::Error::invalidArgument(std::string(variable) + " must be an integer, not '" + text + "'");
      where = variable;
      from_env = true;
    }
  }
  if (!from_env && section) {
    if (const auto* v = section->if_contains(key)) {
      if (!v->is_int64()) return core::Error::invalidArgument(where + " must be an integer");
      value = v->as_int64();
    }
  }
  if (value < min || value > max)
    return core::Error::invalidArgument(where + " must be from " + std::to_string(min) + " to " + std::to_string(max));
  return value;
}

}  // namespace

core::Result<CrewCodeSettings> loadCrewCodeSettings(const boost::json::object& document, const core::EnvMap& env) {
  const auto* v = document.if_contains("crewcode");
  const boost::json::object* section = v && v->is_object() ? &v->as_object() : nullptr;
  CrewCodeSettings s;
  auto ttl = integer(section, "session_ttl_seconds", env, "CODECREW_SESSION_TTL_SECONDS", 86400, 1, 365LL * 86400);
  if (!ttl) return ttl.error();
  s.session_ttl = std::chrono::seconds(*ttl);
  auto timeout = integer(section, "run_timeout_seconds", env, "CODECREW_CREWCODE_TIMEOUT_SECONDS", 300, 0, 86400);
  if (!timeout) return timeout.error();
  s.run_timeout = std::chrono::seconds(*timeout);
  auto file = integer(section, "max_file_bytes", env, nullptr, s.max_file_bytes, 1, 64LL << 20);
  if (!file) return file.error();
  s.max_file_bytes = *file;
  auto total = integer(section, "max_session_bytes", env, nullptr, s.max_session_bytes, 1, 1LL << 30);
  if (!total) return total.error();
  s.max_session_bytes = *total;
  auto files = integer(section, "max_session_files", env, nullptr, s.max_session_files, 1, 100000);
  if (!files) return files.error();
  s.max_session_files = *files;
  return s;
}

}  // namespace codecrew::engine
