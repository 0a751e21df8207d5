// FakeGitHub: a fake GitHub for tests, in-process, on 127.0.0.1 and a free
// port, serving as GitHub Enterprise does:
//   REST           <baseUrl()>/api/v3/...       (apiUrl())
//   git smart HTTP <baseUrl()>/<owner>/<repo>.git/...  (gitUrl())
// Repositories are real bare git repositories in a temporary directory
// (removed with the fake), made with the git CLI; clones, fetches and pushes
// go through `git http-backend`.
//
// git: every request needs `Authorization: Basic base64(<any user>:<token>)`
// (git sends it from http.extraHeader or a credential helper), else 401
// with `WWW-Authenticate: Basic realm="GitHub"`. Pushes that are not fast
// forwards are refused (receive.denyNonFastForwards), and so is a push whose
// new commits touch .github/workflows/ while the scopes lack "workflow",
// with GitHub's words on git's stderr: "remote: refusing to allow an OAuth
// App to create or update workflow `.github/workflows/ci.yml` without
// `workflow` scope" (the ref itself is reported "pre-receive hook declined").
//
// REST: `Authorization: Bearer <token>` or `token <token>`, else 401
// {"message": "Bad credentials"}. Every answer carries x-ratelimit-limit,
// -remaining (counting down), -reset, -used, -resource and X-OAuth-Scopes.
// Unknown paths are 404 {"message": "Not Found"}. Routes (under /api/v3):
//   GET    /repos/{o}/{r}
//   GET    /repos/{o}/{r}/pulls?state=open|closed|all&head={o}:{branch}&base=
//   POST   /repos/{o}/{r}/pulls {title, head, base, body, draft}: 201, or 422
//          Validation Failed: an open pull request already exists for the
//          head ("A pull request already exists for o:branch."), the head or
//          base branch does not exist (field head/base, code invalid), no
//          commits between base and head, a missing title
//   GET    /repos/{o}/{r}/pulls/{n}   (head.sha: the branch's commit now)
//   PATCH  /repos/{o}/{r}/pulls/{n} {title, body, state, base}
//   GET    /repos/{o}/{r}/pulls/{n}/files   (git diff base...head)
//   GET    /repos/{o}/{r}/pulls/{n}/comments   (review comments)
//   POST   /repos/{o}/{r}/pulls/{n}/comments/{id}/replies {body}: 201; 404
//          unless {id} is a review comment of that pull request
//          (addReviewComment)
//   GET    /repos/{o}/{r}/commits/{ref}/check-runs?check_name=&status=
//          (setCheckRuns; ref: a sha or a branch)
//   GET    /repos/{o}/{r}/commits/{ref}/status   (setCombinedStatus; default
//          state "pending" with no statuses)
//   GET    /repos/{o}/{r}/contents/{path}?ref=   (raw: Accept application/vnd.github.raw+json)
//   GET    /repos/{o}/{r}/issues/{n}/comments
//   POST   /repos/{o}/{r}/issues/{n}/comments {body}: 201
// queueFault() answers the next REST calls (in order) with scripted faults
// before anything else is looked at: 429 with retry-after, a 403 with
// x-ratelimit-remaining 0, a secondary rate limit, a 502...
//
// Thread-safety: every method may be called from any thread once start()
// has returned; the server serves from its own threads.
#pragma once

#include "core/result.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace codecrew::testing {

struct FakeGitHubOptions {
  std::string token = "ghp_fake0123456789abcdefghijklmnopqrstuv";
  std::vector<std::string> scopes = {"repo", "workflow"};  // X-OAuth-Scopes; without "workflow" see above
  std::string login = "codecrew-bot";                      // the token's user (authors comments)
  std::string host = "127.0.0.1";
};

// One request the fake received (REST or git).
struct FakeGitHubRequest {
  std::string kind;  // "rest" or "git"
  std::string method;
  std::string path;   // decoded, without the query
  std::string query;  // as sent, without '?'
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // A header's value ("" when absent); names compare case-insensitively.
  std::string header(std::string_view name) const;
};

// A scripted REST answer (queueFault). Headers override the usual ones of
// the same name (x-ratelimit-remaining: 0 ...).
struct FakeFault {
  int status = 500;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body = R"({"message":"Server Error"})";
};

// The scripted faults GitHub's rate limits answer with.
FakeFault primaryRateLimitFault(std::int64_t reset_epoch_seconds);  // 403, x-ratelimit-remaining: 0
FakeFault secondaryRateLimitFault(int retry_after_seconds);         // 403 secondary rate limit, retry-after
FakeFault tooManyRequestsFault(int retry_after_seconds);            // 429, retry-after

struct FakeCheckRun {
  std::int64_t id = 0;  // 0: assigned
  std::string name = "build";
  std::string status = "completed";  // queued, in_progress, completed
  std::string conclusion;            // success, failure, ... ("" while not completed)
  std::string html_url;              // "": made up from the id
  std::string details_url;
  std::string title;  // output.title
  std::string summary;
  std::string text;
};

struct FakeCommitStatus {
  std::string context = "ci/legacy";
  std::string state = "pending";  // error, failure, pending, success
  std::string description;
  std::string target_url;
};

struct FakePull {
  std::int64_t number = 0;
  std::string title;
  std::string body;
  std::string head;  // the branch
  std::string base;
  std::string state = "open";  // open, closed
  bool draft = false;
  bool merged = false;
  std::string html_url;
};

struct FakeComment {
  std::int64_t id = 0;
  std::int64_t number = 0;  // the pull request's
  std::string body;
  std::string user;
  std::string html_url;
  // Review comments only.
  std::string path;
  std::int64_t line = 0;
  std::int64_t in_reply_to_id = 0;  // a reply's comment
};

class FakeGitHub {
 public:
  explicit FakeGitHub(FakeGitHubOptions options = {});
  ~FakeGitHub();
  FakeGitHub(const FakeGitHub&) = delete;
  FakeGitHub& operator=(const FakeGitHub&) = delete;

  // Binds and starts serving. kUnavailable if it cannot listen.
  core::Status start();
  // Stops serving. Idempotent; the destructor calls it.
  void stop();
  int port() const;
  std::string baseUrl() const;  // "http://127.0.0.1:<port>"
  std::string apiUrl() const;   // baseUrl() + "/api/v3"

  // A repository whose default branch holds one commit with `files` (path
  // -> content). kAlreadyExists if it exists; kInternal if git fails.
  core::Status createRepository(const std::string& owner, const std::string& name,
                                const std::string& default_branch = "main",
                                const std::map<std::string, std::string>& files = {{"README.md", "# project\n"}});
  std::string gitUrl(const std::string& owner, const std::string& name) const;  // baseUrl()/owner/name.git
  std::string bareRepositoryPath(const std::string& owner, const std::string& name) const;
  // The branch's commit (nullopt: no such repository or branch).
  std::optional<std::string> branchSha(const std::string& owner, const std::string& name,
                                       const std::string& branch) const;
  // A file of a branch (nullopt: no such repository, branch or file).
  std::optional<std::string> fileAt(const std::string& owner, const std::string& name, const std::string& branch,
                                    const std::string& path) const;

  // The token's scopes from now on (pushes and X-OAuth-Scopes).
  void setScopes(std::vector<std::string> scopes);
  // The check runs GET .../commits/{sha}/check-runs lists for a commit.
  void setCheckRuns(const std::string& sha, std::vector<FakeCheckRun> runs);
  // The combined status of a commit (GET .../commits/{sha}/status).
  void setCombinedStatus(const std::string& sha, const std::string& state, std::vector<FakeCommitStatus> statuses);
  // The next REST call (after those queued before) gets this answer.
  void queueFault(FakeFault fault);
  // A review comment on a pull request, as a reviewer leaves one; its id
  // (replies may then answer it).
  std::int64_t addReviewComment(const std::string& owner, const std::string& name, std::int64_t number,
                                const std::string& path, std::int64_t line, const std::string& body,
                                const std::string& user = "alice-reviewer");
  // Closes (merged or not) or reopens a pull request, as a person would.
  core::Status setPullState(const std::string& owner, const std::string& name, std::int64_t number,
                            const std::string& state, bool merged = false);

  // What was received, in order (REST and git).
  std::vector<FakeGitHubRequest> requests() const;
  std::vector<FakePull> pulls(const std::string& owner, const std::string& name) const;
  // The issue comments of a pull request, in order.
  std::vector<FakeComment> comments(const std::string& owner, const std::string& name, std::int64_t number) const;
  // Its review comments (addReviewComment) and the replies to them, in order.
  std::vector<FakeComment> reviewComments(const std::string& owner, const std::string& name, std::int64_t number) const;
  // How many POST .../pulls were received (refused ones included).
  int pullCreateCount() const;

  const FakeGitHubOptions& options() const;
  // "Basic base64(x-access-token:<token>)", the Authorization header git
  // needs (e.g. `git -c http.extraHeader="Authorization: ..."`).
  static std::string basicAuthorization(const std::string& token);

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace codecrew::testing
