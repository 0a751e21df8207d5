#include "core/log.h"
#include "server_fixture.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <atomic>
#include <csignal>
#include <fstream>
#include <future>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace codecrew::http {
namespace {

using namespace std::chrono_literals;
using testing::HttpClient;

class ServerTest : public ServerFixture {
 protected:
  void SetUp() override {
    options_.max_body_bytes = 1024;
    router_->add("POST", "/echo/{id:int}", [this](Request& req) {
      ++calls_;
      boost::json::object out{{"id", req.param("id")},
                              {"body", boost::json::parse(req.body)},
                              {"q", req.queryParam("q").value_or("")},
                              {"path", req.path},
                              {"request_id", req.request_id}};
      return Response::json(200, out);
    });
    router_->add("GET", "/query", [](Request& req) {
      boost::json::array pairs;
      for (const auto& [k, v] : req.query)
        pairs.push_back(boost::json::array{boost::json::string(k), boost::json::string(v)});
      return Response::json(200, pairs);
    });
    router_->add("GET", "/hello", [this](Request&) {
      ++calls_;
      return Response::text(200, "hi");
    });
    RouteOptions text_route;
    text_route.json_body = false;
    router_->add(
        "POST", "/text", [](Request& req) { return Response::text(200, req.body); }, text_route);
    router_->add("GET", "/boom", [](Request&) -> Response { throw std::runtime_error("kaboom"); });
    router_->add("GET", "/slow", [this](Request&) {
      slow_started_.set_value();
      std::this_thread::sleep_for(300ms);
      return Response::text(200, "slow done");
    });
    router_->add("GET", "/gate", [this](Request&) {
      gate_entered_.set_value();
      gate_.wait_for(10s);
      return Response::text(200, "through");
    });
    router_->add("GET", "/sleep", [](Request&) {
      std::this_thread::sleep_for(20ms);
      return Response::text(200, "ok");
    });
  }

  std::atomic<int> calls_{0};
  std::promise<void> slow_started_;
  std::promise<void> gate_entered_;
  std::promise<void> open_gate_;
  std::shared_future<void> gate_ = open_gate_.get_future().share();
};

TEST_F(ServerTest, EchoesJsonWithParamsAndServerHeader) {
  startServer();
  auto r = client_->request("POST", "/echo/42?q=hello%20there", R"({"a":[1,2]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("Server"), "codecrew");
  EXPECT_EQ(r.header("content-type"), "application/json");
  auto body = r.json();
  EXPECT_EQ(body.at("id"), "42");
  EXPECT_EQ(body.at("q"), "hello there");
  EXPECT_EQ(body.at("path"), "/echo/42");
  EXPECT_EQ(boost::json::serialize(body.at("body")), R"({"a":[1,2]})");
}

TEST_F(ServerTest, DecodesQueryParametersInOrder) {
  startServer();
  auto r = client_->request("GET", "/query?b=x+y&a=%2F&flag&b=2");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"([["b","x y"],["a","/"],["flag",""],["b","2"]])");
}

TEST_F(ServerTest, ReusesTheKeepAliveConnection) {
  startServer();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(client_->request("GET", "/hello").status, 200);
  EXPECT_EQ(client_->connects(), 1);
}

TEST_F(ServerTest, EchoesTheClientRequestId) {
  startServer();
  auto r = client_->request("POST", "/echo/1", "{}", {{"X-Request-Id", "my-req.1_A"}});
  EXPECT_EQ(r.header("X-Request-Id"), "my-req.1_A");
  EXPECT_EQ(r.json().at("request_id"), "my-req.1_A");
}

TEST_F(ServerTest, GeneratesARequestIdWhenMissingOrUnusable) {
  startServer();
  auto a = client_->request("GET", "/hello");
  auto b = client_->request("GET", "/hello", "", {{"X-Request-Id", "bad id!"}});
  EXPECT_EQ(a.header("X-Request-Id").size(), 16u);
  EXPECT_EQ(b.header("X-Request-Id").size(), 16u);
  EXPECT_NE(a.header("X-Request-Id"), b.header("X-Request-Id"));
  auto missing = client_->request("GET", "/nowhere", "", {{"X-Request-Id", "rid-404"}});
  EXPECT_EQ(missing.header("X-Request-Id"), "rid-404");
}

TEST_F(ServerTest, RefusesALargeContentLengthWithoutReadingTheBody) {
  startServer();
  auto r = client_->sendRaw(
      "POST /echo/1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 100000000\r\nX-Request-Id: big-1\r\n\r\n");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.json().at("error").at("code"), "payload_too_large");
  EXPECT_EQ(r.header("X-Request-Id"), "big-1");
  EXPECT_EQ(r.header("Connection"), "close");
  EXPECT_EQ(calls_, 0);
  EXPECT_EQ(client_->request("GET", "/hello").status, 200);
  EXPECT_EQ(client_->connects(), 2);  // the 413 closed the first connection
}

TEST_F(ServerTest, RefusesAChunkedBodyOverTheLimit) {
  startServer();
  std::string chunk(800, 'x');
  std::ostringstream raw;
  raw << "POST /echo/1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      << "Transfer-Encoding: chunked\r\n\r\n"
      << std::hex << chunk.size() << "\r\n"
      << chunk << "\r\n"
      << std::hex << chunk.size() << "\r\n"
      << chunk << "\r\n0\r\n\r\n";
  auto r = client_->sendRaw(raw.str());
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(calls_, 0);
}

// RFC 9112 framing, on a raw socket: each ambiguous request is a 400 that
// closes the connection (nothing pipelined behind it is answered), and the
// handler never runs.
TEST_F(ServerTest, AmbiguousFramingIsRefusedAndTheConnectionClosed) {
  startServer();
  const std::string smuggled = "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n";
  const std::string cases[] = {
      // a final coding that is not chunked, framed by Content-Length by a lenient parser
      "POST /echo/1 HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: xchunked\r\n"
      "Content-Length: 2\r\n\r\n{}",
      "POST /echo/1 HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked, identity\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
      "POST /echo/1 HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
      "Content-Length: 7\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
      "GET /hello HTTP/1.1\r\n\r\n",
      "GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
      // obs-fold: a header line that continues the one before (Beast would unfold it)
      "GET /hello HTTP/1.1\r\nHost: t\r\nX-Folded: a\r\n b\r\n\r\n",
      "GET /hello HTTP/1.1\r\nHost: t\r\nX-Folded: a\r\n\tb\r\nX-Other: c\r\n\r\n",
  };
  for (const auto& request : cases) {
    RawConnection raw(server_->port());
    raw.send(request + smuggled);
    std::string answer = raw.readUntil("\r\n\r\n\r\n-never-");
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << request << "\n--> " << answer;
    EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
    EXPECT_EQ(answer.find("HTTP/1.1 200"), std::string::npos) << "the smuggled request was answered: " << answer;
  }
  EXPECT_EQ(calls_, 0);
  EXPECT_EQ(client_->request("GET", "/hello").status, 200) << "well-framed requests still pass";
}

TEST_F(ServerTest, AcceptsABodyWithinTheLimit) {
  startServer();
  std::string body = "{\"s\":\"" + std::string(900, 'y') + "\"}";
  EXPECT_EQ(client_->request("POST", "/echo/3", body).status, 200);
}

TEST_F(ServerTest, AHeadIsAnsweredWithTheGetsHeadAndNoBody) {
  // Pipelined HEAD then GET on one connection: were the HEAD's body sent,
  // the GET's status line would not follow its head directly.
  startServer();
  RawConnection raw(server_->port());
  raw.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string both = raw.readUntil("hi");
  auto second = both.find("HTTP/1.1 200", 1);
  ASSERT_NE(second, std::string::npos) << both;
  std::string head = both.substr(0, second);
  EXPECT_EQ(head.rfind("HTTP/1.1 200", 0), 0u) << head;
  EXPECT_NE(head.find("Content-Length: 2\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.substr(head.size() - 4), "\r\n\r\n") << head;
  EXPECT_EQ(both.substr(both.size() - 2), "hi");
  EXPECT_EQ(calls_, 2);
}

TEST_F(ServerTest, ABodyArrivingAfterItsHeaderIsWaitedFor) {
  // The server parses what came with the header in place and reads the
  // rest: a body split across writes, whole and chunked, arrives entire.
  startServer();
  RawConnection raw(server_->port());
  const std::string body = R"({"split":"across writes"})";
  raw.send(
      "POST /echo/7 HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 9));
  std::this_thread::sleep_for(50ms);
  raw.send(body.substr(9));
  std::string first = raw.readUntil("}");
  EXPECT_NE(first.find("HTTP/1.1 200"), std::string::npos) << first;
  EXPECT_NE(first.find("across writes"), std::string::npos) << first;

  std::ostringstream head, rest;
  head << "POST /echo/8 HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
       << "Transfer-Encoding: chunked\r\n\r\n"
       << std::hex << 9 << "\r\n"
       << body.substr(0, 9) << "\r\n";
  raw.send(head.str());
  std::this_thread::sleep_for(50ms);
  rest << std::hex << body.size() - 9 << "\r\n" << body.substr(9) << "\r\n0\r\n\r\n";
  raw.send(rest.str());
  std::string second = raw.readUntil("}");
  EXPECT_NE(second.find("HTTP/1.1 200"), std::string::npos) << second;
  EXPECT_NE(second.find("\"id\":\"8\""), std::string::npos) << second;
  EXPECT_NE(second.find("across writes"), std::string::npos) << second;
  EXPECT_EQ(calls_, 2);
}

TEST_F(ServerTest, RefusesNonJsonBodiesOnJsonRoutes) {
  startServer();
  auto r = client_->request("POST", "/echo/1", "a=b", {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(r.json().at("error").at("code"), "unsupported_media_type");
  EXPECT_EQ(calls_, 0);
  auto charset = client_->request("POST", "/echo/1", "{}", {{"Content-Type", "application/json; charset=utf-8"}});
  EXPECT_EQ(charset.status, 200);
  auto text = client_->request("POST", "/text", "plain", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(text.status, 200);
  EXPECT_EQ(text.body, "plain");
  EXPECT_EQ(client_->connects(), 1);  // a 415 keeps the connection
}

TEST_F(ServerTest, NotFoundAndMethodNotAllowedUseTheErrorShape) {
  startServer();
  auto nf = client_->request("GET", "/nowhere");
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(nf.json().at("error").at("code"), "not_found");
  EXPECT_EQ(nf.json().at("error").at("message"), "no route for GET /nowhere");
  EXPECT_TRUE(nf.json().at("error").as_object().contains("details"));
  auto bad_id = client_->request("POST", "/echo/abc", "{}");
  EXPECT_EQ(bad_id.status, 404);
  EXPECT_EQ(bad_id.json().at("error").at("message"), "'abc' is not a valid id: ids are positive integers");
  auto na = client_->request("DELETE", "/hello");
  EXPECT_EQ(na.status, 405);
  EXPECT_EQ(na.header("Allow"), "GET, HEAD");
  EXPECT_EQ(na.json().at("error").at("code"), "method_not_allowed");
}

TEST_F(ServerTest, HandlerExceptionIsA500NamingTheRequestIdAndLogged) {
  codecrew::testing::TempDir dir;
  core::LogConfig log_config;
  log_config.file = (dir.path() / "log.jsonl").string();
  core::log::init(log_config);
  startServer();
  auto r = client_->request("GET", "/boom", "", {{"X-Request-Id", "boom-1"}});
  server_->stop();
  core::log::flush();
  core::log::init(core::LogConfig{});
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.json().at("error").at("code"), "internal");
  EXPECT_EQ(r.json().at("error").at("message"), "internal error (request id boom-1)");
  std::ifstream in(log_config.file);
  std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(log.find("kaboom"), std::string::npos) << log;
  EXPECT_NE(log.find("boom-1"), std::string::npos) << log;
  EXPECT_NE(log.find("\"status\":500"), std::string::npos) << log;  // the access line
  EXPECT_NE(log.find("duration_ms"), std::string::npos) << log;
}

TEST_F(ServerTest, MalformedHttpIs400AndCloses) {
  startServer();
  auto r = client_->sendRaw("GET /hello HTTP/1.1\r\nHost x\r\n\r\n");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json().at("error").at("code"), "invalid_argument");
  EXPECT_EQ(r.header("Connection"), "close");
  EXPECT_FALSE(r.header("X-Request-Id").empty());
}

TEST_F(ServerTest, AnswersFiftyConcurrentClients) {
  startServer();
  constexpr int kClients = 50;
  std::vector<std::future<int>> results;
  for (int i = 0; i < kClients; ++i) {
    results.push_back(std::async(std::launch::async, [port = server_->port()] {
      HttpClient c("127.0.0.1", port);
      return c.request("GET", "/sleep").status;
    }));
  }
  int ok = 0;
  for (auto& f : results) ok += f.get() == 200 ? 1 : 0;
  EXPECT_EQ(ok, kClients);
}

TEST_F(ServerTest, CorsPreflightAndAllowOrigin) {
  options_.cors_origins = {"https://ui.example"};
  startServer();
  auto pre = client_->request("OPTIONS", "/echo/1", "",
                              {{"Origin", "https://ui.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(pre.status, 204);
  EXPECT_EQ(pre.header("Access-Control-Allow-Origin"), "https://ui.example");
  EXPECT_EQ(pre.header("Access-Control-Allow-Methods"), "POST");
  EXPECT_NE(pre.header("Access-Control-Allow-Headers").find("Authorization"), std::string::npos);
  auto get = client_->request("GET", "/hello", "", {{"Origin", "https://ui.example"}});
  EXPECT_EQ(get.header("Access-Control-Allow-Origin"), "https://ui.example");
  auto other = client_->request("GET", "/hello", "", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(other.header("Access-Control-Allow-Origin"), "");
  auto denied = client_->request("OPTIONS", "/hello", "",
                                 {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(denied.status, 403);
}

TEST_F(ServerTest, StopFinishesAnInFlightRequest) {
  startServer();
  auto started = slow_started_.get_future();
  auto response = std::async(std::launch::async, [port = server_->port()] {
    HttpClient c("127.0.0.1", port);
    return c.request("GET", "/slow");
  });
  ASSERT_EQ(started.wait_for(10s), std::future_status::ready);
  server_->stop();
  auto r = response.get();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "slow done");
  EXPECT_EQ(r.header("Connection"), "close");
  HttpClient late("127.0.0.1", server_->port());
  EXPECT_THROW(late.request("GET", "/hello"), std::exception);
}

TEST_F(ServerTest, ABlockedHandlerDoesNotStallTheIoThread) {
  options_.io_threads = 1;
  startServer();
  auto blocked = std::async(std::launch::async, [port = server_->port()] {
    HttpClient c("127.0.0.1", port);
    return c.request("GET", "/gate").status;
  });
  ASSERT_EQ(gate_entered_.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_EQ(client_->request("GET", "/hello").status, 200);  // while /gate still blocks
  open_gate_.set_value();
  EXPECT_EQ(blocked.get(), 200);
}

TEST_F(ServerTest, StopClosesARequestStillRunningAfterTheGrace) {
  options_.shutdown_grace = std::chrono::seconds(1);
  startServer();
  auto blocked = std::async(std::launch::async, [port = server_->port()] {
    HttpClient c("127.0.0.1", port);
    c.setTimeout(20s);
    try {
      return c.request("GET", "/gate").status;
    } catch (const std::exception&) {
      return -1;  // closed without a response
    }
  });
  ASSERT_EQ(gate_entered_.get_future().wait_for(10s), std::future_status::ready);
  auto stopped = std::async(std::launch::async, [this] { server_->stop(); });
  EXPECT_EQ(blocked.get(), -1);  // the connection was closed once the grace ran out
  open_gate_.set_value();        // stop() then joins the handler thread
  stopped.get();
}

TEST_F(ServerTest, StopClosesIdleKeepAliveConnectionsWithoutWaitingOutTheGrace) {
  options_.shutdown_grace = std::chrono::seconds(60);
  startServer();
  ASSERT_EQ(client_->request("GET", "/hello").status, 200);
  auto before = std::chrono::steady_clock::now();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, options_.shutdown_grace);
}

TEST_F(ServerTest, SigtermStopsTheServerThroughWait) {
  options_.handle_signals = true;
  startServer();
  ASSERT_EQ(client_->request("GET", "/hello").status, 200);
  std::raise(SIGTERM);
  server_->wait();  // returns once the signal has shut the server down
  HttpClient late("127.0.0.1", server_->port());
  EXPECT_THROW(late.request("GET", "/hello"), std::exception);
}

TEST_F(ServerTest, StartFailsWhenThePortIsTaken) {
  startServer();
  ServerOptions clash = options_;
  clash.port = server_->port();
  Server second(clash, router_);
  auto status = second.start();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::kUnavailable);
  EXPECT_NE(status.error().message.find("cannot bind"), std::string::npos);
}

}  // namespace
}  // namespace codecrew::http
