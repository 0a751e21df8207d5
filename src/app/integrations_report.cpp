#include "app/integrations_report.h"

namespace codecrew::app {

void printIntegrationsReport(std::ostream& out, const integrations::github::GitHubConfig& github,
                             const integrations::github::WebhookConfig& webhook,
                             const integrations::jira::JiraConfig& jira) {
  out << "\nintegrations:\n";
  out << "  github: repositories under " << github.web_url << " (API " << github.api_url << ")\n";
  if (github.token.empty())
    out << "    token: none: public repositories clone, nothing is pushed and no pull request is opened "
           "(set GITHUB_TOKEN or [github] token)\n";
  else out << "    token: set\n";
  out << "    pull requests: " << (github.draft ? "drafts" : "ready for review") << ", opened at "
      << github.deliver_stage << "; up to " << github.max_fix_attempts << " follow-ups; comments mentioning "
      << github.mention << " ask for changes\n";
  out << "    webhooks: "
      << (webhook.configured() ? "secret set (POST /webhooks/github)"
                               : "no secret: POST /webhooks/github answers 503 (set GITHUB_WEBHOOK_SECRET)")
      << "\n";
  for (const auto& host : github.remote_hosts) out << "    also cloned from: " << host << "\n";
  if (jira.configured()) {
    out << "  jira: " << jira.base_url << " (POST /workflows/from-jira/{story_id})\n";
  } else {
    out << "  jira: not configured; missing:";
    for (const auto& m : jira.missing()) out << " " << m;
    out << "\n";
  }
}

}  // namespace codecrew::app
