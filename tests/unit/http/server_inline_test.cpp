// Routes that run inline (RouteOptions::runs_inline), a Server running
// io_contexts it shares with other coroutines (ServerOptions::io_contexts),
// Request::io, and a streamed response that is whole at once.
#include "server_fixture.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

namespace codecrew::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

RouteOptions inlineOptions() {
  RouteOptions o;
  o.runs_inline = [](const Request& req) { return req.header("X-Pooled") != "yes"; };
  return o;
}

// Answers from a coroutine on the shared io_context, as the gateway does.
asio::awaitable<void> answerLater(std::shared_ptr<ResponseStream> out, std::string text) {
  asio::steady_timer pause(co_await asio::this_coro::executor, 1ms);
  co_await pause.async_wait(asio::use_awaitable);
  out->begin(200, "text/plain");
  out->write(std::move(text));
  out->end();
}

class ServerInlineTest : public ServerFixture {
 protected:
  void SetUp() override {
    options_.io_contexts = {io_};
    auto on_io = [this](std::atomic<int>& flag) {
      return [this, &flag](Request&, std::shared_ptr<ResponseStream> out) {
        flag = io_->get_executor().running_in_this_thread() ? 1 : 0;
        out->begin(200, "text/plain");
        out->write("ran");
        out->end();
      };
    };
    router_->addStream("GET", "/inline", on_io(inline_on_io_), inlineOptions());
    router_->addStream("GET", "/pooled", on_io(pooled_on_io_));
    router_->addStream(
        "GET", "/coroutine",
        [this](Request& req, std::shared_ptr<ResponseStream> out) {
          asio::co_spawn(*io_, answerLater(std::move(out), "later:" + req.path), asio::detached);
        },
        inlineOptions());
    router_->addStream(
        "GET", "/throws", [](Request&, std::shared_ptr<ResponseStream>) { throw std::runtime_error("inline boom"); },
        inlineOptions());
    // Answers from a coroutine started on req.io; says which context ran it.
    router_->addStream(
        "GET", "/on-request-io",
        [this](Request& req, std::shared_ptr<ResponseStream> out) {
          asio::co_spawn(
              req.io,
              [out, handler = std::this_thread::get_id()]() -> asio::awaitable<void> {
                bool same = std::this_thread::get_id() == handler;
                co_await answerLater(out, same ? "same-thread" : "other-thread");
              },
              asio::detached);
          std::lock_guard lock(mu_);
          contexts_seen_.insert(&asio::query(req.io, asio::execution::context));
        },
        inlineOptions());
    // Head and chunks written later, one at a time: a chunked response.
    router_->addStream(
        "GET", "/chunks",
        [](Request& req, std::shared_ptr<ResponseStream> out) {
          asio::co_spawn(
              req.io,
              [out]() -> asio::awaitable<void> {
                out->begin(200, "text/plain");
                for (const char* part : {"a", "b", "c"}) {
                  asio::steady_timer pause(co_await asio::this_coro::executor, 2ms);
                  co_await pause.async_wait(asio::use_awaitable);
                  out->write(part);
                }
                out->end();
              },
              asio::detached);
        },
        inlineOptions());
  }

  std::shared_ptr<asio::io_context> io_ = std::make_shared<asio::io_context>();
  std::atomic<int> inline_on_io_{-1};
  std::atomic<int> pooled_on_io_{-1};
  std::mutex mu_;
  std::set<const void*> contexts_seen_;  // guarded by mu_: the contexts requests' io ran on
};

TEST_F(ServerInlineTest, InlineHandlersRunOnTheIoThreadsOthersOnTheBlockingPool) {
  startServer();
  EXPECT_EQ(client_->request("GET", "/inline").body, "ran");
  EXPECT_EQ(client_->request("GET", "/pooled").body, "ran");
  EXPECT_EQ(inline_on_io_, 1);
  EXPECT_EQ(pooled_on_io_, 0);
  // The route's predicate decides per request.
  EXPECT_EQ(client_->request("GET", "/inline", "", {{"X-Pooled", "yes"}}).body, "ran");
  EXPECT_EQ(inline_on_io_, 0);
}

TEST_F(ServerInlineTest, ACoroutineOnTheSharedContextFinishesTheResponse) {
  startServer();
  for (int i = 0; i < 3; ++i) {
    auto r = client_->request("GET", "/coroutine");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "later:/coroutine");
  }
  EXPECT_EQ(client_->connects(), 1);  // keep-alive held across the responses
}

TEST_F(ServerInlineTest, AnInlineHandlerThatThrowsIsA500AndTheServerGoesOn) {
  startServer();
  EXPECT_EQ(client_->request("GET", "/throws").status, 500);
  EXPECT_EQ(newClient()->request("GET", "/inline").body, "ran");
}

TEST_F(ServerInlineTest, ARequestsIoIsItsConnectionsThreadAndConnectionsSpreadOverTheContexts) {
  auto second = std::make_shared<asio::io_context>(1);
  options_.io_contexts = {io_, second};
  startServer();
  auto another = newClient();
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(client_->request("GET", "/on-request-io").body, "same-thread");
    EXPECT_EQ(another->request("GET", "/on-request-io").body, "same-thread");
  }
  std::lock_guard lock(mu_);
  EXPECT_EQ(contexts_seen_, (std::set<const void*>{io_.get(), second.get()}));
}

TEST_F(ServerInlineTest, AResponseWholeAtOnceHasAContentLengthAndAStreamIsChunked) {
  startServer();
  auto whole = client_->request("GET", "/inline");
  EXPECT_EQ(whole.body, "ran");
  EXPECT_EQ(whole.header("Content-Length"), "3");
  EXPECT_EQ(whole.header("Transfer-Encoding"), "");
  auto chunked = client_->request("GET", "/chunks");
  EXPECT_EQ(chunked.body, "abc");
  EXPECT_EQ(chunked.header("Transfer-Encoding"), "chunked");
  EXPECT_EQ(chunked.header("Content-Length"), "");
  EXPECT_EQ(client_->request("GET", "/inline").body, "ran");  // the connection is still good
  EXPECT_EQ(client_->connects(), 1);
}

TEST_F(ServerInlineTest, AServerRestartedOnTheSameContextsServesAgain) {
  startServer();
  EXPECT_EQ(client_->request("GET", "/inline").body, "ran");
  server_->stop();
  startServer();
  EXPECT_EQ(client_->request("GET", "/coroutine").body, "later:/coroutine");
}

TEST_F(ServerInlineTest, StopStopsTheSharedContext) {
  startServer();
  EXPECT_EQ(client_->request("GET", "/inline").body, "ran");
  server_->stop();
  EXPECT_TRUE(io_->stopped());
}

}  // namespace
}  // namespace codecrew::http
