#include "integrations/github/github_config.h"

namespace codecrew::integrations::github {
namespace json = boost::json;

namespace {

std::string trimSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

core::Status checkBaseUrl(const std::string& key, const std::string& url) {
  auto scheme = url.find("://");
  if (url.empty() || scheme == std::string::npos || (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0))
    return core::Error::invalidArgument(key + " must be an http(s):// URL, got '" + url + "'");
  auto path = url.find('/', scheme + 3);
  if (url.find('@') != std::string::npos && (path == std::string::npos || url.find('@') < path))
    return core::Error::invalidArgument(key + " must not carry credentials");
  return core::okStatus();
}

}  // namespace

core::Result<GitHubConfig> loadGitHubConfig(const json::object& document, const core::EnvMap& env) {
  GitHubConfig c;
  if (const auto* v = document.if_contains("github")) {
    const auto* t = v->if_object();
    if (!t) return core::Error::invalidArgument("[github] must be a table");
    auto str = [&](const char* key, std::string& out) -> core::Status {
      if (const auto* x = t->if_contains(key)) {
        if (!x->is_string()) return core::Error::invalidArgument(std::string("[github] ") + key + " must be a string");
        out = std::string(x->get_string());
      }
      return core::okStatus();
    };
    for (auto [key, out] :
         {std::pair{"api_url", &c.api_url}, std::pair{"web_url", &c.web_url}, std::pair{"token", &c.token},
          std::pair{"deliver_stage", &c.deliver_stage}, std::pair{"mention", &c.mention}})
      if (auto ok = str(key, *out); !ok) return ok.error();
    if (const auto* x = t->if_contains("owners")) {
      if (!x->is_array()) return core::Error::invalidArgument("[github] owners must be an array of names");
      for (const auto& o : x->get_array()) {
        if (!o.is_string() || o.get_string().empty())
          return core::Error::invalidArgument("[github] owners must be an array of names");
        c.owners.emplace_back(o.get_string());
      }
    }
    if (const auto* tenants = t->if_contains("tenants")) {
      if (!tenants->is_object()) return core::Error::invalidArgument("[github.tenants] must be tables of tenants");
      for (const auto& [name, table] : tenants->get_object()) {
        const auto* list = table.is_object() ? table.get_object().if_contains("owners") : nullptr;
        const std::string where = "[github.tenants." + std::string(name) + "] owners";
        if (!list || !list->is_array()) return core::Error::invalidArgument(where + " must be an array of names");
        auto& out = c.tenant_owners[std::string(name)];
        for (const auto& o : list->get_array()) {
          if (!o.is_string() || o.get_string().empty())
            return core::Error::invalidArgument(where + " must be an array of names");
          out.emplace_back(o.get_string());
        }
      }
    }
    if (const auto* x = t->if_contains("draft")) {
      if (!x->is_bool()) return core::Error::invalidArgument("[github] draft must be true or false");
      c.draft = x->get_bool();
    }
    if (const auto* x = t->if_contains("max_fix_attempts")) {
      if (!x->is_int64() || x->get_int64() < 0 || x->get_int64() > 20)
        return core::Error::invalidArgument("[github] max_fix_attempts must be an integer from 0 to 20");
      c.max_fix_attempts = static_cast<int>(x->get_int64());
    }
  }
  if (const auto* v = document.if_contains("repositories"); v && v->is_object()) {
    if (const auto* hosts = v->get_object().if_contains("remote_hosts")) {
      if (!hosts->is_array())
        return core::Error::invalidArgument("[repositories] remote_hosts must be an array of URLs");
      for (const auto& h : hosts->get_array()) {
        if (!h.is_string()) return core::Error::invalidArgument("[repositories] remote_hosts must be an array of URLs");
        std::string url = trimSlash(std::string(h.get_string()));
        if (url.rfind("https://", 0) != 0)
          return core::Error::invalidArgument("[repositories] remote_hosts: '" + url + "' must be an https:// URL");
        c.remote_hosts.push_back(url);
      }
    }
  }
  auto envOf = [&](const char* name, std::string& out) {
    if (auto it = env.find(name); it != env.end() && !it->second.empty()) out = it->second;
  };
  envOf("GITHUB_API_URL", c.api_url);
  envOf("GITHUB_SERVER_URL", c.web_url);
  envOf("GITHUB_TOKEN", c.token);
  if (auto it = env.find("GITHUB_OWNERS"); it != env.end() && !it->second.empty()) {
    c.owners.clear();
    std::string all = it->second;
    for (std::size_t start = 0; start <= all.size();) {
      auto end = all.find(',', start);
      if (end == std::string::npos) end = all.size();
      auto name = all.substr(start, end - start);
      while (!name.empty() && name.front() == ' ') name.erase(0, 1);
      while (!name.empty() && name.back() == ' ') name.pop_back();
      if (!name.empty()) c.owners.push_back(name);
      start = end + 1;
    }
  }
  c.api_url = trimSlash(c.api_url);
  c.web_url = trimSlash(c.web_url);
  if (auto ok = checkBaseUrl("[github] api_url", c.api_url); !ok) return ok.error();
  if (auto ok = checkBaseUrl("[github] web_url", c.web_url); !ok) return ok.error();
  return c;
}

}  // namespace codecrew::integrations::github
