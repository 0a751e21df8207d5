// The writes that end an execution outside a run (cancel, a run that cannot
// load, a start whose workspace cannot be made), shared by the execution
// services and the engine. Each is one store transaction that re-reads the
// execution inside it, so it never writes back a stale checkpoint.
// Thread-safety: as the store's.
#pragma once

#include "core/clock.h"
#include "engine/crew_catalog.h"
#include "engine/crew_inputs.h"
#include "engine/execution_service.h"
#include "store/store.h"

#include <string>

namespace codecrew::engine {

// Marks an execution that has not ended cancelled, with its job (no longer
// queued) and workflow, and records the event. kConflict when it has ended.
core::Result<store::Execution> markCancelled(store::Store& store, core::Clock& clock, core::Id tenant_id,
                                             core::Id execution_id);

// Fails an execution for good with message (its job failed too, so nothing
// picks it up again) and records the event; an ended one is left as it is.
core::Status markFailed(store::Store& store, core::Clock& clock, core::Id tenant_id, core::Id execution_id,
                        const std::string& message);

// The stored half of a start, shared by the execution services: the
// execution and its queued job in one transaction (with the workspace the
// request names, if any); a repeated idempotency key returns the first.
core::Result<StartResult> storeStart(store::Store& store, const StartRequest& request);

// Before a start is stored: kInvalidArgument naming every {placeholder} of
// the workflow's crew that neither the workflow's inputs, its description,
// nor the start's inputs fill. A crew the catalog lacks passes (the
// services' checkStartable names it).
core::Status checkStartInputs(const CrewCatalog& crews, const store::Workflow& workflow, const CrewInputs& start);

// Records a decision on a pending approval (of request.workflow_id, when
// set); kInvalidArgument for a request for changes without a comment.
core::Result<store::Approval> recordDecision(store::Store& store, const DecideRequest& request);

// The execution, checked to be workflow_id's when that is set (else kNotFound).
core::Result<store::Execution> executionOf(store::Store& store, core::Id tenant_id, core::Id execution_id,
                                           std::optional<core::Id> workflow_id);

}  // namespace codecrew::engine
