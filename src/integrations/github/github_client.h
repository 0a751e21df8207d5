// GitHubClient: the GitHub REST calls delivery makes, over RestClient (so
// rate limits and retries are handled there), against api_url (GitHub's
// or a GitHub Enterprise server's /api/v3). Answers are reduced to plain
// values; a status GitHub documents for a case is mapped to an error code:
// 401 kUnauthenticated, 403 kPermissionDenied, 404 kNotFound, 422
// kInvalidArgument (kAlreadyExists for "A pull request already exists").
// The token is never in a message.
// Thread-safety: as RestClient.
#pragma once

#include "integrations/rest_client.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::integrations::github {

struct RepoName {
  std::string owner;
  std::string name;
  std::string full() const { return owner + "/" + name; }
};

struct RepositoryInfo {
  std::string full_name;
  std::string default_branch;
  std::string html_url;
};

struct PullRequestInfo {
  std::int64_t number = 0;
  std::string url;  // html_url
  std::string title;
  std::string state;  // open, closed
  bool draft = false;
  bool merged = false;
  std::string head_branch;
  std::string head_sha;
  std::string base_branch;
};

struct NewPullRequest {
  std::string title;
  std::string head;  // branch name in the same repository
  std::string base;
  std::string body;
  bool draft = true;
};

struct CheckRunInfo {
  std::int64_t id = 0;
  std::string name;
  std::string head_sha;
  std::string status;      // queued, in_progress, completed
  std::string conclusion;  // "" until completed
  std::string url;
  std::string summary;  // output.title and output.summary
  std::string text;     // output.text
};

struct CommitStatusInfo {
  std::string context;
  std::string state;  // error, failure, pending, success
  std::string description;
  std::string url;
};

struct CombinedStatus {
  std::string state;  // failure, pending, success
  std::string sha;
  std::vector<CommitStatusInfo> statuses;
};

struct PullFile {
  std::string filename;
  std::string status;  // added, removed, modified, renamed, ...
  std::string patch;   // the file's unified diff hunks ("" for binary or too large)
};

class GitHubClient {
 public:
  explicit GitHubClient(std::shared_ptr<RestClient> rest, std::string api_url);

  boost::asio::awaitable<core::Result<RepositoryInfo>> repository(const RepoName& repo);
  // The open pull request whose head is branch (of the same repository).
  boost::asio::awaitable<core::Result<std::optional<PullRequestInfo>>> findOpenPullRequest(const RepoName& repo,
                                                                                           const std::string& branch);
  boost::asio::awaitable<core::Result<PullRequestInfo>> createPullRequest(const RepoName& repo,
                                                                          const NewPullRequest& pr);
  boost::asio::awaitable<core::Result<PullRequestInfo>> pullRequest(const RepoName& repo, std::int64_t number);
  boost::asio::awaitable<core::Status> updatePullRequestBody(const RepoName& repo, std::int64_t number,
                                                             const std::string& body);
  boost::asio::awaitable<core::Result<std::vector<CheckRunInfo>>> checkRuns(const RepoName& repo,
                                                                            const std::string& sha);
  boost::asio::awaitable<core::Result<CombinedStatus>> combinedStatus(const RepoName& repo, const std::string& sha);
  // A comment on the pull request's conversation; returns its id.
  boost::asio::awaitable<core::Result<std::int64_t>> comment(const RepoName& repo, std::int64_t number,
                                                             const std::string& body);
  // A reply in a review comment's thread; returns its id.
  boost::asio::awaitable<core::Result<std::int64_t>> replyToReviewComment(const RepoName& repo, std::int64_t number,
                                                                          std::int64_t comment_id,
                                                                          const std::string& body);

  // The files a pull request changes, with their patches (up to 3000, as
  // GitHub lists them).
  boost::asio::awaitable<core::Result<std::vector<PullFile>>> pullFiles(const RepoName& repo, std::int64_t number);
  // A file's content at a commit; nullopt when the file is not there.
  boost::asio::awaitable<core::Result<std::optional<std::string>>> fileAt(const RepoName& repo, const std::string& path,
                                                                          const std::string& ref);

  // GitHub REST calls made so far (for the note's figures and the tests).
  std::int64_t calls() const { return calls_.load(); }

 private:
  boost::asio::awaitable<core::Result<RestResponse>> send(std::string method, std::string path,
                                                          std::optional<boost::json::value> body = std::nullopt,
                                                          http::Headers headers = {});
  std::shared_ptr<RestClient> rest_;
  std::string api_url_;
  std::atomic<std::int64_t> calls_{0};
};

// "owner/name" of a repository URL on the given web host
// (https://github.com/owner/name(.git)); nullopt when it is not one.
std::optional<RepoName> repoFromUrl(const std::string& url, const std::string& web_url);

}  // namespace codecrew::integrations::github
