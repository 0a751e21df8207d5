// Reads a verified GitHub webhook delivery into a HostEvent (host_event.h):
// the event (X-GitHub-Event), its action, the repository, the branch and
// commit it is about, the pull request numbers it names, and the check,
// review or comment it carries. Only the events and actions delivery acts
// on get a kind; any other event or action is kIgnored (with event, action
// and repository still set, so it can be recorded):
//   ping                          always (kPing; body: the payload's zen)
//   pull_request                  opened, reopened, closed, synchronize, edited,
//                                 ready_for_review, converted_to_draft
//   check_run                     created, completed (check_run_id: the run's id)
//   check_suite                   completed (check_run_id: the suite's id,
//                                 check_name: its app's name)
//   pull_request_review           submitted (review_state lower-case,
//                                 comment_id: the review's id)
//   pull_request_review_comment   created
//   issue_comment                 created, on a pull request only (an issue's
//                                 comment is kIgnored); it names no branch
// A check on a fork's pull request names no pull request (its
// pull_requests array is empty): pull_numbers is then empty and the event
// is matched by head_branch and head_sha. JSON nulls read as empty.
// Thread-safety: pure functions.
#pragma once

#include "core/result.h"
#include "integrations/github/host_event.h"

#include <string>
#include <string_view>

namespace codecrew::integrations::github {

// The delivery's payload as JSON text: the decoded `payload` field of an
// application/x-www-form-urlencoded body (the webhook's other content
// type), else the body itself (application/json). kInvalidArgument when a
// form body has no payload field.
core::Result<std::string> webhookPayloadText(std::string_view content_type, std::string body);

// The event of one delivery. kInvalidArgument (naming what) when the
// payload is not a JSON object, or an event delivery acts on lacks the
// object it is about (a check_run event without check_run, ...).
core::Result<HostEvent> parseWebhook(std::string_view event_name, std::string_view delivery_id,
                                     std::string_view payload);

// A kind's name for logs and answers: "ping", "pull_request", ..., "ignored".
std::string_view hostEventKindName(HostEventKind kind);

}  // namespace codecrew::integrations::github
