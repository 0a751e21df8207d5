// Store: everything codecrew keeps. It is the union of one narrow interface
// per aggregate, plus transact():
//   SchemaStore        schema_store.h        health and migrations
//   TenantStore        tenant_store.h        tenants, API keys, audit
//   ProjectStore       project_store.h       projects
//   WorkflowStore      workflow_store.h      workflows
//   ExecutionStore     execution_store.h     executions, their jobs and attempts
//   JobQueueStore      job_queue_store.h     the jobs as a queue: claims, leases, fences
//   ConversationStore  conversation_store.h  conversations and messages
//   LlmCallStore       llm_call_store.h      model calls, their listings and totals
//   OutputStore        output_store.h        code files, diffs, artifacts
//   ApprovalStore      approval_store.h      approval gates
//   PullRequestStore   pull_request_store.h  pull requests and checks
//   EventStore         event_store.h         the stored event log
//   SessionStore       session_store.h       CrewCode sessions and their files
//   WebhookStore       webhook_store.h       webhook deliveries received (idempotency)
//   WorkspaceStore     workspace_store.h     workspaces' commits and changes, for a rebuild elsewhere
// SqlStore (store/sql/) implements them all together, on SQLite or
// PostgreSQL, so nothing above store/ may know which database it
// has. StoreWrapper decorates them all. A caller takes the narrow interfaces
// it uses (a Store& or shared_ptr<Store> converts to each); it takes Store
// when it needs transact() or most of the store.
//
// Contracts that hold for every method of every interface and every
// implementation, unless the interface says otherwise:
//  - Tenant scoping: every read and write names a tenant; an object of another
//    tenant is reported as kNotFound, never as kPermissionDenied.
//  - Atomicity: each method is one transaction; on any error nothing is kept.
//  - Ids and timestamps (created_at/updated_at, seq) are assigned by the store
//    from its Clock; values passed in those fields are ignored.
//  - Expected failures come back as Result errors (kNotFound, kAlreadyExists,
//    kConflict, kInvalidArgument, kUnavailable); exceptions only for bugs.
// Thread-safety: implementations are safe to call from any number of threads.
// Calls block on disk I/O; call them from the blocking pool, not an I/O thread.
#pragma once

#include "store/approval_store.h"
#include "store/conversation_store.h"
#include "store/event_store.h"
#include "store/execution_store.h"
#include "store/job_queue_store.h"
#include "store/llm_call_store.h"
#include "store/operations_store.h"
#include "store/output_store.h"
#include "store/project_store.h"
#include "store/pull_request_store.h"
#include "store/schema_store.h"
#include "store/session_store.h"
#include "store/store_types.h"
#include "store/tenant_store.h"
#include "store/webhook_store.h"
#include "store/workflow_store.h"
#include "store/workspace_store.h"

#include <functional>

namespace codecrew::store {

class Store : public SchemaStore,
              public TenantStore,
              public ProjectStore,
              public WorkflowStore,
              public ExecutionStore,
              public JobQueueStore,
              public ConversationStore,
              public LlmCallStore,
              public OutputStore,
              public ApprovalStore,
              public PullRequestStore,
              public EventStore,
              public SessionStore,
              public WebhookStore,
              public WorkspaceStore,
              public OperationsStore {
 public:
  ~Store() override = default;

  // Runs fn with a Store whose calls all belong to one transaction; commits if
  // fn returns ok, rolls back otherwise (and on exception). Nested calls join
  // the outer transaction.
  virtual Status transact(const std::function<Status(Store&)>& fn) = 0;
};

}  // namespace codecrew::store
