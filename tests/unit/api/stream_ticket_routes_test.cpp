// POST /workflows/{id}/stream-tickets and ?ticket= on the live routes,
// through a real server on a fake clock: a ticket opens one SSE stream or
// WebSocket of its workflow, once, within 60 s, as its key; another
// workflow, another tenant, a used, expired or revoked-key ticket is 401.
#include "live_fixture.h"
#include "sse_reader.h"
#include "support/ws_client.h"

namespace codecrew::api::test {
namespace {

using namespace std::chrono_literals;

class StreamTicketRoutesTest : public LiveTest {
 protected:
  void SetUp() override { start(); }
  std::string events(core::Id workflow, const std::string& ticket) const {
    return "/events/workflows/" + std::to_string(workflow) + "?ticket=" + ticket;
  }
  int sseStatus(core::Id workflow, const std::string& ticket) {
    return client()->stream("GET", events(workflow, ticket)).status();
  }
};

TEST_F(StreamTicketRoutesTest, ATicketOpensOneStreamOfItsWorkflowOnce) {
  auto r = client()->request("POST", "/workflows/" + std::to_string(workflow_) + "/stream-tickets", "", auth(viewer_));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().at("expires_in").as_int64(), 60);
  EXPECT_EQ(r.json().at("workflow_id").as_int64(), workflow_);
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
  std::string t(r.json().at("ticket").as_string());

  append("execution.status", {{"status", "running"}});
  auto c = client();
  SseReader sse(c->stream("GET", events(workflow_, t)));  // no Authorization header
  ASSERT_EQ(sse.stream().status(), 200);
  auto first = sse.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, 1);

  auto again = client()->request("GET", events(workflow_, t));
  EXPECT_EQ(again.status, 401) << "single use";
  EXPECT_EQ(again.json().at("error").at("message"), "invalid, used or expired stream ticket");
}

TEST_F(StreamTicketRoutesTest, AnExpiredTicketIsRefused) {
  auto t = ticket(member_, workflow_);
  clock_->advance(60s);
  EXPECT_EQ(sseStatus(workflow_, t), 401);
}

TEST_F(StreamTicketRoutesTest, ATicketForAnotherWorkflowOrTenantIsRefused) {
  auto second = newWorkflow(*tenantOf("acme"));
  auto t = ticket(member_, workflow_);
  EXPECT_EQ(sseStatus(second, t), 401) << "another workflow of the same tenant";
  t = ticket(member_, workflow_);
  EXPECT_EQ(sseStatus(other_workflow_, t), 401) << "another tenant's workflow";
  auto theirs = ticket(stranger_, other_workflow_);
  EXPECT_EQ(sseStatus(workflow_, theirs), 401) << "another tenant's ticket";
  // Nobody gets a ticket for another tenant's workflow, or without a key.
  auto foreign = client()->request("POST", "/workflows/" + std::to_string(workflow_) + "/stream-tickets", "",
                                   auth(stranger_));
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(client()->request("POST", "/workflows/" + std::to_string(workflow_) + "/stream-tickets").status, 401);
  EXPECT_EQ(sseStatus(workflow_, "cst_forged"), 401);
}

TEST_F(StreamTicketRoutesTest, ATicketOfARevokedKeyIsRefused) {
  auto t = ticket(member_, workflow_);
  revoke(member_);
  auto r = client()->request("GET", events(workflow_, t));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json().at("error").at("message"), "API key revoked");
}

TEST_F(StreamTicketRoutesTest, ATicketOpensAWebSocketThatActsAsItsKey) {
  auto t = ticket(viewer_, workflow_);
  testing::WsClient ws(server_->port());
  ASSERT_EQ(ws.connect("/ws/workflows/" + std::to_string(workflow_) + "?ticket=" + t).status, 101);
  ws.send(R"({"type":"cancel","execution_id":3})");
  auto ack = ws.read();
  ASSERT_TRUE(ack);
  EXPECT_NE(ack->find("permission_denied"), std::string::npos) << "a viewer's ticket is a viewer's: " << *ack;
  testing::WsClient reuse(server_->port());
  EXPECT_EQ(reuse.connect("/ws/workflows/" + std::to_string(workflow_) + "?ticket=" + t).status, 401);
}

}  // namespace
}  // namespace codecrew::api::test
