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
#include "api/live_access.h"
#include "api/routes.h"
#include "api/stream_heartbeat.h"
#include "api/workflow_socket.h"
#include "core/log.h"
#include "events/event_log.h"

#include <boost/json/serialize.hpp>

namespace codecrew::api {
namespace {

constexpr double kDefaultHeartbeatSeconds = 15;

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

void serveEvents(const ApiContext& ctx, StreamHeartbeat& heartbeat, events::EventChannel channel, http::Request& req,
                 const std::shared_ptr<http::ResponseStream>& stream) {
  auto viewer = authorizeLive(ctx, req);
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
  stream->onClose([feed] { feed->stop(); });
  heartbeat.add(stream);
}

}  // namespace

void registerEventRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx) {
  auto heartbeat = std::make_shared<StreamHeartbeat>(heartbeatInterval(*ctx), ": heartbeat\n\n");
  const char* tag = "events";
  auto sse = [&](const char* pattern, events::EventChannel channel, const char* summary, const char* operation_id) {
    http::RouteOptions options;
    options.summary = summary;
    options.tag = tag;
    options.doc = {.operation_id = operation_id, .content_type = "text/event-stream"};
    router.addStream(
        "GET", pattern,
        [ctx, heartbeat, channel](http::Request& req, std::shared_ptr<http::ResponseStream> stream) {
          serveEvents(*ctx, *heartbeat, channel, req, stream);
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
  ws.doc = {.operation_id = "openWorkflowSocket", .status = 101, .content_type = ""};
  router.addWebSocket(
      "/ws/workflows/{id:int}",
      [ctx](http::Request& req, std::shared_ptr<http::WebSocket> socket) {
        return openWorkflowSocket(ctx, req, std::move(socket));
      },
      ws);
}

}  // namespace codecrew::api
