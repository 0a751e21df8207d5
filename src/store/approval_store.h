// ApprovalStore: the human approval gates of executions (seed 002): created
// pending by the engine, decided once by a reviewer.
// The contracts of store.h hold (tenant scoping, one transaction a call).
#pragma once

#include "store/store_types.h"

#include <optional>
#include <string>

namespace codecrew::store {

class ApprovalStore {
 public:
  virtual ~ApprovalStore() = default;

  virtual Result<Approval> createApproval(const Approval& a) = 0;
  virtual Result<Approval> getApproval(Id tenant_id, Id id) = 0;
  // The tenant's approvals in a status (all when none), optionally of one execution.
  virtual Result<Page<Approval>> listApprovals(Id tenant_id, const std::optional<ApprovalStatus>& status,
                                               std::optional<Id> execution_id, const PageRequest& page) = 0;
  // Records the decision on a pending approval. kConflict if already decided.
  virtual Result<Approval> decideApproval(Id tenant_id, Id id, Decision decision, const std::string& reviewer,
                                          const std::string& comment) = 0;
};

}  // namespace codecrew::store
