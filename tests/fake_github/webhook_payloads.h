// Webhook deliveries as GitHub sends them, for tests that post them to
// codecrew: payloads in GitHub's shapes (those of tests/data/github/, with
// the values a test chooses) and their X-Hub-Signature-256.
//   auto body = checkRunPayload({.repository = "octo/widgets", .head_branch = b,
//                                .head_sha = sha, .pull_numbers = {1}});
//   client.request("POST", "/webhooks/github", body,
//                  webhookHeaders("check_run", "guid-1", secret, body));
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace codecrew::testing {

// "sha256=" and the hex HMAC-SHA256 of body under secret.
std::string signatureFor(const std::string& secret, const std::string& body);

// X-GitHub-Event, X-GitHub-Delivery, X-Hub-Signature-256, X-GitHub-Hook-ID,
// Content-Type (application/json) and User-Agent, as GitHub sends them.
std::vector<std::pair<std::string, std::string>> webhookHeaders(const std::string& event, const std::string& delivery,
                                                                const std::string& secret, const std::string& body);

struct PingPayload {
  std::string repository = "octo-org/widgets";
  std::string zen = "Design for failure.";
  std::int64_t hook_id = 512300771;
};
std::string pingPayload(const PingPayload& p);

struct PullRequestPayload {
  std::string action = "opened";  // opened, closed, synchronize, reopened, labeled, ...
  std::string repository = "octo-org/widgets";
  std::int64_t number = 1;
  std::string head_branch;
  std::string head_sha;
  std::string base_branch = "main";
  std::string state = "open";  // closed for action closed
  bool merged = false;
  bool draft = false;
  std::string title = "codecrew: a change";
  std::string body;
  std::string sender = "codecrew-bot";
  std::string head_repository;  // "": the repository itself; else a fork's "owner/name"
};
std::string pullRequestPayload(const PullRequestPayload& p);

struct CheckRunPayload {
  std::string action = "completed";  // created, completed, rerequested, ...
  std::string repository = "octo-org/widgets";
  std::int64_t id = 34100012345;
  std::string name = "build";
  std::string head_branch;
  std::string head_sha;
  std::string status = "completed";
  std::string conclusion = "failure";      // "" reads as null
  std::vector<std::int64_t> pull_numbers;  // empty: as for a fork's pull request
  std::string html_url;                    // "": made up from the id
  std::string title = "1 failing test";
  std::string summary;
  std::string text;
};
std::string checkRunPayload(const CheckRunPayload& p);

struct CheckSuitePayload {
  std::string action = "completed";
  std::string repository = "octo-org/widgets";
  std::int64_t id = 31920045512;
  std::string app_name = "GitHub Actions";
  std::string head_branch;
  std::string head_sha;
  std::string status = "completed";
  std::string conclusion = "failure";
  std::vector<std::int64_t> pull_numbers;
};
std::string checkSuitePayload(const CheckSuitePayload& p);

struct ReviewPayload {
  std::string action = "submitted";
  std::string repository = "octo-org/widgets";
  std::int64_t number = 1;
  std::string head_branch;
  std::string head_sha;
  std::int64_t review_id = 2458801200;
  std::string state = "changes_requested";  // approved, changes_requested, commented
  std::string body = "Please handle an empty input.";
  std::string user = "alice-reviewer";
  std::string author_association = "MEMBER";
};
std::string reviewPayload(const ReviewPayload& p);

struct ReviewCommentPayload {
  std::string action = "created";
  std::string repository = "octo-org/widgets";
  std::int64_t number = 1;
  std::string head_branch;
  std::string head_sha;
  std::int64_t comment_id = 1904400321;  // FakeGitHub::addReviewComment's id, to reply to it
  std::string path = "src/main.py";
  std::int64_t line = 1;
  std::string body = "Add a test for this.";
  std::string user = "alice-reviewer";
  std::string author_association = "COLLABORATOR";
};
std::string reviewCommentPayload(const ReviewCommentPayload& p);

struct IssueCommentPayload {
  std::string action = "created";
  std::string repository = "octo-org/widgets";
  std::int64_t number = 1;
  bool on_pull_request = true;  // false: a plain issue's comment
  std::int64_t comment_id = 2571100042;
  std::string body = "@codecrew please also update the README.";
  std::string user = "alice-reviewer";
  std::string author_association = "OWNER";
};
std::string issueCommentPayload(const IssueCommentPayload& p);

}  // namespace codecrew::testing
