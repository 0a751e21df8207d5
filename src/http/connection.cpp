#include "http/connection.h"

#include "core/log.h"
#include "http/buffered_parse.h"
#include "http/chunk_send.h"
#include "http/connection_exchange.h"
#include "http/header_text.h"
#include "http/server_policy.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <deque>
#include <tuple>

namespace codecrew::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

// RFC 9112's framing rules that a lenient parser lets pass: a request's
// Transfer-Encoding must end in chunked (6.3) and comes without a
// Content-Length (6.1); an HTTP/1.1 request has exactly one Host (3.2), an
// older one at most one. (Beast unfolds obs-fold itself, so readHeader
// looks for it in the raw bytes.)
template <typename Header>
std::optional<std::string> framingProblem(const Header& head) {
  auto hosts = std::distance(head.equal_range(bhttp::field::host).first, head.equal_range(bhttp::field::host).second);
  if (hosts > 1) return "more than one Host header";
  if (hosts == 0 && head.version() >= 11) return "an HTTP/1.1 request needs a Host header";

  auto te = head.equal_range(bhttp::field::transfer_encoding);
  if (te.first == te.second) return std::nullopt;
  if (head.find(bhttp::field::content_length) != head.end()) return "Transfer-Encoding with Content-Length";
  std::string_view last;
  for (auto it = te.first; it != te.second; ++it) last = it->value();
  auto comma = last.rfind(',');
  auto coding = comma == std::string_view::npos ? last : last.substr(comma + 1);
  while (!coding.empty() && (coding.front() == ' ' || coding.front() == '\t')) coding.remove_prefix(1);
  while (!coding.empty() && (coding.back() == ' ' || coding.back() == '\t')) coding.remove_suffix(1);
  if (!beast::iequals(coding, "chunked")) return "a Transfer-Encoding whose final coding is not chunked";
  return std::nullopt;
}

namespace asio = boost::asio;
using asio::awaitable;
using tcp = asio::ip::tcp;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kReadSize = 65536;                     // the most one read of a request header takes
constexpr auto kOverflowReadTime = std::chrono::seconds(5);  // for a request past the connection cap
constexpr std::string_view kLastChunk = "0\r\n\r\n";

// The chunks taken in one go, as one string (moved, not copied, when there is one).
std::string joined(std::deque<std::string>& chunks) {
  if (chunks.size() == 1) return std::move(chunks.front());
  std::string all;
  for (const auto& chunk : chunks) all += chunk;
  return all;
}

// A parse failure (as opposed to the peer going away or a timeout).
bool isMalformed(const beast::error_code& ec) {
  static const auto& category = bhttp::make_error_code(bhttp::error::bad_method).category();
  return ec.category() == category && ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message &&
         ec != bhttp::error::body_limit;
}

std::string remoteAddressOf(const tcp::socket& socket) {
  beast::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  return ec ? std::string() : endpoint.address().to_string();
}

}  // namespace

Connection::Connection(tcp::socket socket, ServerContext& context, bool overflow)
    : stream_(std::move(socket)),
      context_(context),
      remote_address_(remoteAddressOf(stream_.socket())),
      wake_timer_(stream_.get_executor()),
      wake_batch_(WakeBatch::of(stream_.get_executor())),
      overflow_(overflow) {}

void Connection::start() {
  asio::co_spawn(stream_.get_executor(), run(), [self = shared_from_this()](std::exception_ptr e) {
    if (e) core::log::error("http connection failed unexpectedly");
  });
}

void Connection::shutdown() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    beast::error_code ec;
    if (self->channel_) {
      self->channel_->close();
      self->stream_.socket().cancel(ec);
    } else if (self->idle_) {
      self->stream_.socket().cancel(ec);
    }
  });
}

void Connection::forceClose() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    if (self->channel_) self->channel_->close();
    beast::error_code ec;
    self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    self->stream_.socket().close(ec);
  });
}

void Connection::wake() {
  // A writer on this connection's own I/O thread (an inline handler, a
  // coroutine on a shared io_context) wakes it in place. From another thread
  // (the event hub fanning an event out to every stream), wake-ups of one
  // I/O thread's connections share one handler (wake_batch.h).
  const auto& executor = stream_.get_executor();
  const auto* io = executor.target<asio::io_context::executor_type>();
  if (io && !io->running_in_this_thread()) {
    wake_batch_.add(executor, [self = shared_from_this()] { self->onWake(); });
    return;
  }
  // dispatch: without a thread switch when on the strand, which still
  // serialises it with the connection's coroutine.
  asio::dispatch(executor, [self = shared_from_this()] { self->onWake(); });
}

void Connection::onWake() {
  std::deque<std::string> chunks;
  if (!parked_ || !channel_ || !unsent_.empty() || !channel_->takeChunks(chunks)) {
    wake_timer_.cancel();
    return;
  }
  auto sent = sendNow(stream_.socket().native_handle(), chunks, parked_chunked_);
  if (sent.data_bytes == 0) return;
  if (sent.rest.empty()) {
    channel_->sent(sent.data_bytes);
    direct_bytes_ += sent.data_bytes;
    return;
  }
  // The rest (or all of it, after an error the pump's own write will meet)
  // goes out from the pump, before anything taken later.
  unsent_ = std::move(sent.rest);
  unsent_body_ = sent.data_bytes;  // counted as sent once the pump has written the rest
  wake_timer_.cancel();
}

void Connection::abort(const StreamChannel* channel) {
  asio::post(stream_.get_executor(), [self = shared_from_this(), channel] {
    if (self->channel_.get() != channel) return;
    beast::error_code ec;
    self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    self->stream_.socket().cancel(ec);
    self->wake_timer_.cancel();
  });
}

void Connection::runCallback(std::function<void()> fn) {
  asio::post(*context_.blocking, [fn = std::move(fn)] {
    try {
      fn();
    } catch (const std::exception& e) {
      core::log::error("stream close callback threw", {{"error", e.what()}});
    }
  });
}

awaitable<void> Connection::run() {
  try {
    while (co_await serveOne()) {
    }
  } catch (const std::exception& e) {
    core::log::error("http connection error", {{"error", e.what()}, {"remote", remote_address_}});
  }
  if (channel_) {
    channel_->detach();
    channel_.reset();
  }
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream_.socket().close(ec);
  if (context_.on_finished) context_.on_finished(this);
}

awaitable<bool> Connection::serveOne() {
  idle_ = true;
  if (stopping_ || context_.stopping) co_return false;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.body_limit(context_.options.max_body_bytes);
  stream_.expires_after(
      overflow_ ? std::min<std::chrono::steady_clock::duration>(kOverflowReadTime, context_.options.idle_timeout)
                : context_.options.idle_timeout);
  bool folded = false;
  auto ec = co_await readHeader(parser, folded);
  idle_ = false;

  Exchange ex;
  if (folded) {
    co_await failAndClose(badRequestResponse("a folded header line (obs-fold)"), ex);
    co_return false;
  }
  if (ec != bhttp::error::body_limit && ec) {
    if (isMalformed(ec)) co_await failAndClose(badRequestResponse(ec.message()), ex);
    co_return false;
  }
  const auto& head = parser.get();
  auto framing = framingProblem(head);
  auto id_field = head.find("X-Request-Id");
  ex.request_id = chooseRequestId(id_field == head.end() ? std::nullopt
                                                         : std::optional<std::string>(id_field->value()));
  ex.method = std::string(head.method_string());
  ex.path = std::string(head.target().substr(0, head.target().find('?')));
  const auto parent = head.find("traceparent");
  startSpan(ex, parent == head.end() ? std::string_view() : std::string_view(parent->value()));
  ex.origin = std::string(head[bhttp::field::origin]);
  ex.version = head.version();
  ex.keep_alive = head.keep_alive();
  if (framing) {
    // Read one way here and another by a proxy in front, such a request
    // smuggles a second one: refused, and the connection closed.
    co_await failAndClose(badRequestResponse(*framing), ex);
    co_return false;
  }
  if (ec == bhttp::error::body_limit) {
    co_await failAndClose(payloadTooLargeResponse(context_.options.max_body_bytes), ex);
    co_return false;
  }
  if (overflow_) {
    // Past the connection cap: a health check is answered, nothing else.
    const auto& exempt = context_.options.cap_exempt_paths;
    const bool reads = head.method() == bhttp::verb::get || head.method() == bhttp::verb::head;
    if (!reads || std::find(exempt.begin(), exempt.end(), ex.path) == exempt.end()) {
      co_await failAndClose(overloadedResponse(), ex);
      co_return false;
    }
    ex.keep_alive = false;
  }
  if (!parser.is_done()) {
    if (beast::iequals(head[bhttp::field::expect], "100-continue") && ex.version >= 11) {
      bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, ex.version};
      auto [wec, wn] = co_await bhttp::async_write(stream_, cont, kTuple);
      if (wec) co_return false;
    }
    // The body usually came with the header: parse what is buffered in
    // place, and read only for what is still missing.
    beast::error_code bec;
    for (std::size_t used = 1; used > 0 && !bec && !parser.is_done();) used = putBuffered(parser, buffer_, bec);
    if (!bec && !parser.is_done()) {
      stream_.expires_after(context_.options.idle_timeout);
      std::tie(bec, std::ignore) = co_await bhttp::async_read(stream_, buffer_, parser, kTuple);
    }
    if (bec == bhttp::error::body_limit) {
      co_await failAndClose(payloadTooLargeResponse(context_.options.max_body_bytes), ex);
      co_return false;
    }
    if (bec) {
      if (isMalformed(bec)) co_await failAndClose(badRequestResponse(bec.message()), ex);
      co_return false;
    }
  }
  stream_.expires_never();
  BeastRequest msg = parser.release();
  co_return co_await dispatch(msg, ex);
}

awaitable<beast::error_code> Connection::readHeader(RequestParser& parser, bool& folded) {
  // Beast's async_read_header, with a look at the raw bytes before each parse.
  for (;;) {
    if (buffer_.size() > 0) {
      const auto data = buffer_.data();
      if (hasObsFold({static_cast<const char*>(data.data()), data.size()})) {
        folded = true;
        co_return beast::error_code{};
      }
      beast::error_code ec;
      putBuffered(parser, buffer_, ec);
      if (ec || parser.is_header_done()) co_return ec;
    }
    auto space = buffer_.prepare(beast::read_size_or_throw(buffer_, kReadSize));
    auto [ec, n] = co_await stream_.async_read_some(space, kTuple);
    buffer_.commit(n);
    if (ec == asio::error::eof) {
      if (buffer_.size() == 0 && !parser.got_some()) co_return bhttp::error::end_of_stream;
      co_return bhttp::error::partial_message;
    }
    if (ec) co_return ec;
  }
}

awaitable<bool> Connection::dispatch(BeastRequest& msg, Exchange& ex) {
  auto url = boost::urls::parse_origin_form(msg.target());
  if (!url) co_return co_await writeResponse(badRequestResponse("the target is not an absolute path"), ex);

  Request req;
  req.method = ex.method;
  req.target = std::string(msg.target());
  req.path = url->path();
  for (const auto& p : url->params(boost::urls::encoding_opts(true)))
    req.query.emplace_back(p.key, p.has_value ? p.value : std::string());
  for (const auto& field : msg) {
    auto [it, inserted] = req.headers.emplace(std::string(field.name_string()), std::string(field.value()));
    if (!inserted) it->second += ", " + std::string(field.value());
  }
  req.body = std::move(msg.body());
  req.request_id = ex.request_id;
  req.trace = ex.span.context();
  req.remote_address = remote_address_;
  req.io = stream_.get_executor();
  std::string encoded_path(url->encoded_path());

  const auto& options = context_.options;
  if (!options.cors_origins.empty() && req.method == "OPTIONS" && !ex.origin.empty() &&
      req.header("Access-Control-Request-Method")) {
    if (!corsAllowOrigin(options.cors_origins, ex.origin))
      co_return co_await writeResponse(Response::error(403, "permission_denied", "origin not allowed"), ex);
    Response preflight;
    preflight.status = 204;
    std::string methods;
    for (const auto& m : context_.router->allowedMethods(encoded_path)) methods += (methods.empty() ? "" : ", ") + m;
    preflight.headers = {{"Access-Control-Allow-Methods", methods},
                         {"Access-Control-Allow-Headers", std::string(kCorsAllowHeaders)},
                         {"Access-Control-Max-Age", "600"}};
    co_return co_await writeResponse(std::move(preflight), ex);
  }

  RouteMatch match = context_.router->match(req.method, encoded_path);
  if (match.error) co_return co_await writeResponse(std::move(*match.error), ex);
  const Route& route = *match.route;
  noteRoute(ex, route.pattern);
  req.params = std::move(match.params);
  if (route.options.json_body && methodCarriesBody(req.method) && !req.body.empty()) {
    std::string content_type = req.header("Content-Type").value_or("");
    if (!isJsonContentType(content_type))
      co_return co_await writeResponse(context_.router->shapeError(encoded_path,
                                                                   unsupportedMediaTypeResponse(content_type)),
                                       ex);
  }
  if (route.websocket_handler) co_return co_await serveWebSocket(route, std::move(req), msg, ex);
  if (route.stream_handler) co_return co_await serveStream(route, std::move(req), ex);
  Response response = co_await runHandler(route, req);
  co_return co_await writeResponse(std::move(response), ex);
}

awaitable<Response> Connection::runHandler(const Route& route, Request& req) {
  co_return co_await asio::co_spawn(
      *context_.blocking,
      [&route, &req]() -> awaitable<Response> {
        core::log::RequestScope scope(req.request_id);
        std::string what = "unknown exception";
        try {
          co_return route.handler(req);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        core::log::error("handler threw", {{"error", what}, {"method", req.method}, {"path", req.path}});
        co_return internalErrorResponse(req.request_id);
      },
      asio::use_awaitable);
}

awaitable<bool> Connection::serveStream(const Route& route, Request req, Exchange& ex) {
  const bool on_io_thread = route.options.runs_inline && route.options.runs_inline(req);
  auto channel = std::make_shared<StreamChannel>(context_.options.stream_buffer_limit, shared_from_this());
  channel_ = channel;
  auto serve = [&route, req = std::move(req), channel]() mutable {
    core::log::RequestScope scope(req.request_id);
    auto handle = std::make_shared<ChunkedResponseStream>(channel);
    std::string failure;
    try {
      route.stream_handler(req, handle);
    } catch (const std::exception& e) {
      failure = e.what();
    } catch (...) {
      failure = "unknown exception";
    }
    if (!failure.empty()) {
      core::log::error("stream handler threw", {{"error", failure}, {"method", req.method}, {"path", req.path}});
      channel->fail();
    }
  };
  if (on_io_thread) {
    serve();
  } else {
    asio::post(*context_.blocking, std::move(serve));
  }
  co_return co_await pumpStream(std::move(channel), ex);
}

awaitable<bool> Connection::pumpStream(std::shared_ptr<StreamChannel> channel, Exchange& ex) {
  stream_.expires_never();
  bool head_sent = false;
  watchDisconnect(channel);
  const bool keep = co_await writeStream(channel, ex, head_sent);
  stopWatching();
  channel->detach();
  channel_.reset();
  if (head_sent) finishExchange(ex);
  co_return keep;
}

awaitable<bool> Connection::writeStream(std::shared_ptr<StreamChannel> channel, Exchange& ex, bool& head_sent) {
  const bool chunked = ex.version >= 11;
  for (;;) {
    StreamBatch batch = channel->take();
    if (batch.closed) co_return false;
    if (!head_sent && (batch.failed || (batch.ended && !batch.head))) {
      // Nothing was sent yet: answer with a plain error.
      co_return co_await writeResponse(internalErrorResponse(ex.request_id), ex);
    }
    if (!head_sent && batch.head && batch.ended) {
      // The whole response is here at once (a model's answer that was not
      // streamed, a short stream): one write, with a Content-Length.
      Response whole{batch.head->status, std::move(batch.head->content_type), std::move(batch.head->headers),
                     joined(batch.chunks)};
      std::size_t bytes = whole.body.size();
      bool keep = co_await writeResponse(std::move(whole), ex);
      channel->sent(bytes);
      co_return keep;
    }
    // The head goes out with the first chunk, in one write, when both are here.
    std::string head_text;
    if (batch.head) {
      head_text = streamHeadText(*batch.head, ex);
      head_sent = true;
    }
    // What queued up meanwhile goes as one HTTP chunk; the head (the first
    // time), the chunk's framing, its data and, when the stream ended, the
    // last chunk all go out in one gather write.
    std::string data = joined(batch.chunks);
    ChunkSizeLine size_line;
    std::array<asio::const_buffer, 5> message{asio::buffer(head_text)};
    if (!data.empty()) {
      if (chunked) message[1] = size_line.of(data.size());
      message[2] = asio::buffer(data);
      if (chunked) message[3] = asio::buffer(kCrlf);
    }
    if (batch.ended && chunked) message[4] = asio::buffer(kLastChunk);
    if (asio::buffer_size(message) > 0) {
      auto [ec, n] = co_await asio::async_write(stream_.socket(), message, kTuple);
      channel->sent(data.size());
      if (ec) co_return false;
      ex.bytes += data.size();
    }
    if (batch.ended) co_return chunked&& ex.keep_alive;
    if (!batch.head && batch.chunks.empty()) {
      wake_timer_.expires_at(std::chrono::steady_clock::time_point::max());
      parked_ = true;
      parked_chunked_ = chunked;
      co_await wake_timer_.async_wait(kTuple);
      parked_ = false;
      ex.bytes += std::exchange(direct_bytes_, 0);
      if (!unsent_.empty()) {
        std::string rest = std::move(unsent_);
        unsent_.clear();
        const std::size_t body = std::exchange(unsent_body_, 0);
        auto [ec, n] = co_await asio::async_write(stream_.socket(), asio::buffer(rest), kTuple);
        channel->sent(body);
        if (ec) co_return false;
        ex.bytes += body;
      }
    }
  }
}

void Connection::watchDisconnect(std::shared_ptr<StreamChannel> channel) {
  // The client sends nothing while it reads a response (no pipelining), so
  // the socket turning readable means it went away, unless there are bytes
  // to read: a pipelined next request, left in the socket for serveOne.
  const std::uint64_t watch = ++watch_;
  auto on_readable = [self = shared_from_this(), channel = std::move(channel), watch](beast::error_code ec) mutable {
    if (ec == asio::error::operation_aborted || watch != self->watch_) return;  // the exchange is over
    if (!ec) {
      char byte;
      const ssize_t n = ::recv(self->stream_.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n > 0) return;  // still there
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        self->watchDisconnect(std::move(channel));  // woken for nothing
        return;
      }
    }
    // End of stream or a socket error: the client went away.
    channel->close();
    beast::error_code ignored;
    self->stream_.socket().cancel(ignored);
  };
  stream_.socket().async_wait(tcp::socket::wait_read, std::move(on_readable));
}

void Connection::stopWatching() {
  ++watch_;
  beast::error_code ignored;
  stream_.socket().cancel(ignored);  // only the watch is pending here
}

std::string Connection::streamHeadText(const StreamHead& head, Exchange& ex) {
  ex.keep_alive = ex.keep_alive && !stopping_ && !context_.stopping && ex.version >= 11;
  bhttp::response<bhttp::empty_body> res{static_cast<bhttp::status>(head.status), ex.version};
  res.set(bhttp::field::server, kServerName);
  if (!head.content_type.empty()) res.set(bhttp::field::content_type, head.content_type);
  for (const auto& [name, value] : commonHeaders(ex)) res.insert(name, value);
  for (const auto& [name, value] : head.headers) res.insert(name, value);
  res.keep_alive(ex.keep_alive);
  if (ex.version >= 11) res.chunked(true);
  ex.status = head.status;
  return headerText(res.base());
}

awaitable<bool> Connection::writeResponse(Response response, Exchange& ex) {
  ex.keep_alive = ex.keep_alive && !stopping_ && !context_.stopping;
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(response.status), ex.version};
  res.set(bhttp::field::server, kServerName);
  for (const auto& [name, value] : commonHeaders(ex)) res.insert(name, value);
  for (const auto& [name, value] : response.headers) res.insert(name, value);
  bool bodiless = response.status == 204 || response.status == 304 || response.status < 200;
  if (!bodiless) {
    res.set(bhttp::field::content_type, response.content_type);
    res.body() = std::move(response.body);
  }
  res.keep_alive(ex.keep_alive);
  res.prepare_payload();
  ex.status = response.status;
  // A HEAD gets the head a GET would (its Content-Length included), no body.
  const bool head_only = ex.method == "HEAD";
  ex.bytes = head_only ? 0 : res.body().size();
  // The header laid out once and the body beside it, in one gather write.
  const std::string head = headerText(res.base());
  const std::array<asio::const_buffer, 2> message{asio::buffer(head),
                                                  asio::buffer(res.body().data(), head_only ? 0 : res.body().size())};
  stream_.expires_after(context_.options.idle_timeout);
  auto [ec, n] = co_await asio::async_write(stream_, message, kTuple);
  stream_.expires_never();
  finishExchange(ex);
  co_return !ec && ex.keep_alive;
}

awaitable<void> Connection::failAndClose(Response response, Exchange& ex) {
  if (ex.request_id.empty()) ex.request_id = chooseRequestId(std::nullopt);
  ex.keep_alive = false;
  co_await writeResponse(std::move(response), ex);
  co_await lingeringClose();
}

awaitable<void> Connection::lingeringClose() {
  // Half-close and drain what the client is still sending, so that closing
  // does not reset the connection before it reads the error response.
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  std::array<char, 16384> sink;
  stream_.expires_after(kLingerTime);
  for (;;) {
    auto [rec, n] = co_await stream_.async_read_some(asio::buffer(sink), kTuple);
    if (rec) break;
  }
}

std::vector<std::pair<std::string, std::string>> Connection::commonHeaders(const Exchange& ex) const {
  std::vector<std::pair<std::string, std::string>> headers{{"X-Request-Id", ex.request_id}};
  if (auto allow = corsAllowOrigin(context_.options.cors_origins, ex.origin)) {
    headers.emplace_back("Access-Control-Allow-Origin", *allow);
    headers.emplace_back("Access-Control-Expose-Headers", "X-Request-Id");
    headers.emplace_back("Vary", "Origin");
  }
  return headers;
}

}  // namespace codecrew::http
