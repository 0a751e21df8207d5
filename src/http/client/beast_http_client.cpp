#include "http/client/beast_http_client.h"

#include "http/buffered_parse.h"
#include "http/header_text.h"
#include "http/io_threads.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

namespace codecrew::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using core::Error;
using core::ErrorCode;
using core::Result;
using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::optional<std::string> findHeader(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (beast::iequals(key, name)) return value;
  }
  return std::nullopt;
}

namespace {

// A strand over the caller's executor, built on its concrete type when it is
// an io_context's or a thread pool's: such a strand fits in any_io_executor's
// small buffer, while a strand<any_io_executor> does not, and every copy of
// the socket's executor (several per asynchronous operation) would allocate.
asio::any_io_executor strandFor(const asio::any_io_executor& caller) {
  if (const auto* io = caller.target<asio::io_context::executor_type>()) return asio::make_strand(*io);
  if (const auto* pool = caller.target<asio::thread_pool::executor_type>()) return asio::make_strand(*pool);
  return asio::make_strand(caller);
}

// One pooled connection. All I/O on it happens on its strand: the caller's
// own executor when that runs on one thread (a server I/O thread), where the
// exchange then runs in the caller's coroutine, without a hop through a
// strand; a strand over the caller's executor otherwise.
struct Connection {
  explicit Connection(const asio::any_io_executor& caller)
      : in_caller(runsOnOneThread(caller)), strand(in_caller ? caller : strandFor(caller)) {}
  const bool in_caller;
  asio::any_io_executor strand;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;
  Steady::time_point last_used{};
  std::atomic<bool> cancelled{false};

  beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }
  bool open() { return (plain || secure) && lowest().socket().is_open(); }
};

// Outcome of one try on one connection; stale means "a reused connection
// failed before any response byte": safe to retry on a fresh one.
struct Outcome {
  Result<ClientResponse> result = Error::internal("not run");
  bool stale = false;
  bool reusable = false;
};

// Tracks the total deadline and names the timeout that fired.
struct Deadline {
  Steady::time_point end;
  const char* phase = "";
  milliseconds phase_budget{0};
  bool total_is_sooner = false;

  void arm(beast::tcp_stream& s, const char* name, milliseconds budget) {
    auto left = std::chrono::duration_cast<milliseconds>(end - Steady::now());
    if (left < milliseconds(0)) left = milliseconds(0);
    phase = name;
    phase_budget = budget;
    total_is_sooner = left < budget;
    s.expires_after(std::min(left, budget));
  }
};

Error ioError(const beast::error_code& ec, const Connection& conn, const Deadline& deadline, std::string_view what) {
  if (conn.cancelled) return {ErrorCode::kCancelled, "HTTP call cancelled by the caller", nullptr};
  if (ec == beast::error::timeout) {
    std::string which = deadline.total_is_sooner ? "total" : deadline.phase;
    return {ErrorCode::kDeadlineExceeded, "HTTP " + which + " timeout while " + std::string(what), nullptr};
  }
  return Error::unavailable("HTTP " + std::string(what) + " failed: " + ec.message());
}

std::string poolKey(const Url& url, const std::optional<Url>& proxy) {
  return url.scheme + "://" + url.authority() + (proxy ? "|" + proxy->authority() : "");
}

// The address when host is an IPv4 or IPv6 literal (Url keeps no brackets).
std::optional<asio::ip::address> numericAddress(const std::string& host) {
  beast::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return std::nullopt;
  return address;
}

}  // namespace

// Idle connections are pooled per peer and per execution context: a socket
// is registered with its context's reactor, so a connection made by a caller
// on one I/O thread is reused only by callers on that thread (its
// completions never hop threads). A socket must not outlive its context, so
// each context that has pooled connections gets this service, which drops
// them when the context shuts down (before its reactor goes).
class BeastHttpClient::PoolReaper final : public asio::execution_context::service {
 public:
  static inline asio::execution_context::id id;
  explicit PoolReaper(asio::execution_context& context) : service(context) {}

  void watch(std::weak_ptr<Impl> client) {
    std::lock_guard lock(mu_);
    clients_.push_back(std::move(client));
  }

 private:
  void shutdown() override;

  std::mutex mu_;
  std::vector<std::weak_ptr<Impl>> clients_;  // guarded by mu_
};

// The system's trusted certificates (OpenSSL's default paths), read once per
// process and shared by every client's TLS context (an X509_STORE is
// reference-counted and safe to verify against from several threads).
namespace {
X509_STORE* systemCertificates() {
  static X509_STORE* const store = [] {
    X509_STORE* s = X509_STORE_new();
    X509_STORE_set_default_paths(s);
    return s;
  }();
  return store;
}
}  // namespace

class BeastHttpClient::Impl : public std::enable_shared_from_this<Impl> {
 public:
  explicit Impl(ClientOptions options) : options_(std::move(options)), tls_(ssl::context::tls_client) {
    tls_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3);
    tls_.set_verify_mode(options_.verify_peer ? ssl::verify_peer : ssl::verify_none);
  }

  asio::awaitable<Result<ClientResponse>> send(ClientRequest request) {
    auto self = shared_from_this();
    auto url = parseUrl(request.url);
    if (!url.ok()) co_return url.error();
    auto proxy = options_.proxy.proxyFor(*url);
    // New connections live on the caller's executor: the exchange's
    // completions then resume the caller without a thread hop.
    asio::any_io_executor caller = co_await asio::this_coro::executor;
    PoolKey key{&asio::query(caller, asio::execution::context), poolKey(*url, proxy)};
    Deadline deadline{Steady::now() + request.timeouts.total};
    for (int attempt = 0;; ++attempt) {
      auto conn = take(key);
      bool reused = conn != nullptr;
      if (!conn) conn = std::make_shared<Connection>(caller);
      // No co_await in a conditional expression: GCC 12 destroys its temporaries twice.
      Outcome outcome;
      if (conn->in_caller) {
        outcome = co_await self->runOn(conn, request, *url, proxy, reused, deadline);
      } else {
        outcome = co_await asio::co_spawn(conn->strand, self->runOn(conn, request, *url, proxy, reused, deadline),
                                          asio::use_awaitable);
      }
      if (outcome.stale && attempt == 0) continue;
      if (outcome.reusable) give(key, conn);
      co_return std::move(outcome.result);
    }
  }

  std::size_t idleCount() const {
    std::lock_guard lock(mu_);
    std::size_t n = 0;
    for (const auto& [key, list] : idle_) n += list.size();
    return n;
  }

  // Drops the idle connections made on `context` (it is shutting down).
  void dropIdle(const asio::execution_context* context) {
    std::vector<std::shared_ptr<Connection>> dropped;  // closed outside the lock
    std::lock_guard lock(mu_);
    for (auto it = idle_.begin(); it != idle_.end();) {
      if (it->first.first != context) {
        ++it;
        continue;
      }
      dropped.insert(dropped.end(), it->second.begin(), it->second.end());
      it = idle_.erase(it);
    }
    reaped_.erase(context);
  }

 private:
  using PoolKey = std::pair<asio::execution_context*, std::string>;  // caller's context, peer

  std::shared_ptr<Connection> take(const PoolKey& key) {
    std::lock_guard lock(mu_);
    auto it = idle_.find(key);
    if (it == idle_.end()) return nullptr;
    auto& list = it->second;
    while (!list.empty()) {
      auto conn = list.back();
      list.pop_back();
      if (Steady::now() - conn->last_used < options_.max_idle_age) return conn;
    }
    return nullptr;
  }

  void give(const PoolKey& key, std::shared_ptr<Connection> conn) {
    conn->last_used = Steady::now();
    bool first_on_context = false;
    {
      std::lock_guard lock(mu_);
      auto& list = idle_[key];
      if (list.size() < options_.max_idle_per_host) list.push_back(std::move(conn));
      first_on_context = reaped_.insert(key.first).second;
    }
    // On the context's own thread, which is running: it is not shutting down.
    if (first_on_context) asio::use_service<PoolReaper>(*key.first).watch(weak_from_this());
  }

  asio::awaitable<Outcome> runOn(std::shared_ptr<Connection> conn, const ClientRequest& request, const Url& url,
                                 const std::optional<Url>& proxy, bool reused, Deadline& deadline) {
    conn->cancelled = false;
    CancelRegistration registration(request.cancel, [conn] {
      asio::post(conn->strand, [conn] {
        conn->cancelled = true;
        if (conn->plain || conn->secure) conn->lowest().cancel();
      });
    });
    if (request.cancel && request.cancel->cancelled())
      co_return Outcome{Error{ErrorCode::kCancelled, "HTTP call cancelled by the caller", nullptr}};
    if (!conn->open()) {
      reused = false;
      auto connected = co_await connect(*conn, url, proxy, request.timeouts.connect, deadline);
      if (!connected.ok()) co_return Outcome{connected.error()};
    }
    Outcome outcome;
    if (conn->secure) {
      outcome = co_await exchange(*conn->secure, *conn, request, url, proxy, deadline);
    } else {
      outcome = co_await exchange(*conn->plain, *conn, request, url, proxy, deadline);
    }
    outcome.stale = outcome.stale && reused;
    if (outcome.result.ok()) outcome.result.value().reused_connection = reused;
    if (!outcome.reusable && conn->open()) {
      beast::error_code ignored;
      conn->lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
      conn->lowest().socket().close(ignored);
    }
    co_return outcome;
  }

  asio::awaitable<core::Status> connect(Connection& conn, const Url& url, const std::optional<Url>& proxy,
                                        milliseconds budget, Deadline& deadline) {
    beast::error_code ec;
    const Url& hop = proxy ? *proxy : url;
    conn.secure.reset();
    conn.plain.emplace(conn.strand);
    conn.buffer.clear();
    if (auto literal = numericAddress(hop.host)) {
      // An IP literal needs no resolver (whose lookups run on a thread of their own).
      deadline.arm(*conn.plain, "connect", budget);
      co_await conn.plain->async_connect(tcp::endpoint(*literal, std::uint16_t(hop.port)),
                                         asio::redirect_error(asio::use_awaitable, ec));
    } else {
      tcp::resolver resolver(conn.strand);
      auto endpoints = co_await resolver.async_resolve(hop.host, std::to_string(hop.port),
                                                       asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return Error::unavailable("cannot resolve " + hop.host + ": " + ec.message());
      deadline.arm(*conn.plain, "connect", budget);
      co_await conn.plain->async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec) co_return ioError(ec, conn, deadline, "connecting to " + hop.authority());
    conn.plain->socket().set_option(tcp::no_delay(true), ec);
    if (proxy && url.tls()) {
      auto tunnel = co_await openTunnel(conn, url, deadline);
      if (!tunnel.ok()) co_return tunnel;
    }
    if (!url.tls()) co_return core::okStatus();
    std::call_once(ca_loaded_, [this] { loadCertificates(); });
    if (!ca_error_.empty()) co_return Error::unavailable(ca_error_);
    conn.secure.emplace(std::move(*conn.plain), tls_);
    conn.plain.reset();
    if (!SSL_set_tlsext_host_name(conn.secure->native_handle(), url.host.c_str()))
      co_return Error::unavailable("cannot set TLS SNI for " + url.host);
    if (options_.verify_peer) conn.secure->set_verify_callback(ssl::host_name_verification(url.host));
    deadline.arm(conn.lowest(), "connect", budget);
    co_await conn.secure->async_handshake(ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return ioError(ec, conn, deadline, "TLS handshake with " + url.host);
    co_return core::okStatus();
  }

  asio::awaitable<core::Status> openTunnel(Connection& conn, const Url& url, Deadline& deadline) {
    beast::error_code ec;
    bhttp::request<bhttp::empty_body> req{bhttp::verb::connect, url.authority(), 11};
    req.set(bhttp::field::host, url.authority());
    req.set(bhttp::field::user_agent, options_.user_agent);
    co_await bhttp::async_write(*conn.plain, req, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return ioError(ec, conn, deadline, "sending CONNECT to the proxy");
    bhttp::response_parser<bhttp::empty_body> parser;
    parser.skip(true);
    co_await bhttp::async_read(*conn.plain, conn.buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return ioError(ec, conn, deadline, "reading the proxy's CONNECT answer");
    if (parser.get().result_int() != 200)
      co_return Error::unavailable("proxy refused CONNECT " + url.authority() + " with status " +
                                   std::to_string(parser.get().result_int()));
    co_return core::okStatus();
  }

  template <class Stream>
  asio::awaitable<Outcome> exchange(Stream& stream, Connection& conn, const ClientRequest& request, const Url& url,
                                    const std::optional<Url>& proxy, Deadline& deadline) {
    beast::error_code ec;
    auto verb = bhttp::string_to_verb(request.method);
    if (verb == bhttp::verb::unknown)
      co_return Outcome{Error::invalidArgument("unknown HTTP method " + request.method)};
    bool absolute = proxy && !url.tls();
    bhttp::request<bhttp::empty_body> req{verb, absolute ? request.url : url.target, 11};
    bool default_port = url.port == (url.tls() ? 443 : 80);
    req.set(bhttp::field::host, default_port ? url.host : url.authority());
    req.set(bhttp::field::user_agent, options_.user_agent);
    for (const auto& [name, value] : request.headers) req.set(name, value);
    req.keep_alive(true);
    // Beast's prepare_payload rule for a request body, without copying the body into the message.
    if (!request.body.empty() || verb == bhttp::verb::post || verb == bhttp::verb::put || verb == bhttp::verb::options)
      req.content_length(request.body.size());
    // The header laid out once and the body beside it, in one gather write.
    const std::string head = headerText(req.base());
    const std::array<asio::const_buffer, 2> message{asio::buffer(head), asio::buffer(request.body)};

    deadline.arm(conn.lowest(), "first byte", request.timeouts.first_byte);
    co_await asio::async_write(stream, message, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return Outcome{ioError(ec, conn, deadline, "sending the request"), true};
    bhttp::response_parser<bhttp::buffer_body> parser;
    parser.body_limit(boost::none);
    if (verb == bhttp::verb::head) parser.skip(true);
    co_await bhttp::async_read_header(stream, conn.buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return Outcome{ioError(ec, conn, deadline, "waiting for the response"), conn.buffer.size() == 0};

    ClientResponse response;
    response.status = static_cast<int>(parser.get().result_int());
    for (const auto& field : parser.get()) response.headers.emplace_back(field.name_string(), field.value());
    bool to_sink = request.on_body_chunk && response.status >= 200 && response.status < 300;
    bool stopped = false;
    char chunk[16 * 1024];
    while (!parser.is_done()) {
      parser.get().body().data = chunk;
      parser.get().body().size = sizeof chunk;
      // Bytes already buffered (the body often comes with the header) are
      // parsed in place; the socket is read only when they run out.
      const std::size_t used = putBuffered(parser, conn.buffer, ec);
      if (used == 0 && !ec) {
        deadline.arm(conn.lowest(), "idle", request.timeouts.idle);
        co_await bhttp::async_read_some(stream, conn.buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      }
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) co_return Outcome{ioError(ec, conn, deadline, "reading the response body")};
      std::string_view got(chunk, sizeof chunk - parser.get().body().size);
      if (got.empty()) continue;
      if (!to_sink) {
        response.body.append(got);
      } else if (!request.on_body_chunk(got)) {
        stopped = true;
        break;
      }
    }
    conn.lowest().expires_never();
    Outcome outcome;
    outcome.reusable = !stopped && parser.is_done() && parser.keep_alive();
    outcome.result = std::move(response);
    co_return outcome;
  }

  // The trusted certificates, read at the first TLS connection rather than at
  // construction (parsing the system bundle takes milliseconds, and a
  // process builds several clients at start-up, most of them never used).
  void loadCertificates() {
    if (options_.ca_file.empty()) {
      SSL_CTX_set1_cert_store(tls_.native_handle(), systemCertificates());
      return;
    }
    beast::error_code ec;
    tls_.load_verify_file(options_.ca_file, ec);
    if (ec) ca_error_ = "cannot load the CA file " + options_.ca_file + ": " + ec.message();
  }

  ClientOptions options_;
  ssl::context tls_;
  std::once_flag ca_loaded_;
  std::string ca_error_;  // set once, by loadCertificates: ca_file could not be loaded
  mutable std::mutex mu_;
  std::map<PoolKey, std::deque<std::shared_ptr<Connection>>> idle_;  // guarded by mu_
  std::set<const asio::execution_context*> reaped_;  // guarded by mu_: contexts whose PoolReaper knows this client
};

void BeastHttpClient::PoolReaper::shutdown() {
  std::vector<std::weak_ptr<Impl>> clients;
  {
    std::lock_guard lock(mu_);
    clients.swap(clients_);
  }
  for (auto& weak : clients) {
    if (auto client = weak.lock()) client->dropIdle(&context());
  }
}

BeastHttpClient::BeastHttpClient(ClientOptions options) : impl_(std::make_shared<Impl>(std::move(options))) {}

BeastHttpClient::~BeastHttpClient() = default;

asio::awaitable<Result<ClientResponse>> BeastHttpClient::send(ClientRequest request) {
  // Not a coroutine: the awaitable is Impl::send's own, which holds the Impl
  // (shared_from_this) from its first step; the caller awaits it at once.
  return impl_->send(std::move(request));
}

std::size_t BeastHttpClient::idleConnections() const { return impl_->idleCount(); }

}  // namespace codecrew::http
