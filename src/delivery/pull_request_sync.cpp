#include "delivery/pull_request_sync.h"

#include "core/crypto.h"
#include "engine/artifact_files.h"

#include <map>

namespace codecrew::delivery {
namespace gh = integrations::github;

std::string outputTail(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  auto start = text.size() - limit;
  auto nl = text.find('\n', start);
  if (nl != std::string::npos && nl + 1 < text.size()) start = nl + 1;
  return "…\n" + text.substr(start);
}

namespace {

// A check of the pull request's head.
store::Check checkOf(const store::PullRequest& pr, const std::string& name, const std::string& status,
                     const std::string& conclusion, const std::string& url, const std::string& summary,
                     const std::string& text) {
  store::Check c;
  c.tenant_id = pr.tenant_id;
  c.pull_request_id = pr.id;
  c.name = name;
  c.status = status;
  c.conclusion = conclusion;
  c.url = url;
  c.head_sha = pr.head_sha;
  c.summary = summary;
  c.output = outputTail(text);
  return c;
}

}  // namespace

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
      auto c = checkOf(pr, run.name, run.status, run.conclusion, run.url, run.summary, run.text);
      if (auto up = tx.upsertCheck(c); !up) return up.error();
    }
    for (const auto& s : status->statuses) {
      const bool pending = s.state == "pending";
      auto c = checkOf(pr, "status/" + s.context, pending ? "in_progress" : "completed",
                       pending              ? ""
                       : s.state == "error" ? "failure"
                                            : s.state,
                       s.url, s.description, "");
      if (auto up = tx.upsertCheck(c); !up) return up.error();
    }
    return core::okStatus();
  });
  if (!ok) co_return ok.error();
  co_return pr;
}

core::Result<store::PullRequest> PullRequestSync::pullRequestOf(core::Id tenant_id, core::Id workflow_id) {
  auto row = store_->getPullRequest(tenant_id, workflow_id);
  if (!row) return row.error();
  if (!*row) return core::Error::notFound("workflow " + std::to_string(workflow_id) + " has no pull request yet");
  if ((*row)->repository.find('/') == std::string::npos)
    return core::Error::invalidArgument("the pull request names no repository");
  return **row;
}

namespace {
gh::RepoName repoNameOf(const store::PullRequest& pr) {
  auto slash = pr.repository.find('/');
  return {pr.repository.substr(0, slash), pr.repository.substr(slash + 1)};
}
}  // namespace

boost::asio::awaitable<core::Result<int>> PullRequestSync::refreshDiffs(core::Id tenant_id, core::Id workflow_id) {
  auto pr = pullRequestOf(tenant_id, workflow_id);
  if (!pr) co_return pr.error();
  auto files = co_await client_->pullFiles(repoNameOf(*pr), pr->number);
  if (!files) co_return files.error();
  int added = 0;
  for (const auto& f : *files) {
    if (f.patch.empty()) continue;
    std::string text = "diff --git a/" + f.filename + " b/" + f.filename + "\n--- " +
                       (f.status == "added" ? std::string("/dev/null") : "a/" + f.filename) + "\n+++ " +
                       (f.status == "removed" ? std::string("/dev/null") : "b/" + f.filename) + "\n" + f.patch +
                       (f.patch.back() == '\n' ? "" : "\n");
    auto count = store_->listDiffs(tenant_id, workflow_id, std::nullopt, f.filename, {1, 1});
    if (!count) co_return count.error();
    if (count->total > 0) {
      auto newest = store_->listDiffs(tenant_id, workflow_id, std::nullopt, f.filename,
                                      {static_cast<int>(count->total), 1});
      if (!newest) co_return newest.error();
      if (!newest->items.empty() && newest->items.front().diff == text) continue;
    }
    store::Diff d;
    d.tenant_id = tenant_id;
    d.workflow_id = workflow_id;
    d.path = f.filename;
    d.diff = std::move(text);
    if (auto ok = store_->addDiff(d); !ok) co_return ok.error();
    ++added;
  }
  co_return added;
}

boost::asio::awaitable<core::Result<int>> PullRequestSync::refreshArtifacts(core::Id tenant_id, core::Id workflow_id) {
  auto pr = pullRequestOf(tenant_id, workflow_id);
  if (!pr) co_return pr.error();
  // The newest artifact of each kind, and the file the crew wrote it to.
  std::map<std::string, store::Artifact> newest;
  for (int page = 1; page <= 20; ++page) {
    auto list = store_->listArtifacts(tenant_id, workflow_id, std::nullopt, std::nullopt, {page, 100});
    if (!list) co_return list.error();
    for (auto& a : list->items) newest[a.kind] = std::move(a);
    if (list->items.size() < 100) break;
  }
  int added = 0;
  for (const auto& [kind, a] : newest) {
    // A row of the branch's file names it; one in the artifact store was
    // written to the kind's file on the branch as well.
    std::string path = engine::artifactRepoPath(kind);
    if (a.uri.starts_with("git:") || a.uri.starts_with("github:")) {
      auto colon = a.uri.rfind(':');
      if (colon + 1 >= a.uri.size()) continue;
      path = a.uri.substr(colon + 1);
    }
    auto content = co_await client_->fileAt(repoNameOf(*pr), path, pr->head_sha);
    if (!content) co_return content.error();
    if (!*content) continue;
    auto checksum = core::sha256Hex(**content);
    if (checksum == a.checksum) continue;
    store::Artifact fresh;
    fresh.tenant_id = tenant_id;
    fresh.workflow_id = workflow_id;
    fresh.kind = kind;
    fresh.uri = "github:" + pr->repository + "@" + pr->head_sha + ":" + path;
    fresh.checksum = checksum;
    fresh.content = std::move(**content);
    if (auto ok = store_->addArtifact(fresh); !ok) co_return ok.error();
    ++added;
  }
  co_return added;
}

core::Result<bool> PullRequestSync::recordCheck(const store::PullRequest& pr, const gh::HostEvent& e) {
  if (e.head_sha.empty() || e.head_sha != pr.head_sha || e.check_name.empty()) return false;
  auto c = checkOf(pr, e.check_name, e.check_status, e.check_conclusion, e.check_url, e.check_summary, e.check_text);
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
