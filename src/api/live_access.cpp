#include "api/live_access.h"

#include "api/key_watch.h"
#include "api/route_support.h"

#include <charconv>

namespace codecrew::api {

namespace {

core::Result<Principal> identify(const ApiContext& ctx, StreamTickets& tickets, const http::Request& req) {
  auto ticket = req.queryParam("ticket");
  if (!ticket || ctx.dev) return authenticate(ctx, req);
  auto principal = tickets.redeem(*ticket, pathId(req, "id"));
  if (!principal) return principal.error();
  if (!principal->key_hash.empty()) {
    if (auto valid = checkKeyInStore(*ctx.store, principal->key_hash); !valid) return valid.error();
  }
  return principal;
}

}  // namespace

core::Result<LiveViewer> authorizeLive(const ApiContext& ctx, StreamTickets& tickets, const http::Request& req) {
  auto principal = identify(ctx, tickets, req);
  if (!principal) return principal.error();
  if (!ctx.events) return core::Error::unavailable("live events are not enabled on this server");
  auto workflow = ctx.store->getWorkflow(principal->tenant_id, pathId(req, "id"));
  if (!workflow) return workflow.error();
  return LiveViewer{*principal, std::move(*workflow)};
}

core::Result<std::int64_t> resumeAfter(const http::Request& req) {
  auto value = req.header("Last-Event-ID");
  const char* name = "Last-Event-ID";
  if (!value || value->empty()) {
    value = req.queryParam("last_event_id");
    name = "last_event_id";
  }
  if (!value || value->empty()) return std::int64_t{0};
  std::int64_t seq = -1;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), seq);
  if (ec != std::errc() || end != value->data() + value->size() || seq < 0)
    return core::Error::invalidArgument(std::string(name) +
                                        " must be the id of an event (a non-negative integer), got '" + *value + "'");
  return seq;
}

telemetry::Family<telemetry::Gauge>& subscriberGauges(telemetry::Registry& registry) {
  auto& family = registry.gauge("codecrew_event_subscribers",
                                "Live event subscribers on this process, by transport (sse or websocket).",
                                {"transport"});
  for (const char* transport : {"sse", "websocket"}) family.with({transport});
  return family;
}

std::shared_ptr<void> countSubscriber(const ApiContext& ctx, const char* transport) {
  if (!ctx.metrics) return nullptr;
  auto& gauge = subscriberGauges(*ctx.metrics).with({transport});
  gauge.inc();
  return std::shared_ptr<void>(nullptr, [&gauge](void*) { gauge.dec(); });
}

}  // namespace codecrew::api
