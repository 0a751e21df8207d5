#include "delivery/delivery_loop.h"

#include "core/crypto.h"
#include "core/log.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <cctype>

namespace codecrew::delivery {
namespace json = boost::json;
namespace gh = integrations::github;
using gh::HostEventKind;

namespace {

bool failed(const std::string& conclusion) {
  return conclusion == "failure" || conclusion == "timed_out" || conclusion == "startup_failure";
}

gh::RepoName repoOf(const store::PullRequest& pr) {
  auto slash = pr.repository.find('/');
  return {pr.repository.substr(0, slash), slash == std::string::npos ? "" : pr.repository.substr(slash + 1)};
}

bool mentions(const std::string& body, const std::string& handle) {
  if (handle.empty()) return false;
  auto lower = [](std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  return lower(body).find(lower(handle)) != std::string::npos;
}

bool seen(const json::value& fingerprints, const std::string& fp) {
  if (const auto* a = fingerprints.if_array())
    for (const auto& v : *a)
      if (v.is_string() && v.get_string() == fp) return true;
  return false;
}

std::string checkFeedback(const std::string& name, const std::string& conclusion, const std::string& summary,
                          const std::string& output) {
  std::string f = "### Check `" + name + "` (" + conclusion + ")\n";
  if (!summary.empty()) f += summary + "\n";
  if (!output.empty()) f += "\nThe end of its output:\n```\n" + outputTail(output, 3000) + "\n```\n";
  return f;
}

}  // namespace

std::string failureFingerprint(const std::string& name, const std::string& text) {
  std::string masked;
  masked.reserve(text.size());
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (masked.empty() || masked.back() != '#') masked += '#';
    } else {
      masked += c;
    }
  }
  return core::sha256Hex(name + "\n" + masked).substr(0, 16);
}

DeliveryLoop::DeliveryLoop(boost::asio::any_io_executor executor, std::shared_ptr<store::Store> store,
                           std::shared_ptr<gh::GitHubClient> client,
                           std::shared_ptr<engine::ExecutionService> executions, LoopSettings settings,
                           std::shared_ptr<core::Clock> clock)
    : strand_(boost::asio::make_strand(std::move(executor))),
      store_(store),
      client_(client),
      executions_(std::move(executions)),
      sync_(std::move(store), std::move(client)),
      settings_(std::move(settings)),
      clock_(std::move(clock)) {}

void DeliveryLoop::accept(gh::HostEvent event) {
  boost::asio::co_spawn(
      strand_, [self = shared_from_this(), e = std::move(event)]() mutable { return self->handle(std::move(e)); },
      boost::asio::detached);
}

void DeliveryLoop::refresh(core::Id tenant_id, core::Id workflow_id, Refresh what) {
  boost::asio::co_spawn(
      strand_,
      [self = shared_from_this(), tenant_id, workflow_id, what]() -> boost::asio::awaitable<void> {
        const char* name = what == Refresh::kPullRequest ? "pull_request"
                           : what == Refresh::kDiffs     ? "diffs"
                                                         : "artifacts";
        core::Result<int> added = 0;
        if (what == Refresh::kPullRequest) {
          auto pr = co_await self->sync_.refresh(tenant_id, workflow_id);
          if (!pr) added = pr.error();
        } else if (what == Refresh::kDiffs) {
          added = co_await self->sync_.refreshDiffs(tenant_id, workflow_id);
        } else {
          added = co_await self->sync_.refreshArtifacts(tenant_id, workflow_id);
        }
        auto pr = self->store_->getPullRequest(tenant_id, workflow_id);
        if (!pr || !*pr) co_return;
        if (!added) {
          core::log::warn("refresh from GitHub failed",
                          {{"workflow_id", workflow_id}, {"what", name}, {"error", added.error().message}});
          self->event(**pr, "delivery.refresh_failed", {{"what", name}, {"error", added.error().message}});
          co_return;
        }
        self->event(**pr, "delivery.refreshed",
                    {{"what", name}, {"added", *added}, {"head_sha", (*pr)->head_sha}, {"state", (*pr)->state}});
      },
      boost::asio::detached);
}

void DeliveryLoop::event(const store::PullRequest& pr, const std::string& type, json::object data) {
  store::Event e;
  e.tenant_id = pr.tenant_id;
  e.workflow_id = pr.workflow_id;
  e.type = type;
  data["pull_request"] = pr.number;
  e.data = std::move(data);
  e.created_at = clock_->nowMillis();
  if (auto r = store_->appendEvent(e); !r)
    core::log::warn("could not record a delivery event", {{"type", type}, {"error", r.error().message}});
}

boost::asio::awaitable<void> DeliveryLoop::handle(gh::HostEvent e) {
  if (e.kind == HostEventKind::kPing || e.kind == HostEventKind::kIgnored) co_return;
  if (e.head_branch.empty() && e.pull_numbers.empty()) co_return;
  // By the pull request numbers the event names (unambiguous), else by
  // branch (a check run of a fork's pull request names none; its sha then
  // never matches codecrew's head).
  core::Result<std::optional<store::PullRequest>> found = std::optional<store::PullRequest>();
  for (auto number : e.pull_numbers) {
    found = store_->findPullRequestByNumber(e.repository, number);
    if (!found || *found) break;
  }
  if (found && !*found && !e.head_branch.empty()) found = store_->findPullRequestByBranch(e.repository, e.head_branch);
  if (!found) {
    core::log::warn("webhook not handled", {{"delivery", e.delivery_id}, {"error", found.error().message}});
    co_return;
  }
  if (!*found) co_return;  // a pull request codecrew did not open
  store::PullRequest pr = **found;
  switch (e.kind) {
    case HostEventKind::kPullRequest: {
      pr.state = e.merged ? "merged" : (e.pr_state.empty() ? pr.state : e.pr_state);
      if (!e.head_sha.empty()) pr.head_sha = e.head_sha;
      if (pr.state != "open") pr.loop_state = "idle";
      auto saved = store_->upsertPullRequest(pr);
      if (saved)
        event(*saved, "delivery.pull_request_updated",
              {{"action", e.action}, {"state", pr.state}, {"head_sha", pr.head_sha}});
      co_return;
    }
    case HostEventKind::kCheckRun: co_await onCheck(pr, e); co_return;
    case HostEventKind::kCheckSuite: co_await onSuite(pr, e); co_return;
    case HostEventKind::kReview:
    case HostEventKind::kReviewComment:
    case HostEventKind::kIssueComment: co_await onReview(pr, e); co_return;
    default: co_return;
  }
}

boost::asio::awaitable<void> DeliveryLoop::onCheck(store::PullRequest pr, const gh::HostEvent& e) {
  auto stored = sync_.recordCheck(pr, e);
  if (!stored) co_return;
  if (!*stored) {
    event(pr, "delivery.check_ignored",
          {{"check", e.check_name}, {"head_sha", e.head_sha}, {"reason", "not the pull request's head"}});
    co_return;
  }
  event(pr, "delivery.check",
        {{"check", e.check_name},
         {"status", e.check_status},
         {"conclusion", e.check_conclusion},
         {"head_sha", e.head_sha}});
  if (e.check_status != "completed" || !failed(e.check_conclusion) || pr.state != "open") co_return;
  auto fp = failureFingerprint(e.check_name, e.check_summary + "\n" + outputTail(e.check_text, 2000));
  co_await followUp(pr, "fix_checks", fp,
                    checkFeedback(e.check_name, e.check_conclusion, e.check_summary, e.check_text),
                    "fix:" + pr.head_sha + ":" + e.check_name);
}

boost::asio::awaitable<void> DeliveryLoop::onSuite(store::PullRequest pr, const gh::HostEvent& e) {
  if (e.head_sha != pr.head_sha) {
    event(pr, "delivery.check_ignored", {{"suite", e.check_name}, {"head_sha", e.head_sha}, {"reason", "stale"}});
    co_return;
  }
  if (e.check_status != "completed" || !failed(e.check_conclusion) || pr.state != "open") co_return;
  // The suite says only that something failed: read its runs.
  auto refreshed = co_await sync_.refresh(pr.tenant_id, pr.workflow_id);
  if (!refreshed) co_return;
  auto checks = store_->listChecks(pr.tenant_id, refreshed->id, {1, 100});
  if (!checks) co_return;
  for (const auto& c : checks->items) {
    if (c.status != "completed" || !failed(c.conclusion)) continue;
    auto fp = failureFingerprint(c.name, c.summary + "\n" + outputTail(c.output, 2000));
    co_await followUp(*refreshed, "fix_checks", fp, checkFeedback(c.name, c.conclusion, c.summary, c.output),
                      "fix:" + refreshed->head_sha + ":" + c.name);
    co_return;  // one follow-up at a time
  }
}

boost::asio::awaitable<void> DeliveryLoop::onReview(store::PullRequest pr, const gh::HostEvent& e) {
  if (pr.state != "open") co_return;
  const bool asks = e.kind == HostEventKind::kReview
                        ? e.review_state == "changes_requested" || mentions(e.body, settings_.mention)
                        : mentions(e.body, settings_.mention);
  if (!asks) co_return;
  if (!gh::hasWriteAccess(e.author_association)) {
    event(pr, "delivery.review_ignored",
          {{"author", e.author}, {"association", e.author_association}, {"reason", "no write access"}});
    co_return;
  }
  std::string feedback = "### " + std::string(e.kind == HostEventKind::kReview ? "Review" : "Comment") + " by @" +
                         e.author + "\n";
  if (!e.comment_path.empty())
    feedback += "On `" + e.comment_path + "`" + (e.comment_line ? " line " + std::to_string(e.comment_line) : "") +
                ":\n";
  feedback += e.body + "\n";
  std::string kind = e.kind == HostEventKind::kReviewComment && e.comment_id
                         ? "review_comment:" + std::to_string(e.comment_id)
                         : "review";
  co_await followUp(pr, kind, failureFingerprint("review", e.body), feedback,
                    "review:" + std::to_string(e.comment_id) + ":" + pr.head_sha);
}

boost::asio::awaitable<bool> DeliveryLoop::stillFixing(store::PullRequest& pr) {
  if (pr.loop_state != "fixing") co_return false;
  auto latest = store_->latestExecutions(pr.tenant_id, {pr.workflow_id});
  if (!latest || latest->empty()) co_return true;
  const auto& x = latest->front();
  if (x.status == store::RunStatus::kFailed || x.status == store::RunStatus::kCancelled) {
    co_await stop(pr, "the follow-up execution " + std::to_string(x.id) + " ended without a push" +
                          (x.error.empty() ? std::string() : ": " + x.error.substr(0, 300)));
    co_return true;
  }
  co_return x.status != store::RunStatus::kCompleted;
}

boost::asio::awaitable<void> DeliveryLoop::followUp(store::PullRequest pr, const std::string& kind,
                                                    const std::string& fp, const std::string& feedback,
                                                    const std::string& key) {
  // The row as it is now: another event may have moved the loop while this
  // one waited on GitHub.
  if (auto now = store_->getPullRequest(pr.tenant_id, pr.workflow_id); now && *now) pr = **now;
  if (pr.loop_state == "needs_human") {
    event(pr, "delivery.waiting_for_human", {{"reason", pr.loop_reason}});
    co_return;
  }
  if (co_await stillFixing(pr)) {
    event(pr, "delivery.busy", {{"fingerprint", fp}, {"reason", "a follow-up is running"}});
    co_return;
  }
  if (seen(pr.fingerprints, fp)) {
    co_await stop(pr, "the same failure came back after a fix (fingerprint " + fp + ")");
    co_return;
  }
  if (pr.fix_attempts >= settings_.max_fix_attempts) {
    co_await stop(pr, std::to_string(pr.fix_attempts) + " follow-ups did not settle it (the limit is " +
                          std::to_string(settings_.max_fix_attempts) + ", [github] max_fix_attempts)");
    co_return;
  }
  engine::StartRequest req;
  req.tenant_id = pr.tenant_id;
  req.workflow_id = pr.workflow_id;
  req.idempotency_key = key.substr(0, 200);
  req.origin = engine::StartOrigin::kCodeHost;
  req.follow_up = kind;
  req.feedback = feedback;
  auto started = executions_->start(std::move(req));
  if (!started) {
    event(pr, "delivery.follow_up_failed", {{"error", started.error().message}});
    co_return;
  }
  if (!started->created) co_return;  // this failure already has its follow-up
  pr.fix_attempts += 1;
  if (auto* a = pr.fingerprints.if_array()) a->push_back(json::value(fp));
  pr.loop_state = "fixing";
  pr.loop_reason = kind;
  auto saved = store_->upsertPullRequest(pr);
  if (!saved) co_return;
  event(
      *saved, "delivery.follow_up_started",
      {{"kind", kind}, {"fingerprint", fp}, {"attempt", saved->fix_attempts}, {"execution_id", started->execution.id}});
}

boost::asio::awaitable<void> DeliveryLoop::stop(store::PullRequest pr, const std::string& reason) {
  pr.loop_state = "needs_human";
  pr.loop_reason = reason;
  auto saved = store_->upsertPullRequest(pr);
  if (!saved) co_return;
  // The comment first: the event says the loop stopped and the pull request says why.
  auto said = co_await client_->comment(repoOf(pr), pr.number,
                                        "codecrew has stopped answering this pull request: " + reason +
                                            ".\n\nA person needs to look. Push a fix yourself, or start a new "
                                            "execution of the workflow once the cause is clear.");
  if (!said)
    core::log::warn("could not comment on the pull request", {{"number", pr.number}, {"error", said.error().message}});
  event(*saved, "delivery.needs_human", {{"reason", reason}, {"commented", said.ok()}});
}

}  // namespace codecrew::delivery
