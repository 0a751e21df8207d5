// SSE routes of the live event log, through a real HTTP client: ids are
// seqs, status and conversation events go to their own stream, a client
// that disconnects and resumes with Last-Event-ID gets exactly the log,
// 1,000 subscribers all get every event, a stalled client is dropped while
// the others (and the appender) go on, and heartbeats flow.
#include "live_fixture.h"
#include "sse_reader.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>
#include <thread>

namespace codecrew::api::test {
namespace {

using namespace std::chrono_literals;

class EventStreamTest : public LiveTest {
 protected:
  SseReader open(testing::HttpClient& c, const std::string& target, testing::HeaderList headers = {}) {
    if (headers.empty()) headers = auth(member_);
    auto s = c.stream("GET", target, "", headers);
    EXPECT_EQ(s.status(), 200);
    return SseReader(std::move(s));
  }
  std::string path() const { return "/events/workflows/" + std::to_string(workflow_); }
};

TEST_F(EventStreamTest, RefusesWithoutAKeyAnotherTenantsWorkflowAndABadLastEventId) {
  start();
  auto c = client();
  EXPECT_EQ(c->request("GET", path()).status, 401);
  auto foreign = c->request("GET", "/events/workflows/" + std::to_string(other_workflow_), "", auth(member_));
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(c->request("GET", path(), "", auth(stranger_)).status, 404);
  auto bad = c->request("GET", path(), "", {{"Authorization", "Bearer " + member_}, {"Last-Event-ID", "x1"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("Last-Event-ID"), std::string::npos);
}

TEST_F(EventStreamTest, IdsAreSeqsAndEachStreamGetsItsKindOfEvent) {
  start();
  auto c1 = client(), c2 = client();
  auto status = open(*c1, path());
  auto conversation = open(*c2, path() + "/stream");
  EXPECT_EQ(status.stream().headers().at("Content-Type").rfind("text/event-stream", 0), 0u);
  append("execution.status", {{"status", "running"}});
  append("llm_call.start", {{"model", "m"}});
  auto start = conversation.next();
  ASSERT_TRUE(start);
  EXPECT_EQ(start->id, 2);
  EXPECT_EQ(start->event, "llm_call.start");
  // Once a client has seen seq 2, a live-only event published next comes
  // after it and carries its id.
  store::Event token;
  token.tenant_id = *tenantOf("acme");
  token.workflow_id = workflow_;
  token.type = "token";
  token.data = {{"text", "hel"}};
  log_->publishLive(token);
  append("llm_call.end", {{"tokens", 5}});
  append("execution.stage", {{"stage", "BUILD"}});

  auto s1 = status.next();
  ASSERT_TRUE(s1);
  EXPECT_EQ(s1->id, 1);
  EXPECT_EQ(s1->event, "execution.status");
  EXPECT_EQ(s1->json().at("data").at("status").as_string(), "running");
  auto s2 = status.next();
  ASSERT_TRUE(s2);
  EXPECT_EQ(s2->id, 4);
  EXPECT_EQ(s2->event, "execution.stage");

  std::vector<std::pair<std::int64_t, std::string>> got;
  for (int i = 0; i < 2; ++i) {
    auto e = conversation.next();
    ASSERT_TRUE(e);
    got.emplace_back(e->id, e->event);
  }
  std::vector<std::pair<std::int64_t, std::string>> want{{2, "token"}, {3, "llm_call.end"}};
  EXPECT_EQ(got, want);
}

TEST_F(EventStreamTest, ReconnectingWithLastEventIdGivesExactlyTheLog) {
  start();
  for (int i = 0; i < 10; ++i) append("execution.stage", {{"i", i}});
  std::vector<std::int64_t> seen;
  {
    auto c = client();
    auto first = open(*c, path());
    for (int i = 0; i < 14; ++i) {
      if (i == 5) {
        for (int j = 0; j < 10; ++j) append("execution.stage", {{"j", j}});  // more while connected
      }
      auto e = first.next();
      ASSERT_TRUE(e);
      seen.push_back(e->id);
    }
    first.stream().close();  // disconnect in the middle of the log
  }
  for (int i = 0; i < 10; ++i) append("execution.stage", {{"k", i}});  // while disconnected
  auto c = client();
  auto headers = auth(member_);
  headers.emplace_back("Last-Event-ID", std::to_string(seen.back()));
  auto second = open(*c, path(), headers);
  std::thread more([&] {
    for (int i = 0; i < 10; ++i) append("execution.stage", {{"l", i}});  // while reconnected
  });
  while (seen.size() < 40) {
    auto e = second.next();
    if (!e) break;
    seen.push_back(e->id);
  }
  more.join();
  std::vector<std::int64_t> want;
  for (int i = 1; i <= 40; ++i) want.push_back(i);
  EXPECT_EQ(seen, want);  // no gap, no duplicate, in order
  EXPECT_FALSE(second.next(100ms));
}

TEST_F(EventStreamTest, AThousandSubscribersAllReceiveEveryEvent) {
  start();
  constexpr int kSubscribers = 1000, kEvents = 20;
  std::vector<std::unique_ptr<testing::HttpClient>> clients;
  std::vector<SseReader> readers;
  for (int i = 0; i < kSubscribers; ++i) {
    clients.push_back(client());
    readers.push_back(open(*clients.back(), path()));
  }
  for (int i = 0; i < 100 && hub_->subscriberCount(workflow_) < kSubscribers; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(hub_->subscriberCount(workflow_), std::size_t(kSubscribers));
  for (int i = 0; i < kEvents; ++i) append("execution.stage", {{"i", i}});
  int complete = 0;
  for (auto& r : readers) {
    std::vector<std::int64_t> ids;
    for (int i = 0; i < kEvents; ++i) {
      auto e = r.next();
      if (!e) break;
      ids.push_back(e->id);
    }
    if (ids.size() == std::size_t(kEvents) && ids.front() == 1 && ids.back() == kEvents) ++complete;
  }
  EXPECT_EQ(complete, kSubscribers);
}

// A client that connects and never reads.
class StalledClient {
 public:
  StalledClient(int port, const std::string& request) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int small = 4096;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("connect");
    ::send(fd_, request.data(), request.size(), 0);
  }
  ~StalledClient() { ::close(fd_); }
  // Reads what the server sent before it dropped the connection.
  std::string drain() {
    timeval tv{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string out;
    char buf[65536];
    for (;;) {
      auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return out;
      out.append(buf, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_ = -1;
};

TEST_F(EventStreamTest, AStalledClientIsDroppedWhileOthersAndTheAppenderGoOn) {
  options_.stream_buffer_limit = 256 * 1024;
  start();
  constexpr int kEvents = 400, kRound = 16;
  const std::string blob(8 * 1024, 'x');  // 400 x 8 KiB: far more than the buffers hold
  auto healthy_client = client();
  auto healthy = open(*healthy_client, path());
  StalledClient stalled(server_->port(),
                        "GET " + path() + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + member_ + "\r\n\r\n");
  for (int i = 0; i < 100 && hub_->subscriberCount(workflow_) < 2; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(hub_->subscriberCount(workflow_), 2u);

  // The appender goes round by round as fast as the healthy reader reads;
  // the stalled client never reads and is never waited for.
  std::vector<std::int64_t> healthy_ids;
  for (int round = 0; round < kEvents / kRound; ++round) {
    for (int i = 0; i < kRound; ++i) append("execution.stage", {{"blob", blob}});
    while (healthy_ids.size() < std::size_t((round + 1) * kRound)) {
      auto e = healthy.next();
      ASSERT_TRUE(e) << "the healthy client stopped receiving after " << healthy_ids.size();
      healthy_ids.push_back(e->id);
    }
  }
  EXPECT_EQ(healthy_ids.back(), kEvents);

  // The stalled client was dropped: the server closed its connection after
  // what fit in the buffers, and it holds no subscription any more.
  std::string partial = stalled.drain();
  EXPECT_EQ(hub_->subscriberCount(workflow_), 1u);
  ASSERT_NE(partial.find("id: 1\n"), std::string::npos);
  std::int64_t last_complete = 0;
  // The last event whose frame arrived whole is where it resumes from.
  for (auto pos = partial.find("id: "); pos != std::string::npos; pos = partial.find("id: ", pos + 1)) {
    auto end = partial.find("\n\n", pos);
    if (end == std::string::npos) break;
    last_complete = std::stoll(partial.substr(pos + 4));
  }
  EXPECT_LT(last_complete, kEvents);

  auto resumed_client = client();
  auto headers = auth(member_);
  headers.emplace_back("Last-Event-ID", std::to_string(last_complete));
  auto resumed = open(*resumed_client, path(), headers);
  for (auto want = last_complete + 1; want <= kEvents; ++want) {
    auto e = resumed.next();
    ASSERT_TRUE(e);
    ASSERT_EQ(e->id, want);
  }
}

TEST_F(EventStreamTest, HeartbeatCommentsKeepAnIdleStreamAlive) {
  heartbeat_seconds_ = 0.02;
  start();
  auto c = client();
  auto s = open(*c, path());
  ASSERT_TRUE(s.nextComment());
  EXPECT_EQ(s.lastComment(), ": heartbeat");
  ASSERT_TRUE(s.nextComment());
  append("execution.status");
  auto e = s.next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, 1);
}

}  // namespace
}  // namespace codecrew::api::test
