#include "webhook_payloads.h"

#include "core/crypto.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace codecrew::testing {
namespace {

namespace json = boost::json;

constexpr const char* kWeb = "https://github.com";
constexpr const char* kApi = "https://api.github.com";

json::object account(const std::string& login, const char* type = "User") {
  return {{"login", login},
          {"id", 1000 + std::int64_t(login.size())},
          {"url", std::string(kApi) + "/users/" + login},
          {"html_url", std::string(kWeb) + "/" + login},
          {"type", type},
          {"site_admin", false}};
}

json::object repository(const std::string& full) {
  auto slash = full.find('/');
  std::string owner = full.substr(0, slash), name = full.substr(slash + 1);
  return {{"id", 731200455},
          {"name", name},
          {"full_name", full},
          {"private", false},
          {"owner", account(owner, "Organization")},
          {"html_url", std::string(kWeb) + "/" + full},
          {"url", std::string(kApi) + "/repos/" + full},
          {"clone_url", std::string(kWeb) + "/" + full + ".git"},
          {"default_branch", "main"},
          {"fork", false}};
}

json::array pullRefs(const std::string& full, const std::vector<std::int64_t>& numbers, const std::string& branch,
                     const std::string& sha) {
  json::array out;
  for (auto n : numbers) {
    json::object repo{{"id", 731200455}, {"url", std::string(kApi) + "/repos/" + full}, {"name", full}};
    out.push_back(json::object{{"url", std::string(kApi) + "/repos/" + full + "/pulls/" + std::to_string(n)},
                               {"id", 1834001200 + n},
                               {"number", n},
                               {"head", {{"ref", branch}, {"sha", sha}, {"repo", repo}}},
                               {"base", {{"ref", "main"}, {"repo", repo}}}});
  }
  return out;
}

json::object pullRequest(const std::string& full, std::int64_t number, const std::string& head_branch,
                         const std::string& head_sha, const std::string& base_branch, const std::string& state,
                         bool merged, bool draft, const std::string& title, const std::string& body,
                         const std::string& head_repository) {
  const std::string head_full = head_repository.empty() ? full : head_repository;
  json::object head_repo = repository(head_full);
  if (!head_repository.empty()) head_repo["fork"] = true;
  const std::string html = std::string(kWeb) + "/" + full + "/pull/" + std::to_string(number);
  return {{"url", std::string(kApi) + "/repos/" + full + "/pulls/" + std::to_string(number)},
          {"id", 1834001200 + number},
          {"html_url", html},
          {"number", number},
          {"state", state},
          {"locked", false},
          {"title", title},
          {"user", account("codecrew-bot")},
          {"body", body},
          {"created_at", "2026-01-06T10:03:00Z"},
          {"updated_at", "2026-01-06T10:20:11Z"},
          {"closed_at", state == "closed" ? json::value("2026-01-07T08:00:00Z") : json::value(nullptr)},
          {"merged_at", merged ? json::value("2026-01-07T08:00:00Z") : json::value(nullptr)},
          {"draft", draft},
          {"head",
           {{"label", head_full.substr(0, head_full.find('/')) + ":" + head_branch},
            {"ref", head_branch},
            {"sha", head_sha},
            {"repo", head_repo}}},
          {"base",
           {{"label", full.substr(0, full.find('/')) + ":" + base_branch},
            {"ref", base_branch},
            {"sha", "89e6c98d92887913cadf06b2adb97f26cde4849b"},
            {"repo", repository(full)}}},
          {"author_association", "CONTRIBUTOR"},
          {"merged", merged},
          {"mergeable", nullptr},
          {"mergeable_state", "unknown"}};
}

json::value orNull(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }

}  // namespace

std::string signatureFor(const std::string& secret, const std::string& body) {
  return "sha256=" + core::hmacSha256Hex(secret, body);
}

std::vector<std::pair<std::string, std::string>> webhookHeaders(const std::string& event, const std::string& delivery,
                                                                const std::string& secret, const std::string& body) {
  return {{"X-GitHub-Event", event},
          {"X-GitHub-Delivery", delivery},
          {"X-GitHub-Hook-ID", "512300771"},
          {"X-Hub-Signature-256", signatureFor(secret, body)},
          {"Content-Type", "application/json"},
          {"User-Agent", "GitHub-Hookshot/4a2c1f7"}};
}

std::string pingPayload(const PingPayload& p) {
  return json::serialize(
      json::object{{"zen", p.zen},
                   {"hook_id", p.hook_id},
                   {"hook",
                    {{"type", "Repository"},
                     {"id", p.hook_id},
                     {"name", "web"},
                     {"active", true},
                     {"events", json::array{"check_run", "check_suite", "issue_comment", "pull_request",
                                            "pull_request_review", "pull_request_review_comment"}},
                     {"config", {{"content_type", "json"}, {"insecure_ssl", "0"}}}}},
                   {"repository", repository(p.repository)},
                   {"sender", account("alice-reviewer")}});
}

std::string pullRequestPayload(const PullRequestPayload& p) {
  return json::serialize(
      json::object{{"action", p.action},
                   {"number", p.number},
                   {"pull_request", pullRequest(p.repository, p.number, p.head_branch, p.head_sha, p.base_branch,
                                                p.state, p.merged, p.draft, p.title, p.body, p.head_repository)},
                   {"repository", repository(p.repository)},
                   {"sender", account(p.sender)}});
}

std::string checkRunPayload(const CheckRunPayload& p) {
  auto prs = pullRefs(p.repository, p.pull_numbers, p.head_branch, p.head_sha);
  const std::string html = p.html_url.empty()
                               ? std::string(kWeb) + "/" + p.repository + "/actions/runs/1/job/" + std::to_string(p.id)
                               : p.html_url;
  json::object app{{"id", 15368}, {"slug", "github-actions"}, {"name", "GitHub Actions"}};
  return json::serialize(json::object{
      {"action", p.action},
      {"check_run",
       {{"id", p.id},
        {"name", p.name},
        {"head_sha", p.head_sha},
        {"external_id", ""},
        {"url", std::string(kApi) + "/repos/" + p.repository + "/check-runs/" + std::to_string(p.id)},
        {"html_url", html},
        {"details_url", html},
        {"status", p.status},
        {"conclusion", orNull(p.conclusion)},
        {"started_at", "2026-01-06T10:03:09Z"},
        {"completed_at", p.status == "completed" ? json::value("2026-01-06T10:06:38Z") : json::value(nullptr)},
        {"output",
         {{"title", orNull(p.title)},
          {"summary", orNull(p.summary)},
          {"text", orNull(p.text)},
          {"annotations_count", 0}}},
        {"check_suite",
         {{"id", 31920045512},
          {"head_branch", orNull(p.head_branch)},
          {"head_sha", p.head_sha},
          {"status", p.status},
          {"conclusion", orNull(p.conclusion)},
          {"pull_requests", prs},
          {"app", app}}},
        {"app", app},
        {"pull_requests", prs}}},
      {"repository", repository(p.repository)},
      {"sender", account("github-actions[bot]", "Bot")}});
}

std::string checkSuitePayload(const CheckSuitePayload& p) {
  return json::serialize(
      json::object{{"action", p.action},
                   {"check_suite",
                    {{"id", p.id},
                     {"head_branch", orNull(p.head_branch)},
                     {"head_sha", p.head_sha},
                     {"status", p.status},
                     {"conclusion", orNull(p.conclusion)},
                     {"url", std::string(kApi) + "/repos/" + p.repository + "/check-suites/" + std::to_string(p.id)},
                     {"before", "89e6c98d92887913cadf06b2adb97f26cde4849b"},
                     {"after", p.head_sha},
                     {"pull_requests", pullRefs(p.repository, p.pull_numbers, p.head_branch, p.head_sha)},
                     {"app", {{"id", 15368}, {"slug", "github-actions"}, {"name", p.app_name}}},
                     {"latest_check_runs_count", 1}}},
                   {"repository", repository(p.repository)},
                   {"sender", account("github-actions[bot]", "Bot")}});
}

std::string reviewPayload(const ReviewPayload& p) {
  const std::string pr_url = std::string(kWeb) + "/" + p.repository + "/pull/" + std::to_string(p.number);
  return json::serialize(
      json::object{{"action", p.action},
                   {"review",
                    {{"id", p.review_id},
                     {"user", account(p.user)},
                     {"body", orNull(p.body)},
                     {"commit_id", p.head_sha},
                     {"submitted_at", "2026-01-06T11:15:02Z"},
                     {"state", p.state},
                     {"html_url", pr_url + "#pullrequestreview-" + std::to_string(p.review_id)},
                     {"author_association", p.author_association}}},
                   {"pull_request", pullRequest(p.repository, p.number, p.head_branch, p.head_sha, "main", "open",
                                                false, false, "codecrew: a change", "", "")},
                   {"repository", repository(p.repository)},
                   {"sender", account(p.user)}});
}

std::string reviewCommentPayload(const ReviewCommentPayload& p) {
  const std::string pr_url = std::string(kWeb) + "/" + p.repository + "/pull/" + std::to_string(p.number);
  return json::serialize(
      json::object{{"action", p.action},
                   {"comment",
                    {{"id", p.comment_id},
                     {"pull_request_review_id", 2458801200},
                     {"diff_hunk", "@@ -1,3 +1,4 @@"},
                     {"path", p.path},
                     {"commit_id", p.head_sha},
                     {"original_commit_id", p.head_sha},
                     {"user", account(p.user)},
                     {"body", p.body},
                     {"created_at", "2026-01-06T11:14:40Z"},
                     {"updated_at", "2026-01-06T11:14:40Z"},
                     {"html_url", pr_url + "#discussion_r" + std::to_string(p.comment_id)},
                     {"author_association", p.author_association},
                     {"line", p.line == 0 ? json::value(nullptr) : json::value(p.line)},
                     {"original_line", p.line},
                     {"side", "RIGHT"},
                     {"subject_type", "line"}}},
                   {"pull_request", pullRequest(p.repository, p.number, p.head_branch, p.head_sha, "main", "open",
                                                false, false, "codecrew: a change", "", "")},
                   {"repository", repository(p.repository)},
                   {"sender", account(p.user)}});
}

std::string issueCommentPayload(const IssueCommentPayload& p) {
  const std::string kind = p.on_pull_request ? "/pull/" : "/issues/";
  json::object issue{{"url", std::string(kApi) + "/repos/" + p.repository + "/issues/" + std::to_string(p.number)},
                     {"html_url", std::string(kWeb) + "/" + p.repository + kind + std::to_string(p.number)},
                     {"id", 2771200000 + p.number},
                     {"number", p.number},
                     {"title", "codecrew: a change"},
                     {"user", account("codecrew-bot")},
                     {"state", "open"},
                     {"locked", false},
                     {"comments", 1},
                     {"author_association", "CONTRIBUTOR"}};
  if (p.on_pull_request)
    issue["pull_request"] =
        json::object{{"url", std::string(kApi) + "/repos/" + p.repository + "/pulls/" + std::to_string(p.number)},
                     {"html_url", std::string(kWeb) + "/" + p.repository + "/pull/" + std::to_string(p.number)},
                     {"merged_at", nullptr}};
  return json::serialize(
      json::object{{"action", p.action},
                   {"issue", std::move(issue)},
                   {"comment",
                    {{"id", p.comment_id},
                     {"html_url", std::string(kWeb) + "/" + p.repository + kind + std::to_string(p.number) +
                                      "#issuecomment-" + std::to_string(p.comment_id)},
                     {"user", account(p.user)},
                     {"created_at", "2026-01-06T11:20:00Z"},
                     {"updated_at", "2026-01-06T11:20:00Z"},
                     {"author_association", p.author_association},
                     {"body", p.body}}},
                   {"repository", repository(p.repository)},
                   {"sender", account(p.user)}});
}

}  // namespace codecrew::testing
