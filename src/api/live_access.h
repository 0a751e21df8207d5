// Access to a workflow's live events (SSE and WebSocket routes): the caller
// must authenticate like every other route, or bring a stream ticket
// (?ticket=, see stream_tickets.h) issued for this workflow, and the workflow
// must be its tenant's (another tenant's workflow is 404); and where to
// resume from.
// Thread-safety: stateless functions over a thread-safe Store.
#pragma once

#include "api/api_context.h"
#include "api/auth.h"
#include "api/stream_tickets.h"
#include "core/result.h"
#include "http/request.h"
#include "store/models.h"

#include <cstdint>

namespace codecrew::api {

struct LiveViewer {
  Principal principal;
  store::Workflow workflow;
};

// Authenticates req and loads the workflow of its {id} path parameter.
// With a ticket query parameter (outside dev mode, where none is needed) the
// ticket is redeemed instead of reading the Authorization header, and its
// key must still be valid in the store. kUnavailable when the server has no
// event log.
core::Result<LiveViewer> authorizeLive(const ApiContext& ctx, StreamTickets& tickets, const http::Request& req);

// The seq to resume after: the Last-Event-ID header, else the
// last_event_id query parameter, else 0 (the whole log). kInvalidArgument
// when it is not a non-negative integer.
core::Result<std::int64_t> resumeAfter(const http::Request& req);

// codecrew_event_subscribers{transport}, with both transports' series (at 0).
telemetry::Family<telemetry::Gauge>& subscriberGauges(telemetry::Registry& registry);

// Counts a live subscriber of `transport` ("sse" or "websocket") in
// codecrew_event_subscribers until the returned guard is destroyed (null
// without metrics).
std::shared_ptr<void> countSubscriber(const ApiContext& ctx, const char* transport);

}  // namespace codecrew::api
