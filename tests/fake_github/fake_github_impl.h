// The state behind FakeGitHub (fake_github.h), shared by its server
// (fake_github.cpp) and its REST handlers (fake_github_rest.cpp).
// Thread-safety: the fields under "guarded by mu" are read and written with
// mu held; git runs outside it (git locks the repositories itself).
#pragma once

#include "fake_github.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "http/server.h"

#include <boost/json/value.hpp>

#include <deque>
#include <mutex>

namespace codecrew::testing {

class FakeGitHub::Impl {
 public:
  struct Repo {
    std::string owner;
    std::string name;
    std::string default_branch;
    std::int64_t id = 0;
    std::int64_t next_number = 1;
    std::vector<FakePull> pulls;
    std::vector<FakeComment> comments;         // issue comments
    std::vector<FakeComment> review_comments;  // and replies
  };
  struct CombinedStatus {
    std::string state = "pending";
    std::vector<FakeCommitStatus> statuses;
  };

  explicit Impl(FakeGitHubOptions o);
  ~Impl();

  core::Status start();
  void stop();

  std::string baseUrl() const { return "http://" + options.host + ":" + std::to_string(port); }
  std::string apiUrl() const { return baseUrl() + "/api/v3"; }
  std::string barePath(const std::string& owner, const std::string& name) const;
  bool hasRepo(const std::string& owner, const std::string& name) const;
  std::string scopesHeader() const;  // "repo, workflow"
  std::int64_t nextId();

  // Records a received request.
  void record(const std::string& kind, const http::Request& req);
  // The next scripted fault, if any (and takes it off the queue).
  std::optional<FakeFault> takeFault();
  // The rate-limit and scope headers of a REST answer (one call counted).
  std::vector<std::pair<std::string, std::string>> restHeaders();

  // The REST routes (fake_github_rest.cpp).
  void addRestRoutes(http::Router& router);
  // The git smart HTTP routes (fake_github.cpp).
  void addGitRoutes(http::Router& router);

  // A pull request as GitHub renders it (head.sha read from the repository).
  boost::json::object pullJson(const Repo& repo, const FakePull& pull) const;

  const FakeGitHubOptions options;
  const std::string root;  // the temporary directory: repos/<owner>/<name>.git, scratch/
  int port = 0;
  std::unique_ptr<http::Server> server;
  std::once_flag stopped;
  std::int64_t rate_reset = 0;  // epoch seconds

  mutable std::mutex mu;
  // guarded by mu
  std::map<std::string, Repo> repos;  // by "owner/name"
  std::map<std::string, std::vector<FakeCheckRun>> check_runs;
  std::map<std::string, CombinedStatus> statuses;
  std::deque<FakeFault> faults;
  std::vector<FakeGitHubRequest> received;
  std::vector<std::string> scopes;
  int pull_creates = 0;
  int rate_remaining = 5000;
  std::int64_t next_id = 1000;
};

// "owner/name".
inline std::string repoKey(const std::string& owner, const std::string& name) { return owner + "/" + name; }

// GitHub's error body: {"message", "documentation_url"} and the errors.
http::Response gitHubError(int status, const std::string& message, boost::json::value errors = nullptr);

}  // namespace codecrew::testing
