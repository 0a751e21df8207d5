// The gateway's HTTP routes (/v1): GET /v1/models, POST /v1/chat/completions
// (OpenAI), POST /v1/messages (Anthropic), GET /v1/usage. Callers send a
// codecrew API key as `Authorization: Bearer <key>` (or, for /v1/messages,
// `x-api-key: <key>`); errors come in the caller's dialect. Provider keys
// never leave the server.
// Thread-safety: call once before the server starts.
#pragma once

#include "api/api_context.h"
#include "gateway/gateway.h"
#include "http/router.h"

#include <memory>

namespace codecrew::api {

void registerGatewayRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx,
                           std::shared_ptr<gateway::Gateway> gateway);

}  // namespace codecrew::api
