#include "delivery/github_delivery.h"

#include "core/log.h"
#include "tools/git/git_remote.h"
#include "tools/git/git_repository.h"

#include <charconv>
#include <string_view>

namespace codecrew::delivery {
namespace gh = integrations::github;

GitHubDelivery::GitHubDelivery(std::shared_ptr<store::Store> store, std::shared_ptr<gh::GitHubClient> client,
                               gh::GitHubConfig config)
    : store_(std::move(store)), client_(std::move(client)), config_(std::move(config)) {}

bool GitHubDelivery::delivers(const std::string& url) const {
  return gh::repoFromUrl(url, config_.web_url).has_value();
}

boost::asio::awaitable<core::Result<gh::PullRequestInfo>> GitHubDelivery::openOrAdopt(const gh::RepoName& repo,
                                                                                      const engine::DeliveryRequest& r,
                                                                                      bool& opened) {
  auto open = co_await client_->findOpenPullRequest(repo, r.branch);
  if (!open) co_return open.error();
  if (*open) co_return **open;
  auto info = co_await client_->repository(repo);
  if (!info) co_return info.error();
  if (info->default_branch.empty())
    co_return core::Error::unavailable("GitHub did not say which branch is the default of " + repo.full());
  gh::NewPullRequest pr{r.title, r.branch, info->default_branch, r.body, config_.draft};
  auto created = co_await client_->createPullRequest(repo, pr);
  if (created) {
    opened = true;
    co_return *created;
  }
  if (created.error().message.find("No commits between") != std::string::npos)
    co_return gh::PullRequestInfo{};  // number 0: the execution changed nothing; no pull request
  if (created.error().code != core::ErrorCode::kAlreadyExists) co_return created.error();
  // Opened meanwhile (another delivery, a person): adopt it.
  auto again = co_await client_->findOpenPullRequest(repo, r.branch);
  if (!again) co_return again.error();
  if (!*again) co_return created.error();
  co_return **again;
}

boost::asio::awaitable<core::Result<engine::DeliveryOutcome>> GitHubDelivery::deliver(engine::DeliveryRequest r) {
  auto repo = gh::repoFromUrl(r.repository_url, config_.web_url);
  if (!repo)
    co_return core::Error::invalidArgument("'" + r.repository_url + "' is not a repository on " + config_.web_url);
  auto local = tools::GitRepository::open(r.workspace.string());
  if (!local) co_return local.error();
  auto head = local->headCommit();
  if (!head) co_return head.error();
  if (auto pushed = tools::pushHead({r.repository_url, config_.token}, r.workspace.string(), r.branch); !pushed)
    co_return pushed.error();
  engine::DeliveryOutcome out;
  out.head_sha = *head;

  auto row = store_->getPullRequest(r.tenant_id, r.workflow_id);
  if (!row) co_return row.error();
  if (r.follow_up && *row && (*row)->state == "open") {
    store::PullRequest pr = **row;
    // "review_comment:<id>": the answer goes in that comment's thread.
    const std::string prefix = "review_comment:";
    std::int64_t reply_to = 0;
    if (r.follow_up_kind.rfind(prefix, 0) == 0) {
      auto id = std::string_view(r.follow_up_kind).substr(prefix.size());
      std::from_chars(id.data(), id.data() + id.size(), reply_to);
    }
    auto said = reply_to ? co_await client_->replyToReviewComment(*repo, pr.number, reply_to, r.summary)
                         : co_await client_->comment(*repo, pr.number, r.summary);
    if (!said)
      core::log::warn("could not comment on the pull request",
                      {{"number", pr.number}, {"error", said.error().message}});
    pr.head_sha = *head;
    pr.loop_state = "idle";
    pr.loop_reason.clear();
    auto saved = store_->upsertPullRequest(pr);
    if (!saved) co_return saved.error();
    out.number = pr.number;
    out.url = pr.url;
    out.adopted = true;
    co_return out;
  }
  bool opened = false;
  auto info = co_await openOrAdopt(*repo, r, opened);
  if (!info) co_return info.error();
  if (info->number == 0) co_return out;  // nothing to propose
  store::PullRequest pr = *row ? **row : store::PullRequest{};
  pr.tenant_id = r.tenant_id;
  pr.workflow_id = r.workflow_id;
  pr.number = info->number;
  pr.url = info->url;
  pr.title = info->title;
  pr.state = info->state.empty() ? "open" : info->state;
  pr.head_branch = r.branch;
  pr.base_branch = info->base_branch;
  pr.head_sha = *head;
  pr.repository = repo->full();
  pr.draft = info->draft;
  // A new execution (a person's start, not a follow-up) starts the loop afresh.
  pr.loop_state = "idle";
  pr.loop_reason.clear();
  pr.fix_attempts = 0;
  pr.fingerprints = boost::json::array();
  auto saved = store_->upsertPullRequest(pr);
  if (!saved) co_return saved.error();
  out.number = info->number;
  out.url = info->url;
  out.opened = opened;
  out.adopted = !opened;
  co_return out;
}

}  // namespace codecrew::delivery
