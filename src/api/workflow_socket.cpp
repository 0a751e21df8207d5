#include "api/workflow_socket.h"

#include "api/json_input.h"
#include "api/render.h"
#include "core/log.h"
#include "events/event_log.h"

#include <boost/json/serialize.hpp>

#include <limits>

namespace codecrew::api {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxComment = 20000;
constexpr std::int64_t kMaxId = std::numeric_limits<std::int64_t>::max();

std::string eventMessage(const events::LiveEvent& event, std::int64_t id) {
  std::string out;
  out.reserve(event.json().size() + 48);
  out += R"({"type":"event","id":)";
  out += std::to_string(id);
  out += R"(,"event":)";
  out += event.json();
  out += "}";
  return out;
}

json::object errorJson(const core::Error& e) {
  return {{"code", core::errorCodeName(e.code)}, {"message", e.message}, {"details", e.details}};
}

std::string reviewerOf(const Principal& p) { return p.api_key_id ? "key:" + std::to_string(*p.api_key_id) : "dev"; }

}  // namespace

struct WorkflowSocket::Command {
  std::string type;
  json::value ref;  // the client's "id", echoed in the ack
  core::Id approval_id = 0;
  core::Id execution_id = 0;
  std::string comment;
};

http::WebSocketUpgrade openWorkflowSocket(const std::shared_ptr<const ApiContext>& ctx, StreamTickets& tickets,
                                          KeyWatch& watch, http::Request& req,
                                          std::shared_ptr<http::WebSocket> socket) {
  auto viewer = authorizeLive(*ctx, tickets, req);
  if (!viewer) return {http::Response::fromError(viewer.error()), {}};
  auto after = resumeAfter(req);
  if (!after) return {http::Response::fromError(after.error()), {}};
  const std::string key_hash = viewer->principal.key_hash;
  auto session = std::make_shared<WorkflowSocket>(ctx, std::move(*viewer), req.path, socket);
  session->start(*after);
  socket->onClose([session, counted = countSubscriber(*ctx, "websocket")]() mutable {
    session->stop();
    counted.reset();
  });
  watch.watchWeak(key_hash, session, [](WorkflowSocket& s, const core::Error& why) { s.revoke(why); });
  return {std::nullopt, [session](std::string text) { session->onMessage(text); }};
}

WorkflowSocket::WorkflowSocket(std::shared_ptr<const ApiContext> ctx, LiveViewer viewer, std::string path,
                               std::shared_ptr<http::WebSocket> socket)
    : ctx_(std::move(ctx)), viewer_(std::move(viewer)), path_(std::move(path)), socket_(std::move(socket)) {}

void WorkflowSocket::start(std::int64_t after_seq) {
  auto socket = socket_;
  feed_ = ctx_->events->follow(
      {viewer_.principal.tenant_id, viewer_.workflow.id, after_seq},
      [socket](const events::LiveEvent& event, std::int64_t id) { return socket->send(eventMessage(event, id)); },
      [socket](const core::Error& error) {
        core::log::error("workflow socket feed failed", {{"error", error.message}});
        socket->close();
      },
      [socket] { return socket->bufferedBytes() < events::kBacklogHighWater; });
}

void WorkflowSocket::stop() {
  if (feed_) feed_->stop();
}

void WorkflowSocket::revoke(const core::Error& why) {
  socket_->closeWithReason(http::kClosePolicyViolation, why.message);
}

void WorkflowSocket::onMessage(const std::string& text) {
  Command command;
  auto parsed = [&]() -> core::Status {
    auto in = JsonInput::parse(text);
    if (!in) return in.error();
    if (auto ref = in->string("id", false, 1, 200)) command.ref = json::value(*ref);
    auto type = in->enumString("type", true, {"approve", "reject", "request_changes", "cancel"});
    command.type = type.value_or("");
    bool decision = command.type != "cancel";
    auto approval = in->integer("approval_id", decision, 1, kMaxId);
    auto execution = in->integer("execution_id", !decision, 1, kMaxId);
    auto comment = in->string("comment", command.type == "request_changes", command.type == "request_changes" ? 1 : 0,
                              kMaxComment);
    command.approval_id = approval.value_or(0);
    command.execution_id = execution.value_or(0);
    command.comment = comment.value_or("");
    return in->finish();
  }();
  json::object ack{{"type", "ack"}, {"id", command.ref}, {"command", nullptr}};
  if (!command.type.empty()) ack["command"] = command.type;
  std::optional<core::Error> key_refused;
  if (!parsed) {
    ack["ok"] = false;
    ack["error"] = errorJson(parsed.error());
  } else if (auto key = checkKey(); !key) {
    key_refused = key.error();
    audit(command, http::httpStatusFor(key.error().code));
    ack["ok"] = false;
    ack["error"] = errorJson(key.error());
  } else {
    for (auto& [k, v] : execute(command)) ack[k] = v;
  }
  socket_->send(json::serialize(ack));
  if (key_refused && key_refused->code == core::ErrorCode::kUnauthenticated) revoke(*key_refused);
}

core::Status WorkflowSocket::checkKey() const {
  if (viewer_.principal.key_hash.empty()) return core::okStatus();  // dev mode: no key
  return checkKeyInStore(*ctx_->store, viewer_.principal.key_hash);
}

json::object WorkflowSocket::execute(const Command& command) {
  auto result = perform(command);
  audit(command, result ? 200 : http::httpStatusFor(result.error().code));
  if (!result) return {{"ok", false}, {"error", errorJson(result.error())}};
  return {{"ok", true}, {"result", std::move(*result)}};
}

core::Result<json::object> WorkflowSocket::perform(const Command& command) {
  if (auto st = requireWrite(viewer_.principal); !st) return st.error();
  const core::Id tenant = viewer_.principal.tenant_id;
  const core::Id workflow = viewer_.workflow.id;
  if (command.type == "cancel") {
    auto cancelled = ctx_->executions->cancel(tenant, command.execution_id, workflow);
    if (!cancelled) return cancelled.error();
    return toJson(*cancelled);
  }
  engine::DecideRequest request{
      tenant,         command.approval_id, workflow, engine::ApprovalDecision::kApprove, reviewerOf(viewer_.principal),
      command.comment};
  if (command.type == "reject") request.decision = engine::ApprovalDecision::kReject;
  if (command.type == "request_changes") request.decision = engine::ApprovalDecision::kRequestChanges;
  auto decided = ctx_->executions->decide(request);
  if (!decided) return decided.error();
  return toJson(*decided);
}

void WorkflowSocket::audit(const Command& command, int status) const {
  store::AuditEntry e;
  e.tenant_id = viewer_.principal.tenant_id;
  e.api_key_id = viewer_.principal.api_key_id;
  e.action = command.type == "cancel" ? "execution.cancel" : "approval." + command.type;
  e.method = "WS";
  e.path = path_;
  e.status = status;
  if (auto st = ctx_->store->appendAudit(e); !st)
    core::log::error("audit write failed", {{"error", st.error().message}, {"action", e.action}});
}

}  // namespace codecrew::api
