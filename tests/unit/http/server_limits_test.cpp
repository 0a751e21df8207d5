// The server's connection limit (ServerOptions::max_connections): past it a
// health check is still answered and anything else gets 503 with
// Retry-After; past the overflow slots a connection gets the 503 unread;
// and accept failures (out of descriptors) back off with one warning per
// burst instead of one per try.
#include "core/log.h"
#include "server_fixture.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <thread>

namespace codecrew::http {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kWork = "GET /work HTTP/1.1\r\nHost: t\r\n\r\n";
constexpr std::string_view kHealth = "GET /health HTTP/1.1\r\nHost: t\r\n\r\n";

class ServerLimitsTest : public ServerFixture {
 protected:
  void SetUp() override {
    router_->add("GET", "/work", [](Request&) { return Response::text(200, "worked"); });
    router_->add("GET", "/health", [](Request&) { return Response::text(200, "healthy"); });
  }

  // A connection that was served once and stays open, idle.
  std::unique_ptr<RawConnection> heldConnection() {
    auto c = std::make_unique<RawConnection>(server_->port());
    c->send(kWork);
    EXPECT_NE(c->readUntil("worked").find("HTTP/1.1 200"), std::string::npos);
    return c;
  }

  static std::size_t count(const std::string& text, std::string_view what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  }
};

TEST_F(ServerLimitsTest, PastTheCapOnlyHealthChecksAreServed) {
  options_.max_connections = 2;
  startServer();
  auto a = heldConnection();
  auto b = heldConnection();

  RawConnection work(server_->port());
  work.send(kWork);
  std::string refused = work.readUntil("-never-");  // to the end: the connection closes
  EXPECT_EQ(refused.rfind("HTTP/1.1 503", 0), 0u) << refused;
  EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;
  EXPECT_NE(refused.find("Connection: close"), std::string::npos) << refused;
  EXPECT_NE(refused.find("\"code\":\"unavailable\""), std::string::npos) << refused;

  RawConnection health(server_->port());
  health.send(kHealth);
  std::string answered = health.readUntil("-never-");
  EXPECT_EQ(answered.rfind("HTTP/1.1 200", 0), 0u) << answered;
  EXPECT_NE(answered.find("healthy"), std::string::npos) << answered;
  EXPECT_NE(answered.find("Connection: close"), std::string::npos) << answered;

  // A held connection still works; closing one frees its slot.
  a->send(kWork);
  EXPECT_NE(a->readUntil("worked").find("HTTP/1.1 200"), std::string::npos);
  b.reset();
  std::string again;
  for (int tries = 0; tries < 200; ++tries) {
    RawConnection c(server_->port());
    c.send(kWork);
    again = c.readUntil("worked");
    if (again.rfind("HTTP/1.1 200", 0) == 0) break;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(again.rfind("HTTP/1.1 200", 0), 0u) << again;
}

// Idle sockets fill the overflow slots; each new connection closes the
// oldest one still waiting, so a health check still gets through.
TEST_F(ServerLimitsTest, IdleSocketsPastTheCapCannotKeepAHealthCheckOut) {
  options_.max_connections = 1;
  startServer();
  auto held = heldConnection();
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (std::size_t i = 0; i < 2 * kOverflowSlots; ++i) idle.push_back(std::make_unique<RawConnection>(server_->port()));
  std::string answer;
  for (int tries = 0; tries < 20 && answer.rfind("HTTP/1.1 200", 0) != 0; ++tries) {
    RawConnection health(server_->port());
    health.send(kHealth);
    answer = health.readUntil("-never-");
  }
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  EXPECT_NE(answer.find("healthy"), std::string::npos) << answer;
  // The oldest idle one was closed to make room (its read ends, with no answer).
  EXPECT_EQ(idle.front()->readUntil("-never-"), "");
}

TEST_F(ServerLimitsTest, AcceptFailuresBackOffWithOneWarningPerBurst) {
  codecrew::testing::TempDir dir;
  core::LogConfig log_config;
  log_config.file = (dir.path() / "log.jsonl").string();
  core::log::init(log_config);
  startServer();

  // Sockets made now and connected once no descriptor is left: the server's
  // accepts fail with EMFILE until the limit is restored.
  std::vector<int> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(::socket(AF_INET, SOCK_STREAM, 0));
    timeval timeout{10, 0};
    ::setsockopt(clients.back(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
  int next_fd = ::dup(0);  // the lowest free descriptor number
  ASSERT_GE(next_fd, 0);
  ::close(next_fd);
  rlimit tight = saved;
  tight.rlim_cur = static_cast<rlim_t>(next_fd);  // every descriptor from here on fails
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &tight), 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(server_->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int fd : clients) EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::this_thread::sleep_for(600ms);  // many tries at accepting, all failing
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &saved), 0);

  // Served once descriptors are back.
  const std::string request(kWork);
  for (int fd : clients) {
    ASSERT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
    std::string got;
    char buf[512];
    while (got.find("worked") == std::string::npos) {
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      got.append(buf, static_cast<std::size_t>(n));
    }
    EXPECT_EQ(got.rfind("HTTP/1.1 200", 0), 0u) << got;
    ::close(fd);
  }
  server_->stop();
  core::log::flush();
  core::log::init(core::LogConfig{});
  std::ifstream in(log_config.file);
  std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(count(log, "accepting connections failed; backing off"), 1u) << log;
  EXPECT_EQ(count(log, "accepting connections again"), 1u) << log;
  EXPECT_NE(log.find("\"failed_accepts\""), std::string::npos) << log;
}

}  // namespace
}  // namespace codecrew::http
