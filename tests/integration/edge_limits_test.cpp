// The server's edges against the real binary, with a small configuration:
// a connection cap (idle sockets past it get 503 and are closed, /health
// still answers, closing sockets frees slots), the REST API's per-key rate
// (429 with Retry-After in the house error shape), and refused /v1 calls in
// the audit trail.
#include "api_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

namespace codecrew::testing {
namespace {

constexpr int kCap = 8;

// A blocking TCP socket to the server; reads give up after 10 s.
class RawSocket {
 public:
  explicit RawSocket(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval timeout{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawSocket() { ::close(fd_); }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  bool connected() const { return connected_; }
  void send(const std::string& bytes) { (void)::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }
  // Reads until `marker` arrives, the peer closes or 10 s pass; sets closed() on end of stream.
  std::string readUntil(std::string_view marker) {
    char buf[4096];
    while (read_.find(marker) == std::string::npos) {
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = n == 0 || errno == ECONNRESET;
        break;
      }
      read_.append(buf, static_cast<std::size_t>(n));
    }
    return std::exchange(read_, {});
  }
  // Reads to the end of the stream.
  std::string readAll() { return readUntil("\r\n-never-\r\n"); }
  bool closed() const { return closed_; }
  // One request on the socket and its response's head and body (Content-Length framed).
  std::string exchange(const std::string& target) {
    send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    std::string head = readUntil("\r\n\r\n");
    auto at = head.find("Content-Length: ");
    if (at == std::string::npos) return head;
    std::size_t length = std::stoul(head.substr(at + 16));
    std::size_t have = head.size() - head.find("\r\n\r\n") - 4;
    while (have < length && !closed_) {
      std::string more = readUntil("\r\n-never-\r\n-");
      head += more;
      have += more.size();
      if (more.empty()) break;
    }
    return head;
  }

 private:
  int fd_;
  bool connected_ = false;
  bool closed_ = false;
  std::string read_;
};

class EdgeLimitsTest : public ApiTest {
 protected:
  EdgeLimitsTest() {
    std::ofstream(dir_.str() + "/codecrew.toml")
        << "[server]\nmax_connections = " << kCap << "\nrest_rate_per_minute = 5\n";
  }
  std::vector<std::string> serverArgs() const override {
    return {"--no-engine", "--config", dir_.str() + "/codecrew.toml"};
  }
};

TEST_F(EdgeLimitsTest, ConnectionsPastTheCapGet503AndHealthStillAnswers) {
  // kCap connections, each served once and then left open and idle.
  std::vector<std::unique_ptr<RawSocket>> held;
  for (int i = 0; i < kCap; ++i) {
    held.push_back(std::make_unique<RawSocket>(server_->port()));
    ASSERT_TRUE(held.back()->connected());
    ASSERT_EQ(held.back()->exchange("/health").rfind("HTTP/1.1 200", 0), 0u) << "connection " << i;
  }
  // Past the cap: an API request gets 503 with Retry-After, and the connection closes.
  {
    RawSocket extra(server_->port());
    std::string answer = extra.exchange("/workflows");
    EXPECT_EQ(answer.rfind("HTTP/1.1 503", 0), 0u) << answer;
    EXPECT_NE(answer.find("Retry-After: "), std::string::npos) << answer;
    EXPECT_NE(answer.find("connection limit"), std::string::npos) << answer;
    extra.readAll();
    EXPECT_TRUE(extra.closed());
  }
  // Idle sockets past the cap take nothing from /health.
  std::vector<std::unique_ptr<RawSocket>> idle;
  for (int i = 0; i < 4; ++i) idle.push_back(std::make_unique<RawSocket>(server_->port()));
  {
    RawSocket probe(server_->port());
    std::string answer = probe.exchange("/health");
    EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
    EXPECT_NE(answer.find("\"status\":\"ok\""), std::string::npos) << answer;
  }
  // Closing the held connections frees their slots: API requests are served again.
  held.clear();
  idle.clear();
  std::string answer;
  for (int tries = 0; tries < 200; ++tries) {
    RawSocket again(server_->port());
    answer = again.exchange("/workflows");
    if (answer.rfind("HTTP/1.1 503", 0) != 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(answer.rfind("HTTP/1.1 401", 0), 0u) << "served (and refused for want of a key): " << answer;
  EXPECT_NE(server_->stderrText().find("connection limit reached"), std::string::npos);
}

TEST_F(EdgeLimitsTest, AKeyOverItsRestRateGets429WithRetryAfter) {
  for (int i = 0; i < 5; ++i) ASSERT_EQ(call("GET", "/workflows", "", member_key_).status, 200) << i;
  auto refused = call("GET", "/workflows", "", member_key_);
  ASSERT_EQ(refused.status, 429) << refused.body;
  auto retry = refused.header("Retry-After");
  ASSERT_FALSE(retry.empty());
  EXPECT_GE(std::stoi(retry), 1);
  EXPECT_LE(std::stoi(retry), 60);
  auto error = refused.json().at("error");
  EXPECT_EQ(error.at("code").as_string(), "resource_exhausted");
  EXPECT_EQ(error.at("details").at("limit_per_minute").as_int64(), 5);
  EXPECT_NE(error.at("message").as_string().find("rest_rate_per_minute"), std::string::npos);
  // Per key: another key of the same tenant is not held back.
  EXPECT_EQ(call("GET", "/workflows", "", admin_key_).status, 200);
  // A refused write is audited as refused.
  auto write = call("POST", "/workflows", R"({"name":"late"})", member_key_);
  EXPECT_EQ(write.status, 429);
  auto audit = db().listAudit(tenantId("acme"), {1, 20});
  ASSERT_TRUE(audit);
  bool seen = false;
  for (const auto& e : audit->items) seen |= e.path == "/workflows" && e.status == 429;
  EXPECT_TRUE(seen) << "the refused write is in the audit trail";
}

TEST_F(EdgeLimitsTest, RefusedGatewayCallsAreAudited) {
  auto r = call("POST", "/v1/chat/completions",
                R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]})", viewer_key_,
                {{"Content-Type", "application/json"}});
  ASSERT_EQ(r.status, 403) << r.body;
  auto audit = db().listAudit(tenantId("acme"), {1, 20});
  ASSERT_TRUE(audit);
  ASSERT_GE(audit->items.size(), 1u);
  const auto& e = audit->items.front();
  EXPECT_EQ(e.path, "/v1/chat/completions");
  EXPECT_EQ(e.status, 403);
  EXPECT_EQ(e.method, "POST");
  EXPECT_TRUE(e.api_key_id.has_value());
}

}  // namespace
}  // namespace codecrew::testing
