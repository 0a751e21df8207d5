// Connection's WebSocket routes: the upgrade (or its refusal), then a writer
// that sends the channel's queued messages as text frames and a reader that
// hands the client's text messages to the route, one at a time, on the
// blocking pool. The connection ends with the socket.
#include "core/log.h"
#include "http/channel_websocket.h"
#include "http/connection.h"
#include "http/connection_exchange.h"
#include "http/server_policy.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>

namespace codecrew::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using asio::awaitable;

constexpr auto kWsTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxClientMessage = 64 * 1024;

Response upgradeRequired() {
  Response r = Response::error(426, "upgrade_required",
                               "this endpoint speaks WebSocket: send a GET with 'Connection: Upgrade' and "
                               "'Upgrade: websocket'");
  r.headers.emplace_back("Upgrade", "websocket");
  return r;
}

// The blocking-pool parts are coroutine functions taking their arguments by
// value rather than coroutine lambdas with init-captures, which GCC 12
// destroys twice.
awaitable<WebSocketUpgrade> upgradeOnPool(const Route& route, Request& req, std::shared_ptr<WebSocket> socket) {
  core::log::RequestScope scope(req.request_id);
  std::string what = "unknown exception";
  try {
    co_return route.websocket_handler(req, std::move(socket));
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  core::log::error("websocket handler threw", {{"error", what}, {"path", req.path}});
  co_return WebSocketUpgrade{internalErrorResponse(req.request_id), {}};
}

awaitable<void> messageOnPool(const WebSocketMessageHandler& on_message, std::string text) {
  try {
    on_message(std::move(text));
  } catch (const std::exception& e) {
    core::log::error("websocket message handler threw", {{"error", e.what()}});
  }
  co_return;
}

}  // namespace

awaitable<bool> Connection::serveWebSocket(const Route& route, Request req, BeastRequest& msg, Exchange& ex) {
  if (!websocket::is_upgrade(msg)) co_return co_await writeResponse(upgradeRequired(), ex);
  auto channel = std::make_shared<StreamChannel>(context_.options.stream_buffer_limit, shared_from_this());
  channel->begin(StreamHead{101, "", {}});
  WebSocketUpgrade upgrade = co_await runUpgradeHandler(route, req, std::make_shared<ChannelWebSocket>(channel));
  if (upgrade.refusal) {
    channel->detach();
    co_return co_await writeResponse(std::move(*upgrade.refusal), ex);
  }

  WebSocketStream ws(stream_);
  ws.set_option(websocket::stream_base::timeout{std::chrono::seconds(30), context_.options.idle_timeout, true});
  auto request_id = ex.request_id;
  ws.set_option(websocket::stream_base::decorator([request_id](websocket::response_type& res) {
    res.set(beast::http::field::server, kServerName);
    res.set("X-Request-Id", request_id);
  }));
  ws.read_message_max(kMaxClientMessage);
  auto [ec] = co_await ws.async_accept(msg, kWsTuple);
  if (ec) {
    channel->detach();
    co_return false;
  }
  ex.status = 101;
  finishExchange(ex);
  channel_ = channel;
  using namespace asio::experimental::awaitable_operators;
  co_await (writeWebSocket(ws, channel) || readWebSocket(ws, channel, upgrade.on_message));
  channel->detach();
  channel_.reset();
  co_return false;
}

awaitable<WebSocketUpgrade> Connection::runUpgradeHandler(const Route& route, Request& req,
                                                          std::shared_ptr<WebSocket> socket) {
  co_return co_await asio::co_spawn(*context_.blocking, upgradeOnPool(route, req, std::move(socket)),
                                    asio::use_awaitable);
}

awaitable<void> Connection::writeWebSocket(WebSocketStream& ws, std::shared_ptr<StreamChannel> channel) {
  ws.text(true);
  for (;;) {
    StreamBatch batch = channel->take();
    if (batch.closed || batch.failed) co_return;
    for (const auto& message : batch.chunks) {
      auto [ec, n] = co_await ws.async_write(asio::buffer(message), kWsTuple);
      channel->sent(message.size());
      if (ec) co_return;
    }
    if (batch.ended) {
      websocket::close_reason reason(websocket::close_code::normal);
      if (batch.close_code != 0)
        reason = websocket::close_reason(static_cast<websocket::close_code>(batch.close_code), batch.close_reason);
      auto [ec] = co_await ws.async_close(reason, kWsTuple);
      co_return;
    }
    if (batch.chunks.empty()) {
      wake_timer_.expires_at(std::chrono::steady_clock::time_point::max());
      co_await wake_timer_.async_wait(kWsTuple);
    }
  }
}

awaitable<void> Connection::readWebSocket(WebSocketStream& ws, std::shared_ptr<StreamChannel> channel,
                                          const WebSocketMessageHandler& on_message) {
  beast::flat_buffer buffer;
  for (;;) {
    auto [ec, n] = co_await ws.async_read(buffer, kWsTuple);
    if (ec) {
      channel->close();
      co_return;
    }
    std::string text = beast::buffers_to_string(buffer.data());
    buffer.consume(buffer.size());
    if (!ws.got_text() || !on_message) continue;
    // Not cancellable: the || in serveWebSocket cancels this read loop when
    // the writer ends, and a cancellation reaching a finished co_spawn on the
    // pool throws there, on a pool thread (std::terminate). The handler runs
    // to its end; the next read sees the cancellation.
    co_await asio::co_spawn(*context_.blocking, messageOnPool(on_message, std::move(text)),
                            asio::bind_cancellation_slot(asio::cancellation_slot(), asio::use_awaitable));
  }
}

}  // namespace codecrew::http
