// Connection: one accepted TCP connection of the Server, served by one
// coroutine on the connection's executor, one I/O thread's io_context run by
// that thread alone (called "the strand" below: it serialises like one):
// read a request (bounded), route it, run its handler on the blocking pool,
// write the response (or pump a streamed response while watching for the
// client going away), repeat while keep-alive holds. Internal to http/ (Beast
// types appear here, so api/ must not include it).
// Thread-safety: start() once from the acceptor; shutdown() and forceClose()
// from any thread (they post to the strand); everything else runs on the
// strand.
#pragma once

#include "http/router.h"
#include "http/server.h"
#include "http/stream_channel.h"
#include "http/wake_batch.h"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream_fwd.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace codecrew::http {

// What every connection of one Server shares. Outlives the connections'
// coroutines (the server joins its threads before destroying it).
struct ServerContext {
  ServerOptions options;
  std::shared_ptr<const Router> router;
  boost::asio::thread_pool* blocking = nullptr;
  std::atomic<bool> stopping{false};
  // Called on the strand when a connection's coroutine ends.
  std::function<void(const void* connection)> on_finished;
  // From options.metrics, when set.
  telemetry::Family<telemetry::Counter>* requests = nullptr;
  telemetry::Family<telemetry::Histogram>* durations = nullptr;
};

class Connection final : public StreamSink, public std::enable_shared_from_this<Connection> {
 public:
  // overflow: admitted past ServerOptions::max_connections; only one
  // request is read (with a short timeout), and only a GET or HEAD of one of
  // the cap_exempt_paths is served, anything else gets 503.
  Connection(boost::asio::ip::tcp::socket socket, ServerContext& context, bool overflow = false);

  // Starts serving (once).
  void start();
  // Server stopping: closes the connection if idle or streaming; a request
  // being handled finishes and its response carries Connection: close.
  void shutdown();
  // Closes the socket whatever the connection is doing.
  void forceClose();

  // StreamSink.
  void wake() override;
  void abort(const StreamChannel* channel) override;
  void runCallback(std::function<void()> fn) override;

 private:
  using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
  using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;
  struct Exchange;  // one request's bookkeeping (id, timing, what was sent)

  boost::asio::awaitable<void> run();
  // Serves one request; false when the connection must close.
  boost::asio::awaitable<bool> serveOne();
  // Reads a request's header into `parser` as Beast's async_read_header
  // does, but looks at the raw bytes first: a header line that starts with
  // SP or HTAB (obs-fold, which Beast unfolds silently) sets `folded` and
  // stops the read. Returns the read's or the parser's error.
  boost::asio::awaitable<boost::beast::error_code> readHeader(RequestParser& parser, bool& folded);
  boost::asio::awaitable<bool> dispatch(BeastRequest& msg, Exchange& ex);
  boost::asio::awaitable<Response> runHandler(const Route& route, Request& req);
  boost::asio::awaitable<bool> serveStream(const Route& route, Request req, Exchange& ex);
  // WebSocket routes (connection_websocket.cpp): upgrade or refuse, then
  // pump messages both ways until either side closes.
  using WebSocketStream = boost::beast::websocket::stream<boost::beast::tcp_stream&, true>;
  boost::asio::awaitable<bool> serveWebSocket(const Route& route, Request req, BeastRequest& msg, Exchange& ex);
  boost::asio::awaitable<WebSocketUpgrade> runUpgradeHandler(const Route& route, Request& req,
                                                             std::shared_ptr<WebSocket> socket);
  boost::asio::awaitable<void> writeWebSocket(WebSocketStream& ws, std::shared_ptr<StreamChannel> channel);
  boost::asio::awaitable<void> readWebSocket(WebSocketStream& ws, std::shared_ptr<StreamChannel> channel,
                                             const WebSocketMessageHandler& on_message);
  boost::asio::awaitable<bool> pumpStream(std::shared_ptr<StreamChannel> channel, Exchange& ex);
  boost::asio::awaitable<bool> writeStream(std::shared_ptr<StreamChannel> channel, Exchange& ex, bool& head_sent);
  // While a response is pumped: closes `channel` if the client goes away (a
  // wait for readability on the socket, nothing read). stopWatching ends it.
  void watchDisconnect(std::shared_ptr<StreamChannel> channel);
  void stopWatching();
  // On the strand, for wake(): sends what the channel queued straight from
  // here when the pump is parked with nothing unsent (one non-blocking
  // write, without resuming it); else, or when that write does not take
  // everything (the rest is kept in unsent_), wakes the pump.
  void onWake();
  // A streamed response's status line and headers, as text to send before its first chunk.
  std::string streamHeadText(const StreamHead& head, Exchange& ex);
  boost::asio::awaitable<bool> writeResponse(Response response, Exchange& ex);
  // Sends a final error; the connection then closes without reading the
  // rest of the request (after a short drain so the client sees the error).
  boost::asio::awaitable<void> failAndClose(Response response, Exchange& ex);
  boost::asio::awaitable<void> lingeringClose();
  // X-Request-Id and the CORS headers every response carries.
  std::vector<std::pair<std::string, std::string>> commonHeaders(const Exchange& ex) const;
  // connection_telemetry.cpp: the exchange's server span (a child of the
  // request's traceparent, "" for none), its route once matched, and its
  // end, once: metrics, span and access log line.
  void startSpan(Exchange& ex, std::string_view traceparent);
  void noteRoute(Exchange& ex, const std::string& pattern);
  void finishExchange(Exchange& ex);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  ServerContext& context_;
  std::string remote_address_;
  boost::asio::steady_timer wake_timer_;    // strand only: a pump waits on it
  WakeBatch& wake_batch_;                   // wakes from other threads, of this connection's io_context
  std::shared_ptr<StreamChannel> channel_;  // strand only: the open stream
  bool idle_ = true;                        // strand only: waiting for a request
  std::uint64_t watch_ = 0;                 // strand only: the current disconnect watch
  bool stopping_ = false;                   // strand only
  // strand only: writeStream is waiting on wake_timer_ with everything taken
  // sent, in chunked framing when parked_chunked_.
  bool parked_ = false;
  bool parked_chunked_ = false;
  std::string unsent_;              // strand only: framed bytes onWake could not write; the pump sends them first
  std::size_t unsent_body_ = 0;     // strand only: the body bytes among them (the whole chunk's)
  std::uint64_t direct_bytes_ = 0;  // strand only: body bytes onWake wrote, for the access log
  const bool overflow_;
};

}  // namespace codecrew::http
