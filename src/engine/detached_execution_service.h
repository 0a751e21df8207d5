// DetachedExecutionService: the ExecutionService of a server without the
// crew engine (`serve --no-engine`, an API-only host). Starts are stored
// with their job queued, so a host with the engine on the same database
// runs them; cancel and decisions are recorded; resume is refused.
// Thread-safety: every method may be called from any thread.
#pragma once

#include "engine/crew_catalog.h"
#include "engine/execution_service.h"
#include "store/store.h"

#include <memory>

namespace codecrew::engine {

class DetachedExecutionService final : public ExecutionService {
 public:
  DetachedExecutionService(std::shared_ptr<store::Store> store, std::shared_ptr<core::Clock> clock,
                           std::shared_ptr<const CrewCatalog> crews);

  bool attached() const override { return false; }
  // An unknown crew is refused; repositories are checked by the host that runs it.
  core::Status checkStartable(const store::Workflow& workflow) const override;
  core::Result<StartResult> start(StartRequest request) override;
  core::Result<store::Execution> cancel(core::Id tenant_id, core::Id execution_id,
                                        std::optional<core::Id> workflow_id) override;
  // kFailedPrecondition: nothing here can run it.
  core::Result<store::Execution> resume(core::Id tenant_id, core::Id execution_id) override;
  core::Result<store::Approval> decide(const DecideRequest& request) override;

 private:
  std::shared_ptr<store::Store> store_;
  std::shared_ptr<core::Clock> clock_;
  std::shared_ptr<const CrewCatalog> crews_;
};

}  // namespace codecrew::engine
