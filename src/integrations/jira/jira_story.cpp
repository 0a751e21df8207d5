#include "integrations/jira/jira_story.h"

namespace codecrew::integrations::jira {
namespace {

// `text` cut to at most `limit` bytes without splitting a UTF-8 sequence.
std::string cutUtf8(std::string text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text;
}

}  // namespace

std::string workflowName(const JiraStory& story) {
  return cutUtf8(story.summary.empty() ? story.key : story.key + ": " + story.summary, 200);
}

std::string workflowGoal(const JiraStory& story) {
  std::string goal = story.description_markdown;
  if (!story.criteria_markdown.empty()) {
    if (!goal.empty()) goal += "\n\n";
    goal += "## Acceptance criteria\n\n" + story.criteria_markdown;
  }
  return cutUtf8(std::move(goal), 100'000);
}

}  // namespace codecrew::integrations::jira
