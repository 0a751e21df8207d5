// Delivery: what happens when an execution on a network repository reaches
// its delivery stage (DEPLOY unless the server configures another): its
// branch is pushed to the code host and a pull request is opened (or the
// open one adopted) against the repository's default branch. The engine
// calls it; the code host's side (git push, the REST API, the PullRequest
// row) is behind this interface (src/delivery/ implements it for GitHub),
// so the engine never includes an integration.
//
// Contract of deliver():
//  - idempotent: pushing the same commit again changes nothing, an open
//    pull request for the branch is adopted, never a second one opened;
//  - the branch only moves forward (never a force-push): a remote branch
//    that moved elsewhere is kFailedPrecondition;
//  - a follow-up (a fix of failed checks or an answer to a review) pushes
//    and comments on the existing pull request with `summary`.
// Any error fails the execution resumably with the message (the engine's
// side): a resume delivers again.
// Thread-safety: deliver() may be called from any coroutine.
#pragma once

#include "core/ids.h"
#include "core/result.h"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

namespace codecrew::engine {

struct DeliveryRequest {
  core::Id tenant_id = 0;
  core::Id workflow_id = 0;
  core::Id execution_id = 0;
  std::string repository_url;
  std::filesystem::path workspace;  // a git repository whose HEAD is delivered
  std::string branch;               // the remote branch (deliveryBranch())
  std::string title;                // of the pull request
  std::string body;                 // of the pull request (markdown)
  bool follow_up = false;           // push and comment; the pull request exists
  std::string follow_up_kind;       // the checkpoint's follow_up ("fix_checks", "review", "review_comment:<id>")
  std::string summary;              // what this execution changed (the follow-up's comment)
};

struct DeliveryOutcome {
  std::string head_sha;     // the commit the branch now points at
  std::int64_t number = 0;  // 0: no pull request (the branch adds nothing to the default branch)
  std::string url;
  bool opened = false;   // this call opened the pull request
  bool adopted = false;  // an open one existed and was taken
};

class Delivery {
 public:
  virtual ~Delivery() = default;
  // Whether repository_url is on a host this delivers to.
  virtual bool delivers(const std::string& repository_url) const = 0;
  virtual boost::asio::awaitable<core::Result<DeliveryOutcome>> deliver(DeliveryRequest request) = 0;
};

// The branch an execution's work is pushed to: codecrew/<story key or
// "wf<workflow id>">-<slug of the workflow's name>, the same for every
// execution of the workflow (reruns and fixes reuse it).
std::string deliveryBranch(core::Id workflow_id, const std::string& story_key, const std::string& name);

}  // namespace codecrew::engine
