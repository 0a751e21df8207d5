// BeastHttpClient's keep-alive pool across execution contexts: connections
// are pooled per caller's context (reused only there), and a context that
// goes away takes its pooled connections with it, before the client.
#include "http/client/beast_http_client.h"
#include "http/io_threads.h"
#include "server_fixture.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <optional>

namespace codecrew::http {
namespace {

namespace asio = boost::asio;

class ClientPoolTest : public ServerFixture {
 protected:
  void SetUp() override {
    router_->add("GET", "/hello", [](Request&) { return Response::text(200, "hello"); });
    startServer();
    url_ = "http://127.0.0.1:" + std::to_string(server_->port()) + "/hello";
  }

  // One GET from a coroutine on `io` (run until it is done).
  core::Result<ClientResponse> sendOn(asio::io_context& io, BeastHttpClient& client) {
    std::optional<core::Result<ClientResponse>> out;
    ClientRequest request;
    request.url = url_;
    asio::co_spawn(
        io, [&]() -> asio::awaitable<void> { out.emplace(co_await client.send(request)); },
        [](std::exception_ptr e) {
          if (e) std::rethrow_exception(e);
        });
    io.restart();
    io.run();
    return std::move(*out);
  }

  std::string url_;
};

TEST_F(ClientPoolTest, ConnectionsArePooledPerCallersContextAndReusedThere) {
  BeastHttpClient client;
  asio::io_context first(1), second(1);
  auto a = sendOn(first, client);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->body, "hello");
  EXPECT_FALSE(a->reused_connection);
  EXPECT_EQ(client.idleConnections(), 1u);
  // Another context does not take the first one's connection.
  auto b = sendOn(second, client);
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(b->reused_connection);
  EXPECT_EQ(client.idleConnections(), 2u);
  // Back on the first: its own connection again.
  auto c = sendOn(first, client);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->reused_connection);
  EXPECT_EQ(client.idleConnections(), 2u);
}

TEST_F(ClientPoolTest, AContextThatGoesAwayTakesItsPooledConnectionsWithIt) {
  BeastHttpClient client;
  asio::io_context lasting(1);
  ASSERT_TRUE(sendOn(lasting, client).ok());
  {
    asio::io_context brief(1);
    ASSERT_TRUE(sendOn(brief, client).ok());
    EXPECT_EQ(client.idleConnections(), 2u);
  }
  // The brief context's socket was closed while the context still existed
  // (destroying it later, with the client, would touch a dead reactor).
  EXPECT_EQ(client.idleConnections(), 1u);
  auto again = sendOn(lasting, client);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->reused_connection);
}

TEST_F(ClientPoolTest, AClientDestroyedBeforeItsCallersContextLeavesNothingBehind) {
  asio::io_context io(1);
  {
    BeastHttpClient client;
    ASSERT_TRUE(sendOn(io, client).ok());
    EXPECT_EQ(client.idleConnections(), 1u);
  }
  // The context's shutdown finds no client to ask: nothing to drop, no crash.
  BeastHttpClient later;
  ASSERT_TRUE(sendOn(io, later).ok());
}

TEST(IoThreadsTest, OnlyTheServersContextsAreMarkedAsRunOnOneThread) {
  auto marked = makeIoContexts(2);
  ASSERT_EQ(marked.size(), 2u);
  for (auto& io : marked) EXPECT_TRUE(runsOnOneThread(io->get_executor()));
  asio::io_context plain(1);
  EXPECT_FALSE(runsOnOneThread(plain.get_executor()));
  asio::thread_pool pool(1);
  EXPECT_FALSE(runsOnOneThread(pool.get_executor()));
  pool.join();
}

// On the server's contexts the exchange runs in the caller's coroutine (no
// strand): the pool and reuse behave the same.
TEST_F(ClientPoolTest, OnOneThreadContextsTheExchangeRunsInTheCallerAndReusesItsConnection) {
  auto contexts = makeIoContexts(2);
  BeastHttpClient client;
  auto a = sendOn(*contexts[0], client);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->body, "hello");
  auto b = sendOn(*contexts[1], client);
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(b->reused_connection);
  auto c = sendOn(*contexts[0], client);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->reused_connection);
  EXPECT_EQ(client.idleConnections(), 2u);
  contexts.clear();  // the contexts go first: their connections go with them
  EXPECT_EQ(client.idleConnections(), 0u);
}

}  // namespace
}  // namespace codecrew::http
