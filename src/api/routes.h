// The REST API of SPEC §7: registers every route on a Router. Handlers are
// thin: parse and validate, authorize, call the store (or the engine), render.
// Thread-safety: call once before the server starts.
#pragma once

#include "api/api_context.h"
#include "http/router.h"

#include <functional>
#include <memory>

namespace codecrew::api {

class WriteProbe;

// `extra` registers routes of other subsystems (the gateway, the engine)
// before the system routes, so the OpenAPI document describes them too.
void registerRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx,
                    const std::function<void(http::Router&)>& extra = {});

// Per-resource registration (one file each).
void registerWorkflowRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx);
void registerExecutionRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx);
void registerApprovalRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx);
void registerConversationRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx);
void registerSearchRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx);
void registerOutputRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx);
// Live events: SSE and the workflow WebSocket (event_routes.cpp).
void registerEventRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx);
// CrewCode: /generate and /sessions (crewcode_routes.cpp).
void registerCrewCodeRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx);
// POST /workflows/from-jira/{story_id} (jira_routes.cpp).
void registerJiraRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx);
// GET /crews and /crews/{name} (crew_routes.cpp).
void registerCrewRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx);
// POST /webhooks/github: GitHub's deliveries, verified and queued (webhook_routes.cpp).
void registerWebhookRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx);
// The web UI: GET /, /assets/{path} and /{file} from [server] web_dir (web_routes.cpp).
void registerWebRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx);
// /health, /openapi.json and /docs; call last, since the document describes
// the routes registered before it.
void registerSystemRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx);
// GET /healthz, /readyz and /metrics (the last only with ctx->metrics):
// part of the system routes, and alone on a worker's metrics listener.
// probe: the write probe to share with /health (null: one of their own).
void registerOperatorRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx,
                            std::shared_ptr<WriteProbe> probe = nullptr);

}  // namespace codecrew::api
