#include "delivery/pull_request_sync.h"

namespace codecrew::delivery {
namespace gh = integrations::github;

std::string outputTail(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  auto start = text.size() - limit;
  auto nl = text.find('\n', start);
  if (nl != std::string::npos && nl + 1 < text.size()) start = nl + 1;
  return "…\n" + text.substr(start);
}

PullRequestSync::PullRequestSync(std::shared_ptr<store::Store> store, std::shared_ptr<gh::GitHubClient> client)
    : store_(std::move(store)), client_(std::move(client)) {}

boost::asio::awaitable<core::Result<store::PullRequest>> PullRequestSync::refresh(core::Id tenant_id,
                                                                                  core::Id workflow_id) {
  auto row = store_->getPullRequest(tenant_id, workflow_id);
  if (!row) co_return row.error();
  if (!*row) co_return core::Error::notFound("workflow " + std::to_string(workflow_id) + " has no pull request yet");
  store::PullRequest pr = **row;
  auto slash = pr.repository.find('/');
  if (slash == std::string::npos) co_return core::Error::invalidArgument("the pull request names no repository");
  gh::RepoName repo{pr.repository.substr(0, slash), pr.repository.substr(slash + 1)};
  auto info = co_await client_->pullRequest(repo, pr.number);
  if (!info) co_return info.error();
  pr.state = info->merged ? "merged" : info->state;
  pr.draft = info->draft;
  pr.title = info->title;
  pr.base_branch = info->base_branch;
  if (!info->head_sha.empty()) pr.head_sha = info->head_sha;
  auto saved = store_->upsertPullRequest(pr);
  if (!saved) co_return saved.error();
  pr = *saved;
  auto runs = co_await client_->checkRuns(repo, pr.head_sha);
  if (!runs) co_return runs.error();
  auto status = co_await client_->combinedStatus(repo, pr.head_sha);
  if (!status) co_return status.error();
  auto ok = store_->transact([&](store::Store& tx) -> core::Status {
    if (auto dropped = tx.dropChecksNotAt(pr.tenant_id, pr.id, pr.head_sha); !dropped) return dropped;
    for (const auto& run : *runs) {
      if (!run.head_sha.empty() && run.head_sha != pr.head_sha) continue;
      store::Check c;
      c.tenant_id = pr.tenant_id;
      c.pull_request_id = pr.id;
      c.name = run.name;
      c.status = run.status;
      c.conclusion = run.conclusion;
      c.url = run.url;
      c.head_sha = pr.head_sha;
      c.summary = run.summary;
      c.output = outputTail(run.text);
      if (auto up = tx.upsertCheck(c); !up) return up.error();
    }
    for (const auto& s : status->statuses) {
      store::Check c;
      c.tenant_id = pr.tenant_id;
      c.pull_request_id = pr.id;
      c.name = "status/" + s.context;
      c.status = s.state == "pending" ? "in_progress" : "completed";
      c.conclusion = s.state == "pending" ? "" : s.state == "error" ? "failure" : s.state;
      c.url = s.url;
      c.head_sha = pr.head_sha;
      c.summary = s.description;
      if (auto up = tx.upsertCheck(c); !up) return up.error();
    }
    return core::okStatus();
  });
  if (!ok) co_return ok.error();
  co_return pr;
}

core::Result<bool> PullRequestSync::recordCheck(const store::PullRequest& pr, const gh::HostEvent& e) {
  if (e.head_sha.empty() || e.head_sha != pr.head_sha || e.check_name.empty()) return false;
  store::Check c;
  c.tenant_id = pr.tenant_id;
  c.pull_request_id = pr.id;
  c.name = e.check_name;
  c.status = e.check_status;
  c.conclusion = e.check_conclusion;
  c.url = e.check_url;
  c.head_sha = e.head_sha;
  c.summary = e.check_summary;
  c.output = outputTail(e.check_text);
  auto ok = store_->transact([&](store::Store& tx) -> core::Status {
    if (auto dropped = tx.dropChecksNotAt(pr.tenant_id, pr.id, pr.head_sha); !dropped) return dropped;
    auto up = tx.upsertCheck(c);
    if (!up) return up.error();
    return core::okStatus();
  });
  if (!ok) return ok.error();
  return true;
}

}  // namespace codecrew::delivery
