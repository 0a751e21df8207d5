// PullRequestSync: keeps a workflow's PullRequest and Check rows current
// with GitHub: the pull request's state and head, the check runs and the
// combined commit status of the head (statuses are stored as checks named
// "status/<context>"). Checks of a commit that is no longer the head are
// dropped. Used by POST /workflows/{id}/pr/refresh (in the background) and
// by the delivery loop for check suites.
// GitHub calls per refresh: 3 (pull request, check runs, status).
// Thread-safety: refresh() may be called from any coroutine.
#pragma once

#include "integrations/github/github_client.h"
#include "integrations/github/host_event.h"
#include "store/store.h"

#include <memory>

namespace codecrew::delivery {

class PullRequestSync {
 public:
  PullRequestSync(std::shared_ptr<store::Store> store, std::shared_ptr<integrations::github::GitHubClient> client);

  // kNotFound when the workflow has no pull request.
  boost::asio::awaitable<core::Result<store::PullRequest>> refresh(core::Id tenant_id, core::Id workflow_id);

  // Stores the pull request's current diff of each file it changes as a
  // Diff row of the workflow (no execution) when it differs from the newest
  // stored for that path (people push to pull requests too); returns how
  // many were added. GitHub calls: 1 per 100 files.
  boost::asio::awaitable<core::Result<int>> refreshDiffs(core::Id tenant_id, core::Id workflow_id);
  // Reads each artifact the crew wrote (docs/crew/<kind>.*) at the pull
  // request's head and stores it as a new Artifact when its content changed;
  // returns how many were added. GitHub calls: 1 per artifact kind.
  boost::asio::awaitable<core::Result<int>> refreshArtifacts(core::Id tenant_id, core::Id workflow_id);

  // Stores the check a webhook reported on the pull request's head; false
  // (nothing stored) when it ran on another commit.
  core::Result<bool> recordCheck(const store::PullRequest& pr, const integrations::github::HostEvent& event);

 private:
  core::Result<store::PullRequest> pullRequestOf(core::Id tenant_id, core::Id workflow_id);
  std::shared_ptr<store::Store> store_;
  std::shared_ptr<integrations::github::GitHubClient> client_;
};

// The last `limit` bytes of a check's output, cut at a line start.
std::string outputTail(const std::string& text, std::size_t limit = 4000);

}  // namespace codecrew::delivery
