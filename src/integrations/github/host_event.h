// HostEvent: one webhook delivery from the code host (GitHub), reduced to
// what delivery needs, free of GitHub's payload shapes. Built by
// parseWebhook (webhook_event.h) after the signature is verified, and
// handed to a HostEventSink, which maps it to its tenant and workflow by
// repository and branch (the pull requests the server opened) and queues
// the work. Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace codecrew::integrations::github {

enum class HostEventKind {
  kPing,
  kPullRequest,    // opened, closed (merged or not), synchronize, reopened, ...
  kCheckRun,       // a check run created / completed
  kCheckSuite,     // a suite completed
  kReview,         // pull_request_review submitted
  kReviewComment,  // pull_request_review_comment created
  kIssueComment,   // issue_comment created on a pull request
  kIgnored,        // an event or action delivery does not act on
};

struct HostEvent {
  std::string delivery_id;  // X-GitHub-Delivery
  std::string event;        // X-GitHub-Event
  std::string action;       // the payload's action ("completed", "submitted", ...)
  HostEventKind kind = HostEventKind::kIgnored;
  std::string repository;   // "owner/name" (repository.full_name)
  std::string head_branch;  // the branch the event is about, when it names one
  std::string head_sha;     // the commit it is about, when it names one
  // The pull request numbers the event names (a check run on a fork's pull
  // request names none: it is matched by head_branch and head_sha).
  std::vector<std::int64_t> pull_numbers;

  // kPullRequest
  std::string pr_state;  // open, closed
  bool merged = false;

  // kCheckRun / kCheckSuite
  std::int64_t check_run_id = 0;
  std::string check_name;        // the run's name (a suite: its app's name)
  std::string check_status;      // queued, in_progress, completed
  std::string check_conclusion;  // success, failure, neutral, cancelled, timed_out, action_required, ... or ""
  std::string check_url;         // html_url (or details_url)
  std::string check_summary;     // output.title + output.summary
  std::string check_text;        // output.text (the tail is what the fix stage reads)

  // kReview / kReviewComment / kIssueComment
  std::string review_state;        // approved, changes_requested, commented ("" for comments)
  std::string body;                // the review's or comment's text
  std::string author;              // sender / user login
  std::string author_association;  // OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE, ...
  std::int64_t comment_id = 0;     // the comment's (or review's) id, to reply to
  std::string comment_path;        // a review comment's file path
  std::int64_t comment_line = 0;   // a review comment's line (0: none)
};

// Whether an association may ask the crew for changes (write access).
bool hasWriteAccess(const std::string& author_association);

// Where verified, parsed deliveries go. accept() must return quickly (the
// webhook answers within GitHub's 10 seconds): it queues the work.
// Thread-safety: accept() may be called from any thread.
class HostEventSink {
 public:
  virtual ~HostEventSink() = default;
  virtual void accept(HostEvent event) = 0;
};

}  // namespace codecrew::integrations::github
