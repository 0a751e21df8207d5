// POST /webhooks/github (SPEC §7): GitHub's deliveries. No API key: GitHub
// cannot send one, so the signature is the authentication. In order:
//  - no secret configured: 503 naming [github] webhook_secret;
//  - X-Hub-Signature-256 missing (a SHA-1 X-Hub-Signature alone included),
//    malformed or not the raw body's HMAC-SHA256: 401, nothing stored; the
//    body is verified as received, before any parsing;
//  - X-GitHub-Delivery or X-GitHub-Event missing, or a payload that is not
//    JSON: 400, nothing stored;
//  - the delivery id is recorded (store/webhook_store.h); a redelivery of
//    one already recorded answers 200 {"status": "duplicate"} and does
//    nothing else, so a delivery acts once;
//  - ping: 200 {"status": "pong", "zen"}; an event or action delivery does
//    not act on: 202 {"status": "ignored", "reason"};
//  - otherwise the HostEvent goes to ApiContext::host_events, which queues
//    it (GitHub waits 10 seconds at most): 202 {"status": "queued"}; with no
//    sink attached: 202 {"status": "ignored", "reason"}.
// Deliveries are not audited: audit entries belong to a tenant and a
// delivery has none until the sink maps it; each one is logged instead.
#include "api/route_support.h"
#include "api/routes.h"
#include "api/schemas.h"
#include "core/log.h"
#include "integrations/github/webhook_event.h"
#include "integrations/github/webhook_signature.h"

namespace codecrew::api {
namespace json = boost::json;
namespace github = integrations::github;
using http::Response;

namespace {

constexpr std::size_t kMaxDeliveryHeader = 200;

// {"status", "delivery", "event"} and the extra fields of one answer.
Response webhookAnswer(int status, std::string_view what, const std::string& delivery, const std::string& event,
                       json::object extra = {}) {
  json::object out{{"status", what}, {"delivery", delivery}, {"event", event}};
  for (auto& [k, v] : extra) out[k] = std::move(v);
  return Response::json(status, out);
}

std::string outcomeOf(const github::HostEvent& e, bool has_sink) {
  if (e.kind == github::HostEventKind::kPing) return "pong";
  if (e.kind == github::HostEventKind::kIgnored) return "ignored";
  return has_sink ? "queued" : "unrouted";
}

core::Result<Response> receiveGitHubWebhook(Call& call) {
  const auto& req = call.req;
  const auto& config = call.ctx.github_webhook;
  if (!config.configured())
    return Response::error(503, core::errorCodeName(core::ErrorCode::kUnavailable),
                           "the GitHub webhook is not configured: set [github] webhook_secret in codecrew.toml or "
                           "GITHUB_WEBHOOK_SECRET to the webhook's secret");
  const std::string delivery = req.header("X-GitHub-Delivery").value_or("");
  if (auto st = github::verifyWebhookSignature(config.secret, req.body, req.header(github::kSignatureHeader)); !st) {
    core::log::warn("github webhook refused", {{"reason", st.error().message},
                                               {"delivery", delivery.substr(0, kMaxDeliveryHeader)},
                                               {"remote", req.remote_address}});
    return st.error();
  }
  if (delivery.empty() || delivery.size() > kMaxDeliveryHeader)
    return core::Error::invalidArgument("X-GitHub-Delivery is required (1 to 200 characters)");
  const std::string event_name = req.header("X-GitHub-Event").value_or("");
  if (event_name.empty()) return core::Error::invalidArgument("X-GitHub-Event is required");
  auto payload = github::webhookPayloadText(req.header("Content-Type").value_or(""), req.body);
  if (!payload) return payload.error();
  auto parsed = github::parseWebhook(event_name, delivery, *payload);
  if (!parsed) return parsed.error();
  github::HostEvent event = std::move(parsed).value();

  const bool has_sink = call.ctx.host_events != nullptr;
  store::WebhookDelivery record;
  record.delivery_id = delivery;
  record.event = event.event;
  record.action = event.action;
  record.repository = event.repository;
  record.outcome = outcomeOf(event, has_sink);
  auto first = call.store().recordWebhookDelivery(record);
  if (!first) return first.error();
  if (!*first) {
    core::log::info("github webhook redelivered: ignored", {{"delivery", delivery}, {"event", event_name}});
    return webhookAnswer(200, "duplicate", delivery, event_name);
  }
  core::log::info("github webhook received", {{"delivery", delivery},
                                              {"event", event_name},
                                              {"action", event.action},
                                              {"repository", event.repository},
                                              {"outcome", record.outcome}});
  switch (event.kind) {
    case github::HostEventKind::kPing: return webhookAnswer(200, "pong", delivery, event_name, {{"zen", event.body}});
    case github::HostEventKind::kIgnored: {
      std::string reason = "codecrew does not act on " + event_name + " events";
      if (event_name == "issue_comment" && event.action == "created")
        reason = "the comment is on an issue, not a pull request";
      else if (!event.action.empty()) reason += " with action " + event.action;
      return webhookAnswer(202, "ignored", delivery, event_name, {{"reason", reason}});
    }
    default: break;
  }
  if (!has_sink)
    return webhookAnswer(202, "ignored", delivery, event_name,
                         {{"reason",
                           "no pull-request loop is attached to this server: the delivery is recorded only"}});
  call.ctx.host_events->accept(std::move(event));
  return webhookAnswer(202, "queued", delivery, event_name);
}

}  // namespace

void addWebhookRouteSchemas(SchemaMap& out) {
  out["WebhookPayload"] = parseSchema(R"({"type": "object",
      "description": "a GitHub webhook delivery's payload, as GitHub sends it, or form-encoded in its payload field"})");
  out["WebhookAnswer"] = closedObject(R"({
      "status": {"type": "string", "enum": ["pong", "queued", "ignored", "duplicate"],
        "description": "pong: a ping; queued: handed to the pull-request loop; ignored: nothing acts on it (reason); duplicate: this delivery id was received before, nothing done again"},
      "delivery": {"type": "string", "description": "X-GitHub-Delivery"},
      "event": {"type": "string", "description": "X-GitHub-Event"},
      "reason": {"type": "string"},
      "zen": {"type": "string", "description": "a ping's zen"}})",
                                      {"reason", "zen"});
}

void registerWebhookRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx) {
  ApiRoute route{"POST",
                 "/webhooks/github",
                 Access::kPublic,
                 "",
                 "GitHub webhook deliveries (ping, pull_request, check_run, check_suite, pull_request_review, "
                 "pull_request_review_comment, issue_comment), authenticated by X-Hub-Signature-256 instead of a key",
                 "webhooks"};
  route.json_body = false;  // GitHub may send application/x-www-form-urlencoded too
  http::RouteDoc doc{
      .operation_id = "receiveGitHubWebhook",
      .request = "WebhookPayload",
      .response = "WebhookAnswer",
      .status = 202,
      .also_200 = true,
      .headers = {{"X-Hub-Signature-256", "string",
                   "sha256= and the hex HMAC-SHA256 of the raw body under the webhook's secret", true},
                  {"X-GitHub-Event", "string", "the event's name", true},
                  {"X-GitHub-Delivery", "string", "the delivery's GUID: a redelivery of it is answered once", true}},
      .errors = {{401, "X-Hub-Signature-256 missing, malformed or not the body's signature (nothing is stored)"},
                 {503, "no webhook secret configured ([github] webhook_secret, GITHUB_WEBHOOK_SECRET)"}}};
  addApiRoute(router, std::move(ctx), std::move(route), std::move(doc), receiveGitHubWebhook);
}

}  // namespace codecrew::api
