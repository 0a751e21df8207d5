// StorySource: where stories come from (Jira through JiraClient; tests may
// give a fake of their own).
// Contract of fetchStory(): the story of `key` (an issue key such as PROJ-12,
// or its numeric id), or an error value:
//   kInvalidArgument  the key cannot be an issue key (nothing was asked);
//   kNotFound         the tracker has no such issue, or does not show it;
//   kUnauthenticated  the tracker refused the credentials (401);
//   kPermissionDenied the credentials may not read it (403);
//   kResourceExhausted a rate limit the client would not wait out;
//   kFailedPrecondition the source is not configured (the message says what to set);
//   kUnavailable      anything else (unreachable, 5xx after retries, a body
//                     that is not an issue).
// Messages name the key and the tracker, never a credential.
// Thread-safety: implementations may be called from any number of coroutines.
#pragma once

#include "core/result.h"
#include "integrations/jira/jira_story.h"

#include <boost/asio/awaitable.hpp>

#include <string>

namespace codecrew::integrations::jira {

class StorySource {
 public:
  virtual ~StorySource() = default;
  virtual boost::asio::awaitable<core::Result<JiraStory>> fetchStory(std::string key) = 0;
};

}  // namespace codecrew::integrations::jira
