// The gateway's HTTP routes (/v1): GET /v1/models, POST /v1/chat/completions
// and POST /v1/responses (OpenAI), POST /v1/messages and POST /v1/messages/
// count_tokens (Anthropic), POST /v1/embeddings, GET /v1/usage. A crew/<name>
// model on any of the three model routes runs that crew (crew_model_handler.h).
// Callers send a codecrew API key as `Authorization: Bearer <key>` (or
// `x-api-key: <key>`); errors come in the caller's dialect, the router's own
// refusals under /v1 (unknown path, wrong method, not JSON) too: Anthropic's
// shape under /v1/messages, OpenAI's elsewhere. Provider keys never leave
// the server.
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
