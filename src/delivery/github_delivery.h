// GitHubDelivery: engine::Delivery for repositories under GitHub's web_url.
// deliver() pushes the workspace's HEAD to the branch (fast-forward only,
// tools/git/git_remote.h), then, for a first delivery, adopts the open pull
// request whose head is the branch or opens one against the repository's
// default_branch (a draft unless configured otherwise; a 422 "already
// exists" adopts), and stores the PullRequest row, its loop started afresh;
// a follow-up comments on the pull request (or replies in a review
// comment's thread) instead.
// GitHub calls: 3 for a new pull request (look up, repository, open), 1
// for an adopted one, 1 for a follow-up's comment.
// Thread-safety: deliver() may be called from any coroutine; the git
// process blocks the calling thread while it runs.
#pragma once

#include "engine/delivery.h"
#include "integrations/github/github_client.h"
#include "integrations/github/github_config.h"
#include "store/store.h"

#include <memory>

namespace codecrew::delivery {

class GitHubDelivery final : public engine::Delivery {
 public:
  GitHubDelivery(std::shared_ptr<store::Store> store, std::shared_ptr<integrations::github::GitHubClient> client,
                 integrations::github::GitHubConfig config);

  bool delivers(const std::string& repository_url) const override;
  boost::asio::awaitable<core::Result<engine::DeliveryOutcome>> deliver(engine::DeliveryRequest request) override;

 private:
  boost::asio::awaitable<core::Result<integrations::github::PullRequestInfo>> openOrAdopt(
      const integrations::github::RepoName& repo, const engine::DeliveryRequest& request, bool& opened);

  std::shared_ptr<store::Store> store_;
  std::shared_ptr<integrations::github::GitHubClient> client_;
  integrations::github::GitHubConfig config_;
};

}  // namespace codecrew::delivery
