// ExecutionRun, continued: delivering the work to the code host.
#include "engine/execution_run.h"
#include "engine/pull_request_text.h"

namespace codecrew::engine {
namespace json = boost::json;

std::string ExecutionRun::branchName() const {
  return deliveryBranch(workflow_.id, workflow_.jira_story_id.value_or(""), workflow_.name);
}

bool ExecutionRun::deliveryApplies() const {
  return deps_.delivery && deps_.delivery->delivers(workflow_.repository_url);
}

boost::asio::awaitable<ExecutionRun::StageResult> ExecutionRun::deliver() {
  if (!deliveryApplies() || !cp_.delivered.empty()) co_return std::optional<RunOutcome>();
  DeliveryRequest req;
  req.tenant_id = tenant_id_;
  req.workflow_id = workflow_.id;
  req.execution_id = execution_id_;
  req.repository_url = workflow_.repository_url;
  req.workspace = workspaceOf(exec_, deps_.workspaces_root);
  req.branch = branchName();
  req.follow_up = !cp_.follow_up.empty();
  req.follow_up_kind = cp_.follow_up;
  const std::string story = workflow_.jira_story_id.value_or("");
  req.title = pullRequestTitle(workflow_.name, story);
  auto totals = deps_.store->refreshExecutionTotals(tenant_id_, execution_id_);
  if (totals) copyTotals(*totals);
  PullRequestFacts facts;
  facts.goal = workflow_.description.empty() ? workflow_.name : workflow_.description;
  facts.story_key = story;
  facts.plan = cp_.plan;
  facts.outputs = cp_.outputs;
  facts.tokens = exec_.total_tokens;
  facts.cost = exec_.total_cost;
  if (!deps_.public_url.empty())
    facts.execution_link = deps_.public_url + "/workflows/" + std::to_string(workflow_.id) + "/executions/" +
                           std::to_string(execution_id_);
  req.body = pullRequestBody(facts);
  if (req.follow_up) {
    std::string changed;
    for (const auto& [name, out] : cp_.outputs) changed += "**" + name + "**: " + out.substr(0, 1500) + "\n\n";
    auto diff = cp_.base_commit.empty()
                    ? core::Result<std::vector<tools::ChangedFile>>(std::vector<tools::ChangedFile>{})
                    : git_->changedFilesSince(cp_.base_commit);
    std::string files;
    if (diff)
      for (const auto& f : *diff) files += "- `" + f.path + "` (" + std::string(tools::changeKindName(f.kind)) + ")\n";
    const bool review = cp_.follow_up != "fix_checks";
    std::string heading = files.empty() ? (review ? "Looked at the review and changed nothing.\n\n"
                                                  : "Looked at the failing checks and changed nothing.\n\n")
                                        : (review ? "Addressed the review.\n\n" : "Fixed the failing checks.\n\n");
    req.summary = heading + (files.empty() ? std::string() : "Changed files:\n" + files + "\n") + changed;
    if (!facts.execution_link.empty()) req.summary += "[The execution in codecrew](" + facts.execution_link + ")\n";
  }
  progress("delivery", json::object{{"branch", req.branch}, {"follow_up", req.follow_up}});
  auto out = co_await deps_.delivery->deliver(req);
  if (!out) {
    // Failed, resumably: the work is kept and a resume delivers again (a
    // host that was down, a rate limit, a token without the permission).
    auto failed = fail("delivery to the code host failed: " + out.error().message +
                           ". Resume the execution to deliver again: POST /workflows/" + std::to_string(workflow_.id) +
                           "/executions/" + std::to_string(execution_id_) + "/resume",
                       true);
    if (!failed) co_return failed.error();
    co_return std::optional<RunOutcome>(*failed);
  }
  cp_.delivered = out->head_sha;
  if (out->number == 0) {  // nothing over the default branch: no pull request
    auto ok = save([&](store::Store& tx) {
      return appendEvent(tx, "delivery.skipped",
                         json::object{{"branch", req.branch},
                                      {"head_sha", out->head_sha},
                                      {"reason", "the branch has no commits over the default branch"}});
    });
    if (!ok) co_return ok.error();
    co_return std::optional<RunOutcome>();
  }
  auto ok = save([&](store::Store& tx) {
    return appendEvent(tx, "delivery.pull_request",
                       json::object{{"number", out->number},
                                    {"url", out->url},
                                    {"branch", req.branch},
                                    {"head_sha", out->head_sha},
                                    {"opened", out->opened},
                                    {"adopted", out->adopted},
                                    {"follow_up", cp_.follow_up}});
  });
  if (!ok) co_return ok.error();
  progress("delivered", json::object{{"number", out->number}, {"url", out->url}, {"head_sha", out->head_sha}});
  co_return std::optional<RunOutcome>();
}

}  // namespace codecrew::engine
