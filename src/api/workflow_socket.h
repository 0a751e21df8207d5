// WorkflowSocket: one client of WebSocket /ws/workflows/{id}. It sends the
// workflow's events (all of them, status and conversation alike) as
// {"type": "event", "id": <seq>, "event": {...}} messages, resuming after
// Last-Event-ID or ?last_event_id= like the SSE routes, and takes commands:
//   {"type": "approve" | "reject" | "request_changes", "approval_id": N, "comment": "...", "id": "ref"}
//   (comment required for request_changes; "id" is an optional string)
//   {"type": "cancel", "execution_id": N, "id": "ref"}
// each answered by {"type": "ack", "id": "ref", "command": ..., "ok": true,
// "result": {...}} or {..., "ok": false, "error": {"code", "message",
// "details"}}. Commands need a key that may write (viewers get
// permission_denied, as on the REST routes), are audited like the REST
// calls, and go through the ExecutionService (ctx.executions) like them.
// The socket acts as the key that opened it (with its Authorization header
// or a stream ticket) while that key is valid: each command re-checks the
// key in the store first (a revoked key's command is refused with
// unauthenticated and the socket closes), and the KeyWatch closes the socket
// of a revoked key within an interval. Such closes carry code 1008 (policy
// violation) and the reason ("API key revoked").
// Thread-safety: messages are handled one at a time (the server's
// contract); the feed writes to the socket from other threads.
#pragma once

#include "api/api_context.h"
#include "api/key_watch.h"
#include "api/live_access.h"
#include "events/event_feed.h"
#include "http/websocket.h"

#include <boost/json/object.hpp>

#include <memory>
#include <string>

namespace codecrew::api {

// The WebSocket route's handler: authorizes (a refusal is an ordinary HTTP
// error response), starts the session and has watch keep an eye on its key.
http::WebSocketUpgrade openWorkflowSocket(const std::shared_ptr<const ApiContext>& ctx, StreamTickets& tickets,
                                          KeyWatch& watch, http::Request& req, std::shared_ptr<http::WebSocket> socket);

class WorkflowSocket : public std::enable_shared_from_this<WorkflowSocket> {
 public:
  WorkflowSocket(std::shared_ptr<const ApiContext> ctx, LiveViewer viewer, std::string path,
                 std::shared_ptr<http::WebSocket> socket);

  // Starts sending events with seq > after_seq.
  void start(std::int64_t after_seq);
  // One text message from the client.
  void onMessage(const std::string& text);
  // The socket closed: stop the feed.
  void stop();
  // The key is no longer valid: close the socket with 1008 and why.
  void revoke(const core::Error& why);
  bool closed() const { return socket_->closed(); }

 private:
  struct Command;

  // Whether the key that opened the socket is still valid, by the store.
  core::Status checkKey() const;
  boost::json::object execute(const Command& command);
  core::Result<boost::json::object> perform(const Command& command);
  void audit(const Command& command, int status) const;

  const std::shared_ptr<const ApiContext> ctx_;
  const LiveViewer viewer_;
  const std::string path_;
  const std::shared_ptr<http::WebSocket> socket_;
  std::shared_ptr<events::EventFeed> feed_;  // set once by start()
};

}  // namespace codecrew::api
