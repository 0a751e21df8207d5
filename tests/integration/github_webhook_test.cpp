// POST /webhooks/github on the real binary, with no API key (the signature
// authenticates): GitHub's test vector passes the check, a tampered body, a
// missing header and a SHA-1-only header are 401; a signed ping is
// answered; the same delivery twice acts once; an unknown event is
// acknowledged and ignored; without a secret the route is 503.
#include "support/github_webhook.h"
#include "api_fixture.h"

#include <fstream>
#include <sstream>

namespace codecrew::testing {
namespace {

// GitHub's published test vector ("Validating webhook deliveries").
constexpr const char* kVectorSecret = "It's a Secret to Everybody";
constexpr const char* kVectorSignature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

std::string payload(const std::string& name) {
  std::ifstream in(std::string(CODECREW_SOURCE_DIR) + "/tests/data/github/" + name, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class GitHubWebhookTest : public ApiTest {
 protected:
  std::map<std::string, std::string> serverEnv() const override { return {{"GITHUB_WEBHOOK_SECRET", kVectorSecret}}; }

  HttpResult deliver(const std::string& event, const std::string& delivery, const std::string& body) {
    return post(body, githubWebhookHeaders(event, delivery, kVectorSecret, body));
  }
  HttpResult post(const std::string& body, const HeaderList& headers) {
    return call("POST", "/webhooks/github", body, "none", headers);
  }
  bool recorded(const std::string& delivery) {
    auto d = db().findWebhookDelivery(delivery);
    return d.ok() && d->has_value();
  }
};

TEST_F(GitHubWebhookTest, ASignedPingIsAnsweredWithoutAKey) {
  auto r = deliver("ping", "ping-1", payload("ping.json"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("status"), "pong");
  EXPECT_EQ(r.json().at("zen"), "Design for failure.");
  EXPECT_EQ(r.json().at("delivery"), "ping-1");
  EXPECT_TRUE(recorded("ping-1"));
}

TEST_F(GitHubWebhookTest, GitHubsTestVectorPassesTheSignatureCheck) {
  // "Hello, World!" is signed right but is no JSON payload: past the
  // signature (not 401), refused as a payload (400).
  auto r = post("Hello, World!", {{"X-GitHub-Event", "ping"},
                                  {"X-GitHub-Delivery", "vector-1"},
                                  {"X-Hub-Signature-256", kVectorSignature}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("not JSON"), std::string::npos) << r.body;
  auto changed = post("Hello, World?", {{"X-GitHub-Event", "ping"},
                                        {"X-GitHub-Delivery", "vector-2"},
                                        {"X-Hub-Signature-256", kVectorSignature}});
  EXPECT_EQ(changed.status, 401) << changed.body;
  EXPECT_FALSE(recorded("vector-1"));
  EXPECT_FALSE(recorded("vector-2"));
}

TEST_F(GitHubWebhookTest, ATamperedBodyIsRefused) {
  auto body = payload("check_run.completed.json");
  auto headers = githubWebhookHeaders("check_run", "tampered-1", kVectorSecret, body);
  body.replace(body.find("\"failure\""), 9, "\"success\"");
  auto r = post(body, headers);
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(r.json().at("error").at("code"), "unauthenticated");
  EXPECT_FALSE(recorded("tampered-1"));
}

TEST_F(GitHubWebhookTest, AMissingOrSha1OnlySignatureIsRefused) {
  auto body = payload("ping.json");
  auto missing = post(body, {{"X-GitHub-Event", "ping"}, {"X-GitHub-Delivery", "missing-1"}});
  EXPECT_EQ(missing.status, 401) << missing.body;
  EXPECT_NE(missing.body.find("X-Hub-Signature-256"), std::string::npos) << missing.body;
  auto sha1 = post(body, {{"X-GitHub-Event", "ping"},
                          {"X-GitHub-Delivery", "sha1-1"},
                          {"X-Hub-Signature", "sha1=7d38cdd689735b008b3c702edd92eea23791c5f6"}});
  EXPECT_EQ(sha1.status, 401) << sha1.body;
  auto sha1_in_256 = post(body, {{"X-GitHub-Event", "ping"},
                                 {"X-GitHub-Delivery", "sha1-2"},
                                 {"X-Hub-Signature-256", "sha1=7d38cdd689735b008b3c702edd92eea23791c5f6"}});
  EXPECT_EQ(sha1_in_256.status, 401) << sha1_in_256.body;
  EXPECT_FALSE(recorded("missing-1"));
  EXPECT_FALSE(recorded("sha1-1"));
  EXPECT_FALSE(recorded("sha1-2"));
}

TEST_F(GitHubWebhookTest, TheSameDeliverySentTwiceActsOnce) {
  auto body = payload("check_run.completed.json");
  auto first = deliver("check_run", "dup-1", body);
  ASSERT_EQ(first.status, 202) << first.body;
  // Recorded and queued, or recorded only while no pull-request loop is attached.
  EXPECT_NE(first.json().at("status"), "duplicate");
  auto second = deliver("check_run", "dup-1", body);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.json().at("status"), "duplicate");
  auto d = db().findWebhookDelivery("dup-1");
  ASSERT_TRUE(d.ok() && d->has_value());
  EXPECT_EQ((*d)->event, "check_run");
  EXPECT_EQ((*d)->action, "completed");
  EXPECT_EQ((*d)->repository, "octo-org/widgets");
}

TEST_F(GitHubWebhookTest, AnUnknownEventIsAcknowledgedAndIgnored) {
  auto r = deliver("star", "star-1", R"({"action":"created","repository":{"full_name":"octo-org/widgets"}})");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.json().at("status"), "ignored");
  auto issue = deliver("issue_comment", "issue-1", payload("issue_comment.created.issue.json"));
  ASSERT_EQ(issue.status, 202) << issue.body;
  EXPECT_EQ(issue.json().at("status"), "ignored");
  EXPECT_TRUE(recorded("star-1"));
}

TEST_F(GitHubWebhookTest, AFormEncodedDeliveryIsAccepted) {
  const std::string body = "payload=%7B%22zen%22%3A%22Speak+like+a+human.%22%7D";
  auto headers = githubWebhookHeaders("ping", "form-1", kVectorSecret, body);
  for (auto& [k, v] : headers)
    if (k == "Content-Type") v = "application/x-www-form-urlencoded";
  auto r = post(body, headers);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("zen"), "Speak like a human.");
}

class GitHubWebhookWithoutSecretTest : public ApiTest {
 protected:
  // Empty: as if unset (a developer's own environment must not leak in).
  std::map<std::string, std::string> serverEnv() const override { return {{"GITHUB_WEBHOOK_SECRET", ""}}; }
};

TEST_F(GitHubWebhookWithoutSecretTest, TheRouteIsUnavailableAndSaysWhatToSet) {
  auto body = payload("ping.json");
  auto r = call("POST", "/webhooks/github", body, "none", githubWebhookHeaders("ping", "nosecret-1", "any", body));
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_NE(r.body.find("GITHUB_WEBHOOK_SECRET"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("webhook_secret"), std::string::npos) << r.body;
  auto d = db().findWebhookDelivery("nosecret-1");
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->has_value());
}

}  // namespace
}  // namespace codecrew::testing
