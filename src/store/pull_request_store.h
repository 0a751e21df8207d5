// PullRequestStore: a workflow's pull request (at most one) and the checks
// reported on it by the code host.
// The contracts of store.h hold (tenant scoping, one transaction a call).
#pragma once

#include "store/store_types.h"

#include <optional>

namespace codecrew::store {

class PullRequestStore {
 public:
  virtual ~PullRequestStore() = default;

  // Inserts or updates the workflow's pull request (one per workflow). The
  // checks that ran on another commit than its head_sha are dropped with it.
  virtual Result<PullRequest> upsertPullRequest(const PullRequest& pr) = 0;
  virtual Result<std::optional<PullRequest>> getPullRequest(Id tenant_id, Id workflow_id) = 0;
  // Inserts or updates a check by (pull_request_id, name).
  virtual Result<Check> upsertCheck(const Check& c) = 0;
  virtual Result<Page<Check>> listChecks(Id tenant_id, Id pull_request_id, const PageRequest& page) = 0;
  // Deletes the pull request's checks that ran on another commit than
  // head_sha (results for a sha that is no longer the head are dropped).
  virtual Status dropChecksNotAt(Id tenant_id, Id pull_request_id, const std::string& head_sha) = 0;
  // The pull request the server opened from `branch` of `repository`
  // ("owner/name"), in any tenant: the one lookup a webhook (which carries
  // no tenant) is routed by. The row names its tenant.
  virtual Result<std::optional<PullRequest>> findPullRequestByBranch(const std::string& repository,
                                                                     const std::string& branch) = 0;
  // The same by pull request number (a comment's webhook names no branch).
  virtual Result<std::optional<PullRequest>> findPullRequestByNumber(const std::string& repository,
                                                                     std::int64_t number) = 0;
};

}  // namespace codecrew::store
