// Live events of a workflow (SPEC §7 Live): GET /events/workflows/{id}
// (status events) and GET /events/workflows/{id}/stream (conversation and
// LLM-call events) as Server-Sent Events, and the WebSocket
// /ws/workflows/{id} (workflow_socket.cpp). Every SSE event carries
// `id: <seq>`; a client that reconnects with Last-Event-ID gets what it
// missed from the store and then the live events, with no gap and no
// duplicate. A ": heartbeat" comment goes out every [events]
// heartbeat_seconds (15 by default). A client that reads too slowly is
// dropped when its buffer fills (it resumes from its last id); the engine
// never waits for it.
//
// Each stream acts as the key that opened it, for as long as that key is
// valid: a KeyWatch re-checks the keys of open streams against the store
// every [server] auth_cache_seconds and ends the streams of a revoked key
// (SSE: a final `event: error` with the API's error body; WebSocket: close
// code 1008 with the reason). Browsers, whose EventSource and WebSocket
// cannot send an Authorization header, get a single-use ticket from
// POST /workflows/{id}/stream-tickets and open the stream with ?ticket=.
#include "api/key_watch.h"
#include "api/live_access.h"
#include "api/route_support.h"
#include "api/routes.h"
#include "api/schemas.h"
#include "api/stream_heartbeat.h"
#include "api/workflow_socket.h"
#include "core/log.h"
#include "events/event_log.h"

#include <boost/json/serialize.hpp>

namespace codecrew::api {
namespace {

constexpr double kDefaultHeartbeatSeconds = 15;

// The live-stream state of one server: tickets and the watch on open streams' keys.
struct LiveAuth {
  explicit LiveAuth(const ApiContext& ctx)
      : tickets(ctx.clock ? ctx.clock : core::SystemClock::instance()),
        watch(ctx.store, std::chrono::seconds(ctx.config ? ctx.config->server.auth_cache_seconds
                                                         : core::ServerConfig{}.auth_cache_seconds)) {}
  StreamTickets tickets;
  KeyWatch watch;
};

std::chrono::milliseconds heartbeatInterval(const ApiContext& ctx) {
  double seconds = kDefaultHeartbeatSeconds;
  if (ctx.config) {
    if (const auto* section = ctx.config->document.if_contains("events"); section && section->is_object()) {
      if (const auto* v = section->as_object().if_contains("heartbeat_seconds"); v && v->is_number())
        seconds = v->to_number<double>();
    }
  }
  if (seconds <= 0) seconds = kDefaultHeartbeatSeconds;
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

void respond(http::ResponseStream& stream, const http::Response& response) {
  stream.begin(response.status, response.content_type, response.headers);
  stream.write(response.body);
  stream.end();
}

std::string sseFrame(const events::LiveEvent& event, std::int64_t id) {
  std::string frame;
  frame.reserve(event.json().size() + event.event().type.size() + 40);
  frame += "id: ";
  frame += std::to_string(id);
  frame += "\nevent: ";
  frame += event.event().type;
  frame += "\ndata: ";
  frame += event.json();
  frame += "\n\n";
  return frame;
}

// The last frame of a stream whose key stopped being valid.
std::string errorFrame(const core::Error& why) {
  return "event: error\ndata: " + http::Response::fromError(why).body + "\n\n";
}

void serveEvents(const ApiContext& ctx, LiveAuth& live, StreamHeartbeat& heartbeat, events::EventChannel channel,
                 http::Request& req, const std::shared_ptr<http::ResponseStream>& stream) {
  auto viewer = authorizeLive(ctx, live.tickets, req);
  if (!viewer) return respond(*stream, http::Response::fromError(viewer.error()));
  auto after = resumeAfter(req);
  if (!after) return respond(*stream, http::Response::fromError(after.error()));
  stream->begin(200, "text/event-stream; charset=utf-8", {{"Cache-Control", "no-cache"}, {"X-Accel-Buffering", "no"}});
  stream->write("retry: 2000\n\n");
  events::FeedTarget target{viewer->principal.tenant_id, viewer->workflow.id, *after};
  auto feed = ctx.events->follow(
      target,
      [stream, channel](const events::LiveEvent& event, std::int64_t id) {
        if (event.channel() != channel) return !stream->closed();
        return stream->write(sseFrame(event, id));
      },
      [stream](const core::Error& error) {
        core::log::error("event stream failed", {{"error", error.message}});
        stream->end();
      },
      [stream] { return stream->bufferedBytes() < events::kBacklogHighWater; });
  stream->onClose([feed, counted = countSubscriber(ctx, "sse")]() mutable {
    feed->stop();
    counted.reset();
  });
  heartbeat.add(stream);
  live.watch.watchWeak(viewer->principal.key_hash, stream, [](http::ResponseStream& s, const core::Error& why) {
    s.write(errorFrame(why));
    s.end();
  });
}

core::Result<http::Response> issueTicket(Call& call, StreamTickets& tickets) {
  auto workflow = call.store().getWorkflow(call.tenant(), pathId(call.req, "id"));
  if (!workflow) return workflow.error();
  auto issued = tickets.issue(call.principal, workflow->id);
  if (!issued) return issued.error();
  auto response = http::Response::json(201, boost::json::object{{"ticket", issued->ticket},
                                                                {"expires_in", issued->expires_in.count()},
                                                                {"workflow_id", workflow->id}});
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// The ?ticket= of the SSE and WebSocket routes.
http::QueryParamDoc ticketParam() {
  return {"ticket", "string",
          "instead of Authorization: a ticket from POST /workflows/{id}/stream-tickets (single use, 60 s, this "
          "workflow only), for browsers' EventSource and WebSocket"};
}

}  // namespace

void addEventRouteSchemas(SchemaMap& out) {
  out["StreamTicket"] = closedObject(R"({
      "ticket": {"type": "string", "description": "open one stream of the workflow with ?ticket=<ticket>"},
      "expires_in": {"type": "integer", "description": "seconds until the unused ticket expires"},
      "workflow_id": {"type": "integer"}})");
}

void registerEventRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx) {
  if (ctx->metrics) subscriberGauges(*ctx->metrics);
  auto heartbeat = std::make_shared<StreamHeartbeat>(heartbeatInterval(*ctx), ": heartbeat\n\n");
  auto live = std::make_shared<LiveAuth>(*ctx);
  const char* tag = "events";
  auto sse = [&](const char* pattern, events::EventChannel channel, const char* summary, const char* operation_id) {
    http::RouteOptions options;
    options.summary = summary;
    options.tag = tag;
    options.doc = {.operation_id = operation_id, .content_type = "text/event-stream", .query = {ticketParam()}};
    router.addStream(
        "GET", pattern,
        [ctx, live, heartbeat, channel](http::Request& req, std::shared_ptr<http::ResponseStream> stream) {
          serveEvents(*ctx, *live, *heartbeat, channel, req, stream);
        },
        options);
  };
  sse("/events/workflows/{id:int}", events::EventChannel::kStatus,
      "Status events of a workflow (Server-Sent Events; Last-Event-ID resumes)", "streamWorkflowStatus");
  sse("/events/workflows/{id:int}/stream", events::EventChannel::kConversation,
      "Conversation and LLM-call events of a workflow (Server-Sent Events; Last-Event-ID resumes)",
      "streamWorkflowConversation");

  http::RouteOptions ws;
  ws.summary = "WebSocket: a workflow's events, and approve/reject/request_changes/cancel commands";
  ws.tag = tag;
  ws.doc = {.operation_id = "openWorkflowSocket", .status = 101, .content_type = "", .query = {ticketParam()}};
  router.addWebSocket(
      "/ws/workflows/{id:int}",
      [ctx, live](http::Request& req, std::shared_ptr<http::WebSocket> socket) {
        return openWorkflowSocket(ctx, live->tickets, live->watch, req, std::move(socket));
      },
      ws);

  addApiRoute(router, ctx,
              {"POST", "/workflows/{id:int}/stream-tickets", Access::kRead, "",
               "A single-use ticket (60 s) for one live stream of the workflow: open the SSE or WebSocket URL "
               "with ?ticket= (for browsers, whose EventSource and WebSocket cannot send Authorization)",
               tag},
              {.operation_id = "createStreamTicket", .response = "StreamTicket", .status = 201},
              [live](Call& call) { return issueTicket(call, live->tickets); });
}

}  // namespace codecrew::api
