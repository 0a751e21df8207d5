// GitHubConfig: the [github] table and its environment overrides.
//
//   api_url           GITHUB_API_URL     https://api.github.com (GitHub Enterprise: https://HOST/api/v3)
//   web_url           GITHUB_SERVER_URL  https://github.com (GitHub Enterprise: https://HOST); repositories
//                                        under it are cloned with the token and get pull requests
//   token             GITHUB_TOKEN       clones, pushes and the REST API ("": public clones only)
//   draft                                open pull requests as drafts (default true)
//   deliver_stage                        the stage whose start pushes and opens the pull request (DEPLOY)
//   max_fix_attempts                     fixes of failed checks / review answers before a human is asked (3)
//   mention                              a comment that mentions this asks the crew for changes (@codecrew)
//   owners            GITHUB_OWNERS      the owners whose repositories workflows may name (the variable:
//                                        comma-separated); empty: any the token can see
//   [github.tenants.<name>] owners       the same for one tenant (by name), in place of owners
// (webhook_secret / GITHUB_WEBHOOK_SECRET is read by the webhook route.)
// and [repositories] remote_hosts: more https:// base URLs repositories may
// be cloned from (anonymously, no pull requests).
// Thread-safety: a plain value.
#pragma once

#include "core/config.h"
#include "core/result.h"

#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <vector>

namespace codecrew::integrations::github {

struct GitHubConfig {
  std::string api_url = "https://api.github.com";
  std::string web_url = "https://github.com";
  std::string token;
  bool draft = true;
  std::string deliver_stage = "DEPLOY";
  int max_fix_attempts = 3;
  std::string mention = "@codecrew";
  std::vector<std::string> remote_hosts;  // clone-only base URLs
  std::vector<std::string> owners;        // repositories' owners allowed; empty: any the token sees
  std::map<std::string, std::vector<std::string>> tenant_owners;  // [github.tenants.<name>] owners
};

// kInvalidArgument names the bad key.
core::Result<GitHubConfig> loadGitHubConfig(const boost::json::object& document, const core::EnvMap& env);

}  // namespace codecrew::integrations::github
