// The text of the pull request an execution opens: a title from the
// workflow, and a body that summarises the goal, the plan, the test report,
// the review verdict and the cost, with a link to the execution in the web
// UI. Pure functions (tested in tests/unit/engine).
#pragma once

#include "engine/plan.h"

#include <map>
#include <optional>
#include <string>

namespace codecrew::engine {

struct PullRequestFacts {
  std::string goal;
  std::string story_key;  // "" for none
  std::optional<Plan> plan;
  std::map<std::string, std::string> outputs;  // crew task name -> output (test, review, ...)
  std::int64_t tokens = 0;
  double cost = 0;
  std::string execution_link;  // "" when the server's public_url is not set
};

std::string pullRequestTitle(const std::string& workflow_name, const std::string& story_key);
std::string pullRequestBody(const PullRequestFacts& facts);

}  // namespace codecrew::engine
