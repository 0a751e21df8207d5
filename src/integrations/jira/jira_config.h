// JiraConfig: where and as whom codecrew reads Jira stories, from [jira] in
// codecrew.toml with environment overrides (a variable set and non-empty
// wins over the file; each JIRA_* variable may also be spelt NEGISHI_JIRA_*,
// seed 001's name, which wins over JIRA_*):
//   base_url        JIRA_BASE_URL / NEGISHI_JIRA_BASE_URL    https://your-domain.atlassian.net
//   email           JIRA_EMAIL / NEGISHI_JIRA_EMAIL          the account of the API token
//   api_token       JIRA_API_TOKEN / NEGISHI_JIRA_API_TOKEN  sent as basic auth with email
//   api_version     JIRA_API_VERSION                         "3" (ADF), "2" or "latest"
//   criteria_field  JIRA_CRITERIA_FIELD   the acceptance criteria's field: an id
//                   (customfield_10010) or a name ("Acceptance Criteria", the
//                   default; matched without regard to case through the
//                   issue's names); "" for none
//   timeout_seconds JIRA_TIMEOUT_SECONDS                     one request's limit (30)
// Thread-safety: a plain value.
#pragma once

#include "core/config.h"
#include "core/result.h"

#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace codecrew::integrations::jira {

struct JiraConfig {
  std::string base_url;  // without a trailing '/'
  std::string email;
  std::string api_token;
  std::string api_version = "3";
  std::string criteria_field = "Acceptance Criteria";
  int timeout_seconds = 30;

  // base_url, email and api_token are all set.
  bool configured() const { return missing().empty(); }
  // The settings still to give, as the user would set them
  // ("jira.base_url (JIRA_BASE_URL)"); empty when configured.
  std::vector<std::string> missing() const;
  // criteria_field names a field by id (customfield_NNN) rather than by name.
  bool criteriaIsFieldId() const;
};

// kInvalidArgument naming the key or variable: a base_url that is not
// http(s)://, an api_version other than 2, 3 or latest, a timeout out of 1..600.
core::Result<JiraConfig> loadJiraConfig(const boost::json::object& document, const core::EnvMap& env);

}  // namespace codecrew::integrations::jira
