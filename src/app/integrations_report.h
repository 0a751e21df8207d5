// What `codecrew doctor` says of the code host and tracker integrations:
// GitHub (where it clones from and opens pull requests, whether a token and
// a webhook secret are set, the loop's settings) and Jira (configured, or
// which settings are missing). Never a secret itself.
// Thread-safety: pure functions of their arguments.
#pragma once

#include "integrations/github/github_config.h"
#include "integrations/github/webhook_config.h"
#include "integrations/jira/jira_config.h"

#include <ostream>

namespace codecrew::app {

void printIntegrationsReport(std::ostream& out, const integrations::github::GitHubConfig& github,
                             const integrations::github::WebhookConfig& webhook,
                             const integrations::jira::JiraConfig& jira);

}  // namespace codecrew::app
