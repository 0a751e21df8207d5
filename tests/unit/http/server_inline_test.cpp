// Routes that run inline (RouteOptions::runs_inline) and a Server running an
// io_context it shares with other coroutines (ServerOptions::io_context).
#include "server_fixture.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

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
    options_.io_context = io_;
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
    router_->addStream("GET", "/coroutine", [this](Request& req, std::shared_ptr<ResponseStream> out) {
      asio::co_spawn(*io_, answerLater(std::move(out), "later:" + req.path), asio::detached);
    }, inlineOptions());
    router_->addStream("GET", "/throws", [](Request&, std::shared_ptr<ResponseStream>) {
      throw std::runtime_error("inline boom");
    }, inlineOptions());
  }

  std::shared_ptr<asio::io_context> io_ = std::make_shared<asio::io_context>();
  std::atomic<int> inline_on_io_{-1};
  std::atomic<int> pooled_on_io_{-1};
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

TEST_F(ServerInlineTest, StopStopsTheSharedContext) {
  startServer();
  EXPECT_EQ(client_->request("GET", "/inline").body, "ran");
  server_->stop();
  EXPECT_TRUE(io_->stopped());
}

}  // namespace
}  // namespace codecrew::http
