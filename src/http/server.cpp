#include "http/server.h"

#include "core/log.h"
#include "core/thread_identity.h"
#include "http/connection.h"
#include "http/header_text.h"
#include "http/server_policy.h"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>
#include <unordered_map>

#include <sys/socket.h>

namespace codecrew::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

constexpr auto kForceCloseWait = std::chrono::seconds(5);
constexpr auto kFirstAcceptBackoff = std::chrono::milliseconds(10);
constexpr auto kMaxAcceptBackoff = std::chrono::milliseconds(1000);
constexpr auto kAcceptWarnEvery = std::chrono::seconds(60);

// The 503 a connection past every slot gets, as bytes on the wire.
std::string overloadedText() {
  namespace bhttp = boost::beast::http;
  Response response = overloadedResponse();
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(response.status), 11};
  res.set(bhttp::field::server, "codecrew");
  res.set(bhttp::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) res.insert(name, value);
  res.body() = std::move(response.body);
  res.keep_alive(false);
  res.prepare_payload();
  return headerText(res.base()) + res.body();
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, std::shared_ptr<const Router> router)
      : ios_(options.io_contexts.empty() ? makeIoContexts(options.io_threads) : options.io_contexts),
        io_(ios_.front()),
        accept_strand_(asio::make_strand(*io_)),
        acceptor_(accept_strand_),
        accept_pause_(accept_strand_) {
    context_.options = std::move(options);
    context_.router = std::move(router);
    context_.on_finished = [this](const void* connection) { forget(connection); };
    if (auto& metrics = context_.options.metrics) {
      context_.requests = &metrics->counter("codecrew_http_requests_total",
                                            "HTTP requests answered, by route template, method and status.",
                                            {"route", "method", "status"});
      context_.durations = &metrics->histogram(
          "codecrew_http_request_duration_seconds",
          "Time from a request's head read to its response written (a stream: to its end), by route template.",
          {"route", "method"}, telemetry::requestSecondsBuckets());
    }
  }

  core::Status start();
  int port() const { return port_; }
  void stop();
  void wait();

 private:
  enum class State { kIdle, kRunning, kStopping, kStopped };

  asio::awaitable<void> acceptLoop();
  // The I/O thread the next accepted connection lives on (round robin).
  asio::any_io_executor nextConnectionExecutor();
  void watchSignals();
  core::Status bind();
  // Where a new connection goes: served, read for a health check, or refused.
  enum class Admission { kServe, kOverflow, kRefuse };
  Admission admit();
  void refuse(tcp::socket socket);
  // Keeps the overflow connections to kOverflowSlots, closing the oldest.
  void evictOverflow(const std::shared_ptr<Connection>& admitted);
  asio::awaitable<void> backOff(const boost::system::error_code& ec);
  void forget(const void* connection);
  std::vector<std::shared_ptr<Connection>> liveConnections();
  // Waits until no connection is left or the deadline passes; true if none is left.
  bool waitForConnections(std::chrono::steady_clock::time_point deadline);
  void shutDown();

  // One io_context per I/O thread, each run by that thread alone. A
  // connection lives on one of them for its whole life, and so does the work
  // an inline handler starts for it (Request::io), so a request is served
  // without changing threads. io_ (the first) also runs the acceptor.
  std::vector<std::shared_ptr<asio::io_context>> ios_;
  std::shared_ptr<asio::io_context> io_;
  std::atomic<std::size_t> next_io_{0};
  ServerContext context_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::optional<asio::thread_pool> blocking_;
  asio::strand<asio::io_context::executor_type> accept_strand_;
  tcp::acceptor acceptor_;  // used on accept_strand_ only once started
  // The accept loop's back-off, made up front: a timer made when descriptors
  // have run out would fail for want of one itself.
  asio::steady_timer accept_pause_;
  // Ready once acceptLoop has returned. Shutting down waits for it, so no
  // handler of this server is left queued on an io_context that another
  // server may run again (ServerOptions::io_contexts).
  std::future<void> accept_loop_done_;
  std::optional<asio::signal_set> signals_;
  std::vector<std::thread> io_threads_;
  int port_ = 0;

  std::mutex connections_mu_;
  std::condition_variable connections_cv_;
  struct Tracked {
    std::weak_ptr<Connection> connection;
    bool overflow = false;  // admitted past max_connections, for a health check
  };
  std::unordered_map<const void*, Tracked> connections_;  // guarded by connections_mu_
  std::size_t served_ = 0;                                // guarded by connections_mu_
  std::size_t overflow_ = 0;                              // guarded by connections_mu_
  // Accept loop only (accept_strand_).
  std::string overloaded_text_ = overloadedText();
  std::size_t refused_ = 0;                               // connections past the cap in the current burst
  std::deque<std::weak_ptr<Connection>> overflow_order_;  // overflow connections, oldest first
  std::size_t accept_failures_ = 0;
  std::chrono::steady_clock::time_point accept_failing_since_, accept_warned_at_;

  std::mutex state_mu_;
  std::condition_variable state_cv_;
  State state_ = State::kIdle;   // guarded by state_mu_
  bool stop_requested_ = false;  // guarded by state_mu_: a signal arrived
};

core::Status Server::Impl::bind() {
  const auto& options = context_.options;
  boost::system::error_code ec;
  tcp::resolver resolver(*io_);
  auto endpoints = resolver.resolve(options.host, std::to_string(options.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty())
    return core::Error::unavailable("cannot resolve listen host '" + options.host + "': " + ec.message());
  tcp::endpoint endpoint = endpoints.begin()->endpoint();
  std::string where = options.host + ":" + std::to_string(options.port);
  if (acceptor_.open(endpoint.protocol(), ec); ec)
    return core::Error::unavailable("cannot open a socket for " + where + ": " + ec.message());
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (acceptor_.bind(endpoint, ec); ec) return core::Error::unavailable("cannot bind " + where + ": " + ec.message());
  if (acceptor_.listen(asio::socket_base::max_listen_connections, ec); ec)
    return core::Error::unavailable("cannot listen on " + where + ": " + ec.message());
  port_ = acceptor_.local_endpoint().port();
  return core::okStatus();
}

core::Status Server::Impl::start() {
  {
    std::lock_guard lock(state_mu_);
    if (state_ != State::kIdle) throw std::logic_error("Server::start called twice");
  }
  if (auto status = bind(); !status) return status;
  unsigned cores = std::thread::hardware_concurrency();
  blocking_.emplace(threadsOr(context_.options.blocking_threads, 2 * int(cores)));
  context_.blocking = &*blocking_;
  for (auto& io : ios_) {
    // A socket made here sets up the context's reactor (an epoll and an
    // eventfd), which would otherwise be made by its first connection, and
    // fail if that came when the process had run out of descriptors.
    tcp::socket warm(*io);
    io->restart();  // an owner's context that an earlier server stopped runs again
    work_.push_back(asio::make_work_guard(*io));
  }
  auto accept_loop_done = std::make_shared<std::promise<void>>();
  accept_loop_done_ = accept_loop_done->get_future();
  asio::co_spawn(accept_strand_, acceptLoop(),
                 [accept_loop_done](const std::exception_ptr&) { accept_loop_done->set_value(); });
  if (context_.options.handle_signals) watchSignals();
  for (std::size_t i = 0; i < ios_.size(); ++i) {
    asio::io_context* io = ios_[i].get();
    io_threads_.emplace_back([io, i] {
      core::nameThisThread("cc-io-" + std::to_string(i));
      for (;;) {
        try {
          io->run();
          return;
        } catch (const std::exception& e) {
          core::log::error("exception escaped an I/O handler", {{"error", e.what()}});
        }
      }
    });
  }
  std::lock_guard lock(state_mu_);
  state_ = State::kRunning;
  return core::okStatus();
}

asio::awaitable<void> Server::Impl::acceptLoop() {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket(*io_);
    try {
      std::tie(ec, socket) = co_await acceptor_.async_accept(nextConnectionExecutor(),
                                                             asio::as_tuple(asio::use_awaitable));
    } catch (const boost::system::system_error& e) {
      ec = e.code();  // e.g. out of descriptors while setting the new socket up
    }
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) {
      co_await backOff(ec);
      continue;
    }
    if (accept_failures_ > 0) {
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - accept_failing_since_).count();
      core::log::warn("accepting connections again",
                      {{"failed_accepts", accept_failures_}, {"failing_seconds", std::round(seconds * 10) / 10}});
      accept_failures_ = 0;
    }
    const Admission admission = admit();
    if (admission == Admission::kRefuse) {
      refuse(std::move(socket));
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    const bool overflow = admission == Admission::kOverflow;
    auto connection = std::make_shared<Connection>(std::move(socket), context_, overflow);
    {
      std::lock_guard lock(connections_mu_);
      connections_[connection.get()] = Tracked{connection, overflow};
    }
    connection->start();
    if (overflow) evictOverflow(connection);
  }
}

Server::Impl::Admission Server::Impl::admit() {
  const std::size_t cap = context_.options.max_connections;
  Admission admission = Admission::kServe;
  {
    std::lock_guard lock(connections_mu_);
    if (cap == 0 || served_ < cap) {
      ++served_;
    } else if (overflow_ < 2 * kOverflowSlots) {
      // Past kOverflowSlots the oldest waiting one makes room (evictOverflow),
      // so idle sockets cannot keep a health check out; past twice that
      // (evictions not done yet) a connection is refused.
      ++overflow_;
      admission = Admission::kOverflow;
    } else {
      admission = Admission::kRefuse;
    }
  }
  // One warning when the cap is reached, one when a connection is served again.
  if (admission == Admission::kServe && refused_ > 0) {
    core::log::warn("below the connection limit again", {{"limit", cap}, {"turned_away", refused_}});
    refused_ = 0;
  } else if (admission != Admission::kServe && refused_++ == 0) {
    core::log::warn("connection limit reached: new connections get 503 (health checks are still answered)",
                    {{"limit", cap}});
  }
  return admission;
}

void Server::Impl::evictOverflow(const std::shared_ptr<Connection>& admitted) {
  std::erase_if(overflow_order_, [](const std::weak_ptr<Connection>& c) { return c.expired(); });
  overflow_order_.push_back(admitted);
  // Beyond kOverflowSlots, the oldest still waiting for its request goes
  // (shutdown closes it only while it waits; one being answered finishes).
  std::size_t live = overflow_order_.size();
  while (live > kOverflowSlots && overflow_order_.size() > 1) {
    auto oldest = overflow_order_.front().lock();
    overflow_order_.pop_front();
    --live;
    if (oldest) oldest->shutdown();
  }
}

void Server::Impl::refuse(tcp::socket socket) {
  // A fresh socket's send buffer takes the whole answer: written without
  // waiting, and closed without reading the request.
  (void)::send(socket.native_handle(), overloaded_text_.data(), overloaded_text_.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

asio::awaitable<void> Server::Impl::backOff(const boost::system::error_code& ec) {
  // Out of descriptors and the like: wait, longer each time, up to a second.
  // One warning when the failures start and one a minute while they last.
  const auto now = std::chrono::steady_clock::now();
  if (accept_failures_++ == 0) {
    accept_failing_since_ = accept_warned_at_ = now;
    core::log::warn("accepting connections failed; backing off", {{"error", ec.message()}});
  } else if (now - accept_warned_at_ >= kAcceptWarnEvery) {
    accept_warned_at_ = now;
    core::log::warn("accepting connections still fails",
                    {{"error", ec.message()}, {"failed_accepts", accept_failures_}});
  }
  const auto shift = std::min<std::size_t>(accept_failures_ - 1, 7);
  const auto wait = std::min<std::chrono::milliseconds>(kFirstAcceptBackoff * (1 << shift), kMaxAcceptBackoff);
  accept_pause_.expires_after(wait);
  co_await accept_pause_.async_wait(asio::as_tuple(asio::use_awaitable));
}

asio::any_io_executor Server::Impl::nextConnectionExecutor() {
  return ios_[next_io_.fetch_add(1, std::memory_order_relaxed) % ios_.size()]->get_executor();
}

void Server::Impl::watchSignals() {
  signals_.emplace(accept_strand_, SIGINT, SIGTERM);
  signals_->async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    core::log::info("signal received, shutting down", {{"signal", signal}});
    asio::post(accept_strand_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
    });
    std::lock_guard lock(state_mu_);
    stop_requested_ = true;
    state_cv_.notify_all();
  });
}

void Server::Impl::forget(const void* connection) {
  std::lock_guard lock(connections_mu_);
  if (auto it = connections_.find(connection); it != connections_.end()) {
    --(it->second.overflow ? overflow_ : served_);
    connections_.erase(it);
  }
  connections_cv_.notify_all();
}

std::vector<std::shared_ptr<Connection>> Server::Impl::liveConnections() {
  std::lock_guard lock(connections_mu_);
  std::vector<std::shared_ptr<Connection>> out;
  for (auto& [key, tracked] : connections_)
    if (auto c = tracked.connection.lock()) out.push_back(std::move(c));
  return out;
}

bool Server::Impl::waitForConnections(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(connections_mu_);
  return connections_cv_.wait_until(lock, deadline, [&] { return connections_.empty(); });
}

void Server::Impl::shutDown() {
  context_.stopping = true;
  // The signal set and the acceptor live on accept_strand_. Closing the
  // acceptor ends acceptLoop, whose end is awaited below, before the
  // contexts stop: a handler left queued would otherwise run, with this
  // server gone, when a shared context runs again.
  asio::post(accept_strand_, [this] {
    boost::system::error_code ignored;
    if (signals_) signals_->cancel(ignored);
    acceptor_.close(ignored);
    accept_pause_.cancel();
  });
  accept_loop_done_.wait();
  for (auto& c : liveConnections()) c->shutdown();
  auto grace_end = std::chrono::steady_clock::now() + context_.options.shutdown_grace;
  if (!waitForConnections(grace_end)) {
    core::log::warn("shutdown grace period over; closing the remaining connections");
    for (auto& c : liveConnections()) c->forceClose();
    waitForConnections(std::chrono::steady_clock::now() + kForceCloseWait);
  }
  work_.clear();
  for (auto& io : ios_) io->stop();
  for (auto& t : io_threads_) t.join();
  io_threads_.clear();
  blocking_->join();
}

void Server::Impl::stop() {
  {
    std::unique_lock lock(state_mu_);
    if (state_ == State::kIdle || state_ == State::kStopped) return;
    if (state_ == State::kStopping) {
      state_cv_.wait(lock, [&] { return state_ == State::kStopped; });
      return;
    }
    state_ = State::kStopping;
  }
  shutDown();
  std::lock_guard lock(state_mu_);
  state_ = State::kStopped;
  state_cv_.notify_all();
}

void Server::Impl::wait() {
  {
    std::unique_lock lock(state_mu_);
    state_cv_.wait(lock, [&] { return state_ == State::kStopped || stop_requested_ || state_ == State::kIdle; });
    if (state_ == State::kStopped || state_ == State::kIdle) return;
  }
  stop();
}

Server::Server(ServerOptions options, std::shared_ptr<const Router> router)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router))) {}

Server::~Server() {
  try {
    stop();
  } catch (const std::exception& e) {
    core::log::error("http server stop failed", {{"error", e.what()}});
  }
}

core::Status Server::start() { return impl_->start(); }
int Server::port() const { return impl_->port(); }
void Server::stop() { impl_->stop(); }
void Server::wait() { impl_->wait(); }

}  // namespace codecrew::http
