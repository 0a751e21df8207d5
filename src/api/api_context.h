// ApiContext: what every HTTP handler may use: the store, the configuration,
// the clock, the crew engine's execution service, and facts about this
// process. Built once by `codecrew serve` and
// shared by all handlers.
// Thread-safety: members are immutable after construction, and Store, Clock
// and KeyCache are themselves thread-safe.
#pragma once

#include "core/clock.h"
#include "core/config.h"
#include "core/ids.h"
#include "delivery/delivery_loop.h"
#include "engine/execution_service.h"
#include "integrations/github/host_event.h"
#include "integrations/github/webhook_config.h"
#include "storage/blob_store.h"
#include "store/store.h"
#include "telemetry/metrics.h"

#include <filesystem>
#include <memory>

namespace codecrew::events {
class EventLog;
}
namespace codecrew::engine {
class CrewCatalog;
class CrewCodeService;
class SemanticContext;
}  // namespace codecrew::engine
namespace codecrew::integrations::jira {
class StorySource;
}

namespace codecrew::api {

class KeyCache;
class Readiness;
class RestRateLimiter;

struct ApiContext {
  std::shared_ptr<store::Store> store;
  std::shared_ptr<const core::Config> config;
  std::shared_ptr<core::Clock> clock;
  bool dev = false;            // no keys: every request acts as dev_tenant_id, role admin
  core::Id dev_tenant_id = 0;  // the built-in tenant in dev mode
  // Recently authenticated keys, so authenticate() skips the store on a hit;
  // a revoked key then works until its entry expires (the cache's TTL). Null:
  // every request looks its key up in the store.
  std::shared_ptr<KeyCache> key_cache;
  // The REST routes' per-key request rate ([server] rest_rate_per_minute);
  // null: no limit (dev mode, or the setting is 0).
  std::shared_ptr<RestRateLimiter> rest_limiter;
  core::Millis started_at = 0;
  // The only way executions are started, cancelled, resumed and approvals
  // decided (REST and WebSocket alike). Never null: without the crew engine
  // it is a DetachedExecutionService (executions then stay pending and the
  // responses say so).
  std::shared_ptr<engine::ExecutionService> executions;
  // The event log's live fan-out (SSE and WebSocket routes); null: they answer 503.
  std::shared_ptr<events::EventLog> events;
  // CrewCode (/generate, /sessions) and crew models on /v1; null without the engine.
  std::shared_ptr<engine::CrewCodeService> crewcode;
  // The crew templates (GET /crews), with or without the engine; null: 503.
  std::shared_ptr<const engine::CrewCatalog> crews;
  // Jira stories for POST /workflows/from-jira/{story_id} (a JiraClient,
  // which says what to set when Jira is not configured); null: that route
  // answers that Jira is not available here.
  std::shared_ptr<integrations::jira::StorySource> stories;
  // Delivery to the code host: background refreshes of a pull request and
  // the webhooks' events; null without the engine (the routes answer 503).
  std::shared_ptr<delivery::DeliveryLoop> delivery;
  // POST /webhooks/github: the secret deliveries are signed with ([github]
  // webhook_secret; empty: the route answers 503), and where verified
  // deliveries go (the pull-request loop, which queues them; null: they are
  // recorded and acknowledged, and nothing acts on them).
  integrations::github::WebhookConfig github_webhook;
  std::shared_ptr<integrations::github::HostEventSink> host_events;
  // GET /metrics: this process's registry (null: the route answers 404),
  // readable without a key when metrics_public, else with an admin key.
  std::shared_ptr<telemetry::Registry> metrics;
  bool metrics_public = false;
  // Repositories' semantic indexes (GET /workflows/{id}/search) and where
  // executions' workspaces are; null without the engine or with [semantic]
  // enabled = false (the route answers 409 failed_precondition).
  std::shared_ptr<engine::SemanticContext> semantic;
  std::filesystem::path workspaces_root;
  // Where artifacts' bytes are read from (GET .../artifacts/{id}/content);
  // null: only what the rows hold is served.
  std::shared_ptr<storage::BlobStore> artifacts;
  // GET /readyz (null: it checks the store alone).
  std::shared_ptr<Readiness> readiness;
};

}  // namespace codecrew::api
