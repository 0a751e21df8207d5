#include "integrations/jira/jira_config.h"

#include <charconv>

namespace codecrew::integrations::jira {
namespace {

namespace bj = boost::json;

struct Setting {
  const char* key;
  const char* variable;  // JIRA_*
};

// The value of a setting and where it came from ("jira.key" or the variable).
struct Found {
  std::string value;
  std::string where;
  bool set = false;
};

// NEGISHI_JIRA_* over JIRA_* over the file.
core::Result<Found> lookup(const bj::object* section, const Setting& s, const core::EnvMap& env) {
  for (const std::string variable : {std::string("NEGISHI_") + s.variable, std::string(s.variable)}) {
    if (auto it = env.find(variable); it != env.end() && !it->second.empty()) return Found{it->second, variable, true};
  }
  const std::string where = std::string("jira.") + s.key;
  if (!section) return Found{"", where, false};
  const auto* v = section->if_contains(s.key);
  if (!v) return Found{"", where, false};
  if (v->is_string()) return Found{std::string(v->as_string()), where, true};
  if (v->is_int64()) return Found{std::to_string(v->as_int64()), where, true};
  return core::Error::invalidArgument(where + " must be a string");
}

}  // namespace

std::vector<std::string> JiraConfig::missing() const {
  std::vector<std::string> out;
  if (base_url.empty()) out.emplace_back("jira.base_url (JIRA_BASE_URL)");
  if (email.empty()) out.emplace_back("jira.email (JIRA_EMAIL)");
  if (api_token.empty()) out.emplace_back("jira.api_token (JIRA_API_TOKEN)");
  return out;
}

bool JiraConfig::criteriaIsFieldId() const {
  constexpr std::string_view kPrefix = "customfield_";
  if (criteria_field.size() <= kPrefix.size() || criteria_field.rfind(kPrefix, 0) != 0) return false;
  return criteria_field.find_first_not_of("0123456789", kPrefix.size()) == std::string::npos;
}

core::Result<JiraConfig> loadJiraConfig(const bj::object& document, const core::EnvMap& env) {
  const auto* v = document.if_contains("jira");
  const bj::object* section = v && v->is_object() ? &v->as_object() : nullptr;
  JiraConfig c;

  auto base = lookup(section, {"base_url", "JIRA_BASE_URL"}, env);
  if (!base) return base.error();
  c.base_url = base->value;
  while (!c.base_url.empty() && c.base_url.back() == '/') c.base_url.pop_back();
  if (!c.base_url.empty() && c.base_url.rfind("http://", 0) != 0 && c.base_url.rfind("https://", 0) != 0)
    return core::Error::invalidArgument(base->where +
                                        " must be an http:// or https:// URL such as "
                                        "https://your-domain.atlassian.net, not '" +
                                        base->value + "'");

  auto email = lookup(section, {"email", "JIRA_EMAIL"}, env);
  if (!email) return email.error();
  c.email = email->value;
  auto token = lookup(section, {"api_token", "JIRA_API_TOKEN"}, env);
  if (!token) return token.error();
  c.api_token = token->value;

  auto version = lookup(section, {"api_version", "JIRA_API_VERSION"}, env);
  if (!version) return version.error();
  if (version->set) {
    if (version->value != "2" && version->value != "3" && version->value != "latest")
      return core::Error::invalidArgument(version->where + " must be 2, 3 or latest, not '" + version->value + "'");
    c.api_version = version->value;
  }

  auto criteria = lookup(section, {"criteria_field", "JIRA_CRITERIA_FIELD"}, env);
  if (!criteria) return criteria.error();
  if (criteria->set) c.criteria_field = criteria->value;

  auto timeout = lookup(section, {"timeout_seconds", "JIRA_TIMEOUT_SECONDS"}, env);
  if (!timeout) return timeout.error();
  if (timeout->set) {
    const auto& text = timeout->value;
    int seconds = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc() || end != text.data() + text.size() || seconds < 1 || seconds > 600)
      return core::Error::invalidArgument(timeout->where + " must be a whole number of seconds from 1 to 600, not '" +
                                          text + "'");
    c.timeout_seconds = seconds;
  }
  return c;
}

}  // namespace codecrew::integrations::jira
