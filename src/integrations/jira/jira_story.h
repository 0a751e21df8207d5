// JiraStory: what codecrew takes from a Jira issue to make a workflow of it,
// and the workflow's name and goal made from it.
// Thread-safety: a plain value; the functions are pure.
#pragma once

#include <string>

namespace codecrew::integrations::jira {

struct JiraStory {
  std::string key;  // as Jira returned it: a moved issue answers with its new key
  std::string summary;
  std::string description_markdown;  // "" when the issue has none
  std::string criteria_markdown;     // "" when the field is empty or not found
};

// "<KEY>: <summary>" (the key alone without a summary), cut at 200 bytes on
// a character boundary (POST /workflows' limit on a name).
std::string workflowName(const JiraStory& story);

// The description, then "## Acceptance criteria" with the criteria when
// there are any; cut at 100000 bytes on a character boundary.
std::string workflowGoal(const JiraStory& story);

}  // namespace codecrew::integrations::jira
