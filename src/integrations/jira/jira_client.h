// JiraClient: stories from Jira's REST API (GET /rest/api/{2,3}/issue/{key},
// basic auth with the account's email and API token), through RestClient, so
// Jira's rate limits (429 with Retry-After) and passing failures (5xx) are
// waited out and retried as model providers' are. The issue's description
// and acceptance criteria become Markdown (adf_markdown.h); the criteria's
// field is found by id, or by name through the issue's names (?expand=names).
// A key that cannot be an issue key is refused first (kInvalidArgument);
// then, not configured (no base_url, email or api_token), every fetch fails
// with kFailedPrecondition naming what to set. Neither sends anything.
// Errors as StorySource says.
// Thread-safety: fetchStory() may be called from any number of coroutines.
#pragma once

#include "core/clock.h"
#include "http/client/http_client.h"
#include "integrations/jira/jira_config.h"
#include "integrations/jira/story_source.h"
#include "integrations/rest_client.h"
#include "llm/router/sleeper.h"

#include <memory>

namespace codecrew::integrations::jira {

class JiraClient final : public StorySource {
 public:
  JiraClient(JiraConfig config, std::shared_ptr<http::HttpClient> http, std::shared_ptr<llm::Sleeper> sleeper,
             std::shared_ptr<core::Clock> clock);

  boost::asio::awaitable<core::Result<JiraStory>> fetchStory(std::string key) override;

  const JiraConfig& config() const { return config_; }

 private:
  JiraConfig config_;
  std::unique_ptr<RestClient> rest_;
};

// The issue's URL for `key` under config (fields and expand as the criteria
// field needs them).
std::string issueUrl(const JiraConfig& config, const std::string& key);

// A story from Jira's issue body, with the criteria found as config says;
// kUnavailable when the body is not an issue.
core::Result<JiraStory> storyFromIssue(const JiraConfig& config, const boost::json::value& issue);

}  // namespace codecrew::integrations::jira
