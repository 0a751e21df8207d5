// WebSocket /ws/workflows/{id}: events as messages, commands acknowledged,
// and the REST rules for who may do what (viewers may watch, not act;
// another tenant's workflow is 404).
#include "live_fixture.h"
#include "support/ws_client.h"

#include <boost/json/parse.hpp>

namespace codecrew::api::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

class WorkflowSocketTest : public LiveTest {
 protected:
  void SetUp() override { start(); }
  std::string path() const { return "/ws/workflows/" + std::to_string(workflow_); }
  std::unique_ptr<testing::WsClient> connect(const std::string& secret) {
    auto ws = std::make_unique<testing::WsClient>(server_->port());
    auto hs = ws->connect(path(), auth(secret));
    EXPECT_EQ(hs.status, 101) << hs.body;
    return ws;
  }
  // Sends a command and returns the ack (skipping event messages).
  json::object command(testing::WsClient& ws, const std::string& text) {
    ws.send(text);
    for (;;) {
      auto msg = ws.read();
      if (!msg) return {};
      auto v = json::parse(*msg).as_object();
      if (v.at("type") == "ack") return v;
    }
  }
};

TEST_F(WorkflowSocketTest, EventsArriveAsMessagesFromTheGivenId) {
  append("execution.status", {{"status", "running"}});
  auto ws = std::make_unique<testing::WsClient>(server_->port());
  auto headers = auth(viewer_);
  headers.emplace_back("Last-Event-ID", "0");
  ASSERT_EQ(ws->connect(path(), headers).status, 101);
  append("llm_call.start");
  for (std::int64_t want = 1; want <= 2; ++want) {
    auto msg = ws->read();
    ASSERT_TRUE(msg);
    auto v = json::parse(*msg);
    EXPECT_EQ(v.at("type"), "event");
    EXPECT_EQ(v.at("id").as_int64(), want);
    EXPECT_EQ(v.at("event").at("seq").as_int64(), want);
  }
}

TEST_F(WorkflowSocketTest, AMemberCanApproveRejectRequestChangesAndCancelWithAcks) {
  auto ws = connect(member_);
  auto ack = command(*ws, R"({"type":"approve","approval_id":7,"id":"r1","comment":"ship it"})");
  EXPECT_EQ(ack.at("ok"), true);
  EXPECT_EQ(ack.at("id"), "r1");
  EXPECT_EQ(ack.at("command"), "approve");
  EXPECT_EQ(ack.at("result").at("decision"), "approve");
  ack = command(*ws, R"({"type":"reject","approval_id":8})");
  EXPECT_EQ(ack.at("ok"), true);
  ack = command(*ws, R"({"type":"request_changes","approval_id":9,"comment":"add tests"})");
  EXPECT_EQ(ack.at("ok"), true);
  ack = command(*ws, R"({"type":"cancel","execution_id":3,"id":"c"})");
  EXPECT_EQ(ack.at("ok"), true);
  EXPECT_EQ(ack.at("result").at("status"), "cancelled");

  ASSERT_EQ(control_->decisions.size(), 3u);
  EXPECT_EQ(control_->decisions[0].workflow_id, std::optional<core::Id>(workflow_));
  EXPECT_EQ(control_->decisions[0].comment, "ship it");
  EXPECT_EQ(control_->decisions[0].reviewer.rfind("key:", 0), 0u);
  EXPECT_EQ(control_->decisions[1].decision, engine::ApprovalDecision::kReject);
  EXPECT_EQ(control_->decisions[2].decision, engine::ApprovalDecision::kRequestChanges);
  EXPECT_EQ(control_->cancels, std::vector<core::Id>{3});
  auto audit = raw_->listAudit(*tenantOf("acme"), {1, 50});
  ASSERT_TRUE(audit);
  EXPECT_EQ(audit->total, 4);
}

TEST_F(WorkflowSocketTest, AViewerMayWatchButItsCommandsAreRefused) {
  auto ws = connect(viewer_);
  for (const char* cmd : {R"({"type":"approve","approval_id":7,"id":"v"})", R"({"type":"cancel","execution_id":3})"}) {
    auto ack = command(*ws, cmd);
    EXPECT_EQ(ack.at("ok"), false);
    EXPECT_EQ(ack.at("error").at("code"), "permission_denied");
  }
  EXPECT_EQ(control_->calls(), 0u);
  auto audit = raw_->listAudit(*tenantOf("acme"), {1, 50});
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->total, 2);  // refused attempts are audited, as on the REST routes
  EXPECT_EQ(audit->items[0].status, 403);
  append("execution.status");  // and it still receives events
  auto msg = ws->read();
  ASSERT_TRUE(msg);
  EXPECT_EQ(json::parse(*msg).at("id").as_int64(), 1);
}

TEST_F(WorkflowSocketTest, ACommandAfterTheKeyIsRevokedIsRefusedAndClosesTheSocket) {
  auto ws = connect(member_);
  EXPECT_EQ(command(*ws, R"({"type":"approve","approval_id":7})").at("ok"), true);
  revoke(member_);
  auto ack = command(*ws, R"({"type":"approve","approval_id":8,"id":"late"})");
  EXPECT_EQ(ack.at("ok"), false);
  EXPECT_EQ(ack.at("id"), "late");
  EXPECT_EQ(ack.at("error").at("code"), "unauthenticated");
  EXPECT_EQ(ack.at("error").at("message"), "API key revoked");
  EXPECT_FALSE(ws->read()) << "the socket closes after the refusal";
  EXPECT_TRUE(ws->closed());
  EXPECT_EQ(ws->closeCode(), 1008);
  EXPECT_EQ(ws->closeReason(), "API key revoked");
  ASSERT_EQ(control_->decisions.size(), 1u) << "the refused command reached nothing";
  auto audit = raw_->listAudit(*tenantOf("acme"), {1, 50});
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->total, 2);
  EXPECT_EQ(audit->items[0].status, 401);
}

TEST_F(WorkflowSocketTest, MalformedCommandsGetAnErrorAck) {
  auto ws = connect(member_);
  auto ack = command(*ws, "not json");
  EXPECT_EQ(ack.at("ok"), false);
  EXPECT_EQ(ack.at("error").at("code"), "invalid_argument");
  EXPECT_TRUE(ack.at("command").is_null());
  ack = command(*ws, R"({"type":"launch","id":"x"})");
  EXPECT_EQ(ack.at("error").at("code"), "invalid_argument");
  EXPECT_EQ(ack.at("id"), "x");
  ack = command(*ws, R"({"type":"request_changes","approval_id":1})");  // changes need a comment
  EXPECT_EQ(ack.at("error").at("code"), "invalid_argument");
  EXPECT_EQ(control_->calls(), 0u);
}

TEST_F(WorkflowSocketTest, UpgradeIsRefusedLikeAnyOtherRoute) {
  testing::WsClient anonymous(server_->port());
  EXPECT_EQ(anonymous.connect(path()).status, 401);
  testing::WsClient stranger(server_->port());
  EXPECT_EQ(stranger.connect(path(), auth(stranger_)).status, 404);
  auto plain = client()->request("GET", path(), "", auth(member_));
  EXPECT_EQ(plain.status, 426);
  EXPECT_EQ(plain.header("Upgrade"), "websocket");
}

}  // namespace
}  // namespace codecrew::api::test
