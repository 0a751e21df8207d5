// WebSocket routes, as handlers see them (no Beast types): a route added
// with Router::addWebSocket answers a GET that asks to upgrade. Its handler
// runs on the blocking pool with the request and the server side of the
// socket-to-be; it may refuse (any HTTP response: 401, 404, ...) or accept
// with a function for the client's text messages. Messages the handler
// sends before the handshake completes are sent right after it.
// Thread-safety: every WebSocket method may be called from any thread.
#pragma once

#include "http/request.h"
#include "http/response.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace codecrew::http {

// RFC 6455 §7.4.1: the close code for "this endpoint will not go on" (a
// revoked key, for example).
constexpr std::uint16_t kClosePolicyViolation = 1008;

class WebSocket {
 public:
  virtual ~WebSocket() = default;
  // Queues one text message (an empty one is not sent). Returns false (and drops it) if the socket is
  // closed, or if more than the buffer limit is queued and unsent, in which
  // case the connection is closed: a slow client never slows the sender.
  virtual bool send(std::string text) = 0;
  // Sends a normal close after the queued messages. Dropping the last
  // reference to the socket does the same.
  virtual void close() = 0;
  // The same with this close code and reason (RFC 6455 §7.4: 1008 policy
  // violation for a revoked key, for example; the reason is cut to 123 bytes).
  virtual void closeWithReason(std::uint16_t code, std::string reason) = 0;
  // True once closed by either side, dropped, or the server is stopping.
  virtual bool closed() const = 0;
  // Runs fn once when the socket closes for any reason, on the blocking
  // pool (at once on the calling thread if already closed).
  virtual void onClose(std::function<void()> fn) = 0;
  // Bytes queued and not yet sent.
  virtual std::size_t bufferedBytes() const = 0;
};

// A text message from the client. Runs on the blocking pool, one message at
// a time per socket, in the order received.
using WebSocketMessageHandler = std::function<void(std::string text)>;

struct WebSocketUpgrade {
  std::optional<Response> refusal;     // set: answer the upgrade request with it
  WebSocketMessageHandler on_message;  // when accepted
};

using WebSocketHandler = std::function<WebSocketUpgrade(Request&, std::shared_ptr<WebSocket>)>;

}  // namespace codecrew::http
