// Authentication, roles and tenant isolation against the real binary.
#include "api_fixture.h"

#include <chrono>
#include <thread>

namespace codecrew::testing {
namespace {

class AuthTest : public ApiTest {};

TEST_F(AuthTest, HealthNeedsNoKey) {
  auto r = call("GET", "/health", "", "none");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json().at("status").as_string(), "ok");
  EXPECT_TRUE(r.json().at("database").at("ok").as_bool());
}

TEST_F(AuthTest, MissingKeyIs401) {
  auto r = call("GET", "/workflows", "", "none");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json().at("error").at("code").as_string(), "unauthenticated");
  EXPECT_NE(std::string(r.json().at("error").at("message").as_string()).find("Bearer"), std::string::npos);
}

TEST_F(AuthTest, BadAndMalformedKeysAre401) {
  EXPECT_EQ(call("GET", "/workflows", "", "cc_0000000000000000000000000000000000000000000000").status, 401);
  auto r = client_->request("GET", "/workflows", "", {{"Authorization", "Basic abc"}});
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find("malformed"), std::string::npos);
}

TEST_F(AuthTest, RevokedKeyIs401) {
  auto key = createKey("acme", "member");
  EXPECT_EQ(call("GET", "/workflows", "", key).status, 200);
  auto list = runCommand(binary(), {"keys", "list", "--tenant", "acme", "--data-dir", dir_.str()});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out.find(key), std::string::npos) << "keys list must never print secrets";
  // The newest key has the highest id: revoke it by the id the store gives.
  auto keys = db().listApiKeys(tenantId("acme"));
  ASSERT_TRUE(keys.ok());
  core::Id newest = 0;
  for (const auto& k : *keys) newest = std::max(newest, k.id);
  auto revoke = runCommand(binary(), {"keys", "revoke", std::to_string(newest), "--data-dir", dir_.str()});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  // The server trusts a key it has seen for [server] auth_cache_seconds
  // (default 2): the revocation must reach it within that.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(4);
  auto r = call("GET", "/workflows", "", key);
  while (r.status != 401 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    r = call("GET", "/workflows", "", key);
  }
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find("revoked"), std::string::npos);
  EXPECT_EQ(call("GET", "/workflows", "", admin_key_).status, 200);
}

TEST_F(AuthTest, KeysAreStoredOnlyAsHashes) {
  auto keys = db().listApiKeys(std::nullopt);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 4u);
  for (const auto& k : *keys) {
    EXPECT_EQ(k.key_hash.size(), 64u);
    EXPECT_NE(k.key_hash, admin_key_);
    EXPECT_EQ(admin_key_.find(k.key_hash), std::string::npos);
  }
}

TEST_F(AuthTest, ViewerCanReadButNotMutate) {
  auto id = createWorkflow("wf");
  EXPECT_EQ(call("GET", "/workflows/" + std::to_string(id), "", viewer_key_).status, 200);
  auto r = call("POST", "/workflows", R"({"name":"v"})", viewer_key_);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.json().at("error").at("code").as_string(), "permission_denied");
  EXPECT_EQ(call("DELETE", "/workflows/" + std::to_string(id), "", viewer_key_).status, 403);
  EXPECT_EQ(call("POST", "/workflows/" + std::to_string(id) + "/executions/start", "", viewer_key_).status, 403);
  auto list = call("GET", "/workflows", "", viewer_key_).json();
  EXPECT_EQ(list.at("total").as_int64(), 1) << "the viewer's refused create must store nothing";
}

TEST_F(AuthTest, MemberCanMutate) { EXPECT_EQ(call("POST", "/workflows", R"({"name":"m"})", member_key_).status, 201); }

TEST_F(AuthTest, OtherTenantsObjectsAre404) {
  auto id = std::to_string(createWorkflow("acme-only"));
  auto start = call("POST", "/workflows/" + id + "/executions/start");
  ASSERT_EQ(start.status, 202) << start.body;
  auto eid = std::to_string(start.json().at("execution").at("id").as_int64());
  EXPECT_EQ(call("GET", "/workflows/" + id, "", other_key_).status, 404);
  EXPECT_EQ(call("DELETE", "/workflows/" + id, "", other_key_).status, 404);
  EXPECT_EQ(call("GET", "/workflows/" + id + "/executions", "", other_key_).status, 404);
  EXPECT_EQ(call("GET", "/workflows/" + id + "/executions/" + eid, "", other_key_).status, 404);
  EXPECT_EQ(call("POST", "/workflows/" + id + "/executions/start", "", other_key_).status, 404);
  EXPECT_EQ(call("GET", "/workflows/" + id + "/compare?with=" + id, "", other_key_).status, 404);
  EXPECT_EQ(call("GET", "/workflows", "", other_key_).json().at("total").as_int64(), 0);
  EXPECT_EQ(call("GET", "/workflows/" + id).status, 200) << "still there for its owner";
}

TEST_F(AuthTest, MutationsAreAudited) {
  createWorkflow("audited");
  call("POST", "/workflows", R"({"name":"x"})", viewer_key_);
  auto audit = db().listAudit(tenantId("acme"), {1, 50});
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->total, 2);
  bool saw_create = false, saw_refusal = false;
  for (const auto& e : audit->items) {
    EXPECT_FALSE(e.request_id.empty());
    saw_create |= e.action == "workflow.create" && e.status == 201;
    saw_refusal |= e.status == 403;
  }
  EXPECT_TRUE(saw_create);
  EXPECT_TRUE(saw_refusal) << "a refused mutation attempt is audited too";
}

TEST_F(AuthTest, DevModeNeedsNoKeyAndRefusesNonLoopback) {
  TempDir dev_dir;
  ServerProcess dev(binary(), dev_dir.str(), {"--dev"});
  HttpClient c("127.0.0.1", dev.port());
  EXPECT_EQ(c.request("GET", "/workflows").status, 200);
  // Standard error is a pipe here: the warning is a log line, and the
  // banner box (for terminals) does not break the JSON log stream.
  EXPECT_NE(dev.stderrText().find("dev mode: authentication is off"), std::string::npos) << dev.stderrText();
  EXPECT_EQ(dev.stderrText().find("DEV MODE"), std::string::npos) << dev.stderrText();
  auto r = runCommand(binary(), {"serve", "--dev", "--host", "0.0.0.0", "--port", "0", "--data-dir", dev_dir.str()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("loopback"), std::string::npos);
}

// A --dev server has no keys, so a page of another site must not drive it:
// a foreign Host (DNS rebinding) is refused, and so are state-changing
// requests and WebSocket upgrades from another origin, and bodies that are
// not JSON (a cross-site "simple request"). The dev's own tab still works.
TEST_F(AuthTest, DevModeRefusesOtherSites) {
  TempDir dev_dir;
  ServerProcess dev(binary(), dev_dir.str(), {"--dev", "--no-engine"});
  HttpClient c("127.0.0.1", dev.port());
  const std::string self = "http://127.0.0.1:" + std::to_string(dev.port());
  const std::string body = R"({"name":"from a page"})";
  auto foreign_host = c.request("GET", "/workflows", "", {{"Host", "evil.example"}});
  EXPECT_EQ(foreign_host.status, 403) << foreign_host.body;
  auto cross_post = c.request("POST", "/workflows", body, {{"Origin", "http://evil.example"}});
  EXPECT_EQ(cross_post.status, 403) << cross_post.body;
  auto fetch_metadata = c.request("POST", "/workflows", body, {{"Sec-Fetch-Site", "cross-site"}});
  EXPECT_EQ(fetch_metadata.status, 403) << fetch_metadata.body;
  auto other_port = c.request("POST", "/workflows", body,
                              {{"Host", "127.0.0.1:" + std::to_string(dev.port())}, {"Origin", "http://127.0.0.1:1"}});
  EXPECT_EQ(other_port.status, 403) << other_port.body;
  auto text_plain = c.request("POST", "/workflows", body, {{"Content-Type", "text/plain"}, {"Origin", self}});
  EXPECT_EQ(text_plain.status, 415) << text_plain.body;
  auto v1_text = c.request("POST", "/v1/chat/completions", R"({"model":"x","messages":[]})",
                           {{"Content-Type", "text/plain"}, {"Origin", self}});
  EXPECT_EQ(v1_text.status, 415) << v1_text.body;
  auto upgrade = c.request("GET", "/ws/workflows/1", "",
                           {{"Upgrade", "websocket"},
                            {"Connection", "Upgrade"},
                            {"Origin", "http://evil.example"},
                            {"Sec-WebSocket-Version", "13"},
                            {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}});
  EXPECT_EQ(upgrade.status, 403) << upgrade.body;
  EXPECT_EQ(c.request("GET", "/workflows").json().at("total").as_int64(), 0) << "nothing was created";
  auto own_tab = c.request("POST", "/workflows", body,
                           {{"Host", "127.0.0.1:" + std::to_string(dev.port())},
                            {"Origin", self},
                            {"Sec-Fetch-Site", "same-origin"}});
  EXPECT_EQ(own_tab.status, 201) << own_tab.body;
  auto localhost = c.request("GET", "/workflows", "", {{"Host", "localhost:" + std::to_string(dev.port())}});
  EXPECT_EQ(localhost.status, 200);
}

}  // namespace
}  // namespace codecrew::testing
