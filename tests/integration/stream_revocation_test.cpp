// Open live streams against the real binary when their key is revoked by
// `codecrew keys revoke` (another process, through the store): an SSE
// stream ends with a final `event: error`, a WebSocket closes with 1008,
// and a command sent on it is refused; a stream opened with a ticket of the
// revoked key closes the same way. Streams of other keys stay open.
#include "api_fixture.h"
#include "support/ws_client.h"

#include <boost/json/parse.hpp>

#include <chrono>
#include <optional>
#include <stdexcept>

namespace codecrew::testing {
namespace {

using namespace std::chrono_literals;

class StreamRevocationTest : public ApiTest {
 protected:
  // The id of the key with this secret, as the store knows it.
  core::Id keyId(const std::string& secret) {
    auto keys = db().listApiKeys(std::nullopt);
    EXPECT_TRUE(keys.ok());
    for (const auto& k : *keys)
      if (secret.rfind(k.prefix, 0) == 0) return k.id;
    return 0;
  }
  void revokeByCli(const std::string& secret) {
    auto r = runCommand(binary(), {"keys", "revoke", std::to_string(keyId(secret)), "--data-dir", dir_.str()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::string ticket(const std::string& secret, core::Id workflow) {
    auto r = call("POST", "/workflows/" + std::to_string(workflow) + "/stream-tickets", "", secret);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? std::string(r.json().at("ticket").as_string()) : "";
  }
  // Reads an SSE stream until its end: the last `event:` and `data:` seen.
  static std::pair<std::string, std::string> lastEvent(HttpStreamReader& sse) {
    std::string event, data;
    // The key watch runs every auth_cache_seconds (2): a generous bound on
    // the wait, so a broken server fails the test instead of hanging it.
    while (auto line = sse.readLine(30s)) {
      if (line->rfind("event: ", 0) == 0) event = line->substr(7);
      if (line->rfind("data: ", 0) == 0) data = line->substr(6);
    }
    return {event, data};
  }
};

TEST_F(StreamRevocationTest, RevokingAKeyEndsItsSseStreamsWithAnErrorEvent) {
  auto id = std::to_string(createWorkflow("watched"));
  HttpClient c1("127.0.0.1", server_->port()), c2("127.0.0.1", server_->port()), c3("127.0.0.1", server_->port());
  auto by_header = c1.stream("GET", "/events/workflows/" + id, "", {{"Authorization", "Bearer " + member_key_}});
  ASSERT_EQ(by_header.status(), 200);
  auto by_ticket = c2.stream("GET",
                             "/events/workflows/" + id + "/stream?ticket=" + ticket(member_key_, std::stoll(id)));
  ASSERT_EQ(by_ticket.status(), 200);
  auto other_key = c3.stream("GET", "/events/workflows/" + id, "", {{"Authorization", "Bearer " + admin_key_}});
  ASSERT_EQ(other_key.status(), 200);

  revokeByCli(member_key_);
  for (auto* sse : {&by_header, &by_ticket}) {
    auto [event, data] = lastEvent(*sse);
    EXPECT_EQ(event, "error");
    auto body = boost::json::parse(data);
    EXPECT_EQ(body.at("error").at("code"), "unauthenticated");
    EXPECT_EQ(body.at("error").at("message"), "API key revoked");
    EXPECT_TRUE(sse->ended()) << "the stream ended, it did not just pause";
  }
  EXPECT_FALSE(other_key.ended());
}

TEST_F(StreamRevocationTest, RevokingAKeyClosesItsWebSocketsWith1008AndRefusesTheirCommands) {
  auto wf = createWorkflow("watched");
  auto start = call("POST", "/workflows/" + std::to_string(wf) + "/executions/start");
  ASSERT_EQ(start.status, 202) << start.body;
  auto eid = start.json().at("execution").at("id").as_int64();
  auto path = "/ws/workflows/" + std::to_string(wf);
  WsClient idle(server_->port()), busy(server_->port()), by_ticket(server_->port()), other(server_->port());
  ASSERT_EQ(idle.connect(path, {{"Authorization", "Bearer " + member_key_}}).status, 101);
  ASSERT_EQ(busy.connect(path, {{"Authorization", "Bearer " + member_key_}}).status, 101);
  ASSERT_EQ(by_ticket.connect(path + "?ticket=" + ticket(member_key_, wf)).status, 101);
  ASSERT_EQ(other.connect(path, {{"Authorization", "Bearer " + admin_key_}}).status, 101);

  revokeByCli(member_key_);
  // A command after the revocation is refused: either the socket is already
  // closed, or the command is answered unauthenticated (it re-checks the key
  // in the store, whatever the key cache says) and then the socket closes.
  std::optional<std::string> ack;
  try {
    busy.send(R"({"type":"cancel","execution_id":)" + std::to_string(eid) + R"(,"id":"late"})");
    while ((ack = busy.read(30s)) && ack->find(R"("type":"ack")") == std::string::npos) {
    }
  } catch (const std::runtime_error&) {
    // the server closed the socket before the command went out
  }
  if (ack) {
    auto v = boost::json::parse(*ack);
    EXPECT_EQ(v.at("ok"), false) << *ack;
    EXPECT_EQ(v.at("error").at("code"), "unauthenticated") << *ack;
  }
  for (auto* ws : {&busy, &idle, &by_ticket}) {
    while (ws->read(30s)) {
    }  // events until the server closes it
    EXPECT_TRUE(ws->closed());
    EXPECT_EQ(ws->closeCode(), 1008);
    EXPECT_EQ(ws->closeReason(), "API key revoked");
  }
  auto execution = call("GET", "/workflows/" + std::to_string(wf) + "/executions/" + std::to_string(eid));
  ASSERT_EQ(execution.status, 200);
  EXPECT_NE(execution.json().at("status"), "cancelled") << "the revoked key's command did nothing";

  EXPECT_FALSE(other.closed()) << "another key's socket stays open";
  other.send(R"({"type":"cancel","execution_id":)" + std::to_string(eid) + "}");
  std::optional<std::string> other_ack;
  while ((other_ack = other.read()) && other_ack->find(R"("type":"ack")") == std::string::npos) {
  }
  ASSERT_TRUE(other_ack);
  EXPECT_EQ(boost::json::parse(*other_ack).at("ok"), true) << *other_ack;
}

}  // namespace
}  // namespace codecrew::testing
