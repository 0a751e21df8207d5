// DeliveryLoop: what codecrew does with the code host's webhooks, and the
// background refresh of a workflow's pull request. Each event is mapped to
// its tenant and workflow by repository and branch (the pull request the
// server opened; an event for any other branch is ignored) and handled in
// the background, one event at a time:
//  - pull_request: state and head kept current (closed or merged ends the loop);
//  - check_run / check_suite: the check is stored when it ran on the head
//    (a stale sha is ignored); a failed check starts a follow-up execution
//    that fixes it (engine/templates/fix.yaml) with the check's name,
//    summary and the tail of its output;
//  - a review that requests changes, or a comment that mentions the
//    configured handle, from a user with write access, starts a follow-up
//    that addresses it and replies.
// Bounded: each failure is fingerprinted (check name and a hash of its
// output with digits masked); after max_fix_attempts follow-ups, or when a
// fingerprint comes back after its fix, the loop stops in needs_human and
// says why in a pull request comment. While a follow-up runs, new failures
// wait for its push (which brings new checks). Every step is an event of
// the workflow ("delivery.*").
// Thread-safety: accept() and refresh() may be called from any thread.
#pragma once

#include "delivery/pull_request_sync.h"
#include "engine/execution_service.h"
#include "integrations/github/host_event.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>

#include <memory>

namespace codecrew::delivery {

struct LoopSettings {
  int max_fix_attempts = 3;
  std::string mention = "@codecrew";
};

class DeliveryLoop final : public integrations::github::HostEventSink,
                           public std::enable_shared_from_this<DeliveryLoop> {
 public:
  DeliveryLoop(boost::asio::any_io_executor executor, std::shared_ptr<store::Store> store,
               std::shared_ptr<integrations::github::GitHubClient> client,
               std::shared_ptr<engine::ExecutionService> executions, LoopSettings settings,
               std::shared_ptr<core::Clock> clock);

  void accept(integrations::github::HostEvent event) override;
  // Queues a refresh from GitHub of the workflow's pull request and checks,
  // its diffs, or its artifacts (pull_request_sync.h); the result is an
  // event ("delivery.refreshed" with what and how many, or
  // "delivery.refresh_failed" with the error).
  enum class Refresh { kPullRequest, kDiffs, kArtifacts };
  void refresh(core::Id tenant_id, core::Id workflow_id, Refresh what);

  // The core of accept(), run on the loop's strand (public for tests).
  boost::asio::awaitable<void> handle(integrations::github::HostEvent event);

 private:
  boost::asio::awaitable<void> onCheck(store::PullRequest pr, const integrations::github::HostEvent& e);
  boost::asio::awaitable<void> onSuite(store::PullRequest pr, const integrations::github::HostEvent& e);
  boost::asio::awaitable<void> onReview(store::PullRequest pr, const integrations::github::HostEvent& e);
  // Starts a follow-up unless the loop is capped or the failure repeats.
  boost::asio::awaitable<void> followUp(store::PullRequest pr, const std::string& kind, const std::string& fingerprint,
                                        const std::string& feedback, const std::string& key);
  boost::asio::awaitable<void> stop(store::PullRequest pr, const std::string& reason);
  // A follow-up that ended without pushing (failed, cancelled) stops the loop.
  boost::asio::awaitable<bool> stillFixing(store::PullRequest& pr);
  void event(const store::PullRequest& pr, const std::string& type, boost::json::object data);

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  std::shared_ptr<store::Store> store_;
  std::shared_ptr<integrations::github::GitHubClient> client_;
  std::shared_ptr<engine::ExecutionService> executions_;
  PullRequestSync sync_;
  LoopSettings settings_;
  std::shared_ptr<core::Clock> clock_;
};

// A failure's fingerprint: 16 hex digits of SHA-256 over the check's name
// and its text with runs of digits masked (times, counts, ids).
std::string failureFingerprint(const std::string& name, const std::string& text);

}  // namespace codecrew::delivery
