#include "engine/pull_request_text.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>

namespace codecrew::engine {
namespace json = boost::json;

namespace {

std::string clip(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  return text.substr(0, limit) + "\n…";
}

// A task output as JSON when it is one (structured test reports and
// verdicts), else null.
json::value asJson(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return ec ? json::value(nullptr) : v;
}

std::string field(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_bool()) return v->get_bool() ? "yes" : "no";
  if (v->is_number()) return json::serialize(*v);
  return "";
}

std::string testSection(const std::string& text) {
  auto v = asJson(text);
  if (!v.is_object()) return clip(text, 1500);
  const auto& o = v.get_object();
  std::string out;
  for (const char* k : {"passed", "failed", "total", "summary"})
    if (auto f = field(o, k); !f.empty()) out += fmt::format("- {}: {}\n", k, f);
  return out.empty() ? clip(text, 1500) : out;
}

std::string reviewSection(const std::string& text) {
  auto v = asJson(text);
  if (!v.is_object()) return clip(text, 1500);
  const auto& o = v.get_object();
  std::string out;
  for (const char* k : {"verdict", "approved", "summary"})
    if (auto f = field(o, k); !f.empty()) out += fmt::format("- {}: {}\n", k, f);
  return out.empty() ? clip(text, 1500) : out;
}

}  // namespace

std::string pullRequestTitle(const std::string& workflow_name, const std::string& story_key) {
  std::string name = workflow_name.empty() ? "codecrew change" : workflow_name;
  if (!story_key.empty() && name.rfind(story_key, 0) != 0) name = story_key + ": " + name;
  return clip(name, 200);
}

std::string pullRequestBody(const PullRequestFacts& f) {
  std::string b = "## Goal\n" + clip(f.goal, 3000) + "\n";
  if (f.plan && !f.plan->tasks.empty()) {
    b += "\n## Plan\n";
    if (!f.plan->summary.empty()) b += clip(f.plan->summary, 1000) + "\n\n";
    for (const auto& t : f.plan->tasks) b += fmt::format("- **{}** {}\n", t.id, t.title);
  }
  for (const char* name : {"test", "tests"})
    if (auto it = f.outputs.find(name); it != f.outputs.end()) {
      b += "\n## Tests\n" + testSection(it->second) + "\n";
      break;
    }
  if (auto it = f.outputs.find("review"); it != f.outputs.end())
    b += "\n## Review\n" + reviewSection(it->second) + "\n";
  b += fmt::format("\n## Cost\n{} tokens, ${:.4f}\n", f.tokens, f.cost);
  if (!f.execution_link.empty()) b += "\n[The execution in codecrew](" + f.execution_link + ")\n";
  b += "\n---\nOpened by codecrew. Failed checks and reviews that request changes on this pull request are "
       "answered by the crew.\n";
  return b;
}

}  // namespace codecrew::engine
