// POST /webhooks/github on its handler: the signature is checked on the raw
// body before anything else and a refusal stores nothing; a verified
// delivery is recorded once (a redelivery is "duplicate" and reaches the
// sink no more); pings are answered, ignored events acknowledged, the rest
// handed to the sink; every answer validates against WebhookAnswer.
#include "api/openapi.h"
#include "api/route_support.h"
#include "api/routes.h"
#include "api/schemas.h"
#include "core/crypto.h"
#include "integrations/github/webhook_signature.h"
#include "store/store_factory.h"
#include "support/temp_dir.h"
#include "tools/tool_registry.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <map>
#include <mutex>
#include <set>
#include <vector>

namespace codecrew::api {
namespace {

namespace github = integrations::github;
namespace json = boost::json;

constexpr const char* kSecret = "s3cret-for-tests";

class RecordingSink final : public github::HostEventSink {
 public:
  void accept(github::HostEvent event) override {
    std::lock_guard lock(mu_);
    events_.push_back(std::move(event));
  }
  std::vector<github::HostEvent> events() const {
    std::lock_guard lock(mu_);
    return events_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<github::HostEvent> events_;
};

const char* kCheckRun = R"({"action":"completed","check_run":{"id":7,"name":"build","head_sha":"abc123",
  "status":"completed","conclusion":"failure","html_url":"https://github.com/o/r/runs/7",
  "output":{"title":"1 failing test","summary":"test_x failed","text":"AssertionError"},
  "check_suite":{"head_branch":"codecrew/wf-1"},"pull_requests":[{"number":3}]},
  "repository":{"full_name":"o/r"},"sender":{"login":"github-actions[bot]"}})";

class WebhookRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::openSqliteStore((dir_.path() / "hooks.db").string(), std::make_shared<core::FakeClock>());
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::shared_ptr<store::Store>(std::move(*opened));
    build(kSecret, sink_);
  }

  void build(const std::string& secret, std::shared_ptr<github::HostEventSink> sink) {
    auto ctx = std::make_shared<ApiContext>();
    ctx->store = store_;
    ctx->clock = std::make_shared<core::FakeClock>();
    ctx->github_webhook.secret = secret;
    ctx->host_events = std::move(sink);
    router_ = std::make_unique<http::Router>();
    registerWebhookRoutes(*router_, ctx);
  }

  struct Answer {
    int status = 0;
    json::value body;
  };

  Answer post(const std::string& body, std::map<std::string, std::string, http::CaseInsensitiveLess> headers) {
    http::Request req;
    req.method = "POST";
    req.path = req.target = "/webhooks/github";
    req.body = body;
    req.headers = std::move(headers);
    auto match = router_->match("POST", "/webhooks/github");
    EXPECT_NE(match.route, nullptr);
    auto response = match.route->handler(req);
    Answer a{response.status, json::parse(response.body)};
    if (response.status < 300) expectValidAnswer(a.body);
    return a;
  }

  // A delivery as GitHub signs it.
  Answer deliver(const std::string& event, const std::string& delivery, const std::string& body) {
    return post(body, {{"X-GitHub-Event", event},
                       {"X-GitHub-Delivery", delivery},
                       {"X-Hub-Signature-256", github::webhookSignature(kSecret, body)},
                       {"Content-Type", "application/json"}});
  }

  static void expectValidAnswer(const json::value& body) {
    json::object schemas;
    for (const auto& [n, s] : schemaComponents().all()) schemas[n] = s;
    json::object root = schemaRef("WebhookAnswer");
    root["components"] = json::object{{"schemas", std::move(schemas)}};
    auto st = tools::validateAgainstSchema(root, body);
    EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().message) << "\n" << json::serialize(body);
  }

  bool recorded(const std::string& delivery) {
    auto d = store_->findWebhookDelivery(delivery);
    EXPECT_TRUE(d.ok());
    return d.ok() && d->has_value();
  }

  static std::string errorMessage(const Answer& a) { return std::string(a.body.at("error").at("message").as_string()); }

  testing::TempDir dir_;
  std::shared_ptr<store::Store> store_;
  std::shared_ptr<RecordingSink> sink_ = std::make_shared<RecordingSink>();
  std::unique_ptr<http::Router> router_;
};

TEST_F(WebhookRoutesTest, ASignedCheckRunIsRecordedAndQueued) {
  auto a = deliver("check_run", "guid-1", kCheckRun);
  EXPECT_EQ(a.status, 202) << json::serialize(a.body);
  EXPECT_EQ(a.body.at("status"), "queued");
  EXPECT_EQ(a.body.at("delivery"), "guid-1");
  EXPECT_EQ(a.body.at("event"), "check_run");
  auto events = sink_->events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, github::HostEventKind::kCheckRun);
  EXPECT_EQ(events[0].delivery_id, "guid-1");
  EXPECT_EQ(events[0].repository, "o/r");
  EXPECT_EQ(events[0].head_branch, "codecrew/wf-1");
  EXPECT_EQ(events[0].pull_numbers, std::vector<std::int64_t>{3});
  auto d = store_->findWebhookDelivery("guid-1");
  ASSERT_TRUE(d.ok() && d->has_value());
  EXPECT_EQ((*d)->event, "check_run");
  EXPECT_EQ((*d)->action, "completed");
  EXPECT_EQ((*d)->repository, "o/r");
  EXPECT_EQ((*d)->outcome, "queued");
}

TEST_F(WebhookRoutesTest, TheSameDeliveryTwiceActsOnce) {
  EXPECT_EQ(deliver("check_run", "guid-2", kCheckRun).status, 202);
  auto again = deliver("check_run", "guid-2", kCheckRun);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body.at("status"), "duplicate");
  EXPECT_EQ(sink_->events().size(), 1u);
  EXPECT_EQ(deliver("check_run", "guid-3", kCheckRun).status, 202) << "another delivery of the same event acts";
  EXPECT_EQ(sink_->events().size(), 2u);
}

TEST_F(WebhookRoutesTest, ATamperedBodyIsRefusedAndNothingStored) {
  std::string body = kCheckRun;
  auto signature = github::webhookSignature(kSecret, body);
  body.replace(body.find("failure"), 7, "success");
  auto a = post(body,
                {{"X-GitHub-Event", "check_run"}, {"X-GitHub-Delivery", "guid-t"}, {"X-Hub-Signature-256", signature}});
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.body.at("error").at("code"), "unauthenticated");
  EXPECT_NE(errorMessage(a).find("does not match"), std::string::npos) << errorMessage(a);
  EXPECT_FALSE(recorded("guid-t"));
  EXPECT_TRUE(sink_->events().empty());
}

TEST_F(WebhookRoutesTest, AMissingOrSha1OnlySignatureIsRefused) {
  auto missing = post(kCheckRun, {{"X-GitHub-Event", "check_run"}, {"X-GitHub-Delivery", "guid-m"}});
  EXPECT_EQ(missing.status, 401);
  EXPECT_NE(errorMessage(missing).find("missing X-Hub-Signature-256"), std::string::npos);
  auto sha1 = post(kCheckRun, {{"X-GitHub-Event", "check_run"},
                               {"X-GitHub-Delivery", "guid-s"},
                               {"X-Hub-Signature", "sha1=" + core::sha256Hex("x").substr(0, 40)}});
  EXPECT_EQ(sha1.status, 401);
  auto wrong_secret = post(kCheckRun, {{"X-GitHub-Event", "check_run"},
                                       {"X-GitHub-Delivery", "guid-w"},
                                       {"X-Hub-Signature-256", github::webhookSignature("other", kCheckRun)}});
  EXPECT_EQ(wrong_secret.status, 401);
  EXPECT_FALSE(recorded("guid-m"));
  EXPECT_FALSE(recorded("guid-s"));
  EXPECT_FALSE(recorded("guid-w"));
  EXPECT_TRUE(sink_->events().empty());
}

TEST_F(WebhookRoutesTest, TheSignatureIsCheckedBeforeTheBodyIsRead) {
  // Not JSON, unsigned: 401, not 400.
  EXPECT_EQ(post("{not json", {{"X-GitHub-Event", "ping"}, {"X-GitHub-Delivery", "g"}}).status, 401);
  // Not JSON, signed: 400, nothing stored.
  auto bad = deliver("pull_request", "guid-bad", "{not json");
  EXPECT_EQ(bad.status, 400);
  EXPECT_FALSE(recorded("guid-bad"));
}

TEST_F(WebhookRoutesTest, DeliveryAndEventHeadersAreRequired) {
  const std::string body = R"({"zen":"Practicality beats purity."})";
  auto no_delivery = post(body, {{"X-GitHub-Event", "ping"},
                                 {"X-Hub-Signature-256", github::webhookSignature(kSecret, body)}});
  EXPECT_EQ(no_delivery.status, 400);
  EXPECT_NE(errorMessage(no_delivery).find("X-GitHub-Delivery"), std::string::npos);
  auto no_event = post(body, {{"X-GitHub-Delivery", "guid-e"},
                              {"X-Hub-Signature-256", github::webhookSignature(kSecret, body)}});
  EXPECT_EQ(no_event.status, 400);
  EXPECT_NE(errorMessage(no_event).find("X-GitHub-Event"), std::string::npos);
  EXPECT_FALSE(recorded("guid-e"));
}

TEST_F(WebhookRoutesTest, APingIsAnswered) {
  auto a = deliver("ping", "guid-p", R"({"zen":"Practicality beats purity.","hook_id":1})");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body.at("status"), "pong");
  EXPECT_EQ(a.body.at("zen"), "Practicality beats purity.");
  EXPECT_TRUE(sink_->events().empty());
  EXPECT_TRUE(recorded("guid-p"));
}

TEST_F(WebhookRoutesTest, UnknownEventsAndActionsAreAcknowledgedAndIgnored) {
  auto push = deliver("push", "guid-push", R"({"ref":"refs/heads/main","repository":{"full_name":"o/r"}})");
  EXPECT_EQ(push.status, 202);
  EXPECT_EQ(push.body.at("status"), "ignored");
  EXPECT_NE(push.body.at("reason").as_string().find("push"), std::string::npos);
  auto labeled = deliver("pull_request", "guid-label",
                         R"({"action":"labeled","pull_request":{"number":3},"repository":{"full_name":"o/r"}})");
  EXPECT_EQ(labeled.status, 202);
  EXPECT_EQ(labeled.body.at("status"), "ignored");
  EXPECT_TRUE(sink_->events().empty());
  auto d = store_->findWebhookDelivery("guid-label");
  ASSERT_TRUE(d.ok() && d->has_value());
  EXPECT_EQ((*d)->outcome, "ignored");
}

TEST_F(WebhookRoutesTest, AFormEncodedDeliveryIsReadFromItsPayloadField) {
  const std::string body = "payload=%7B%22zen%22%3A%22Avoid+administrative+distraction.%22%7D";
  auto a = post(body, {{"X-GitHub-Event", "ping"},
                       {"X-GitHub-Delivery", "guid-form"},
                       {"Content-Type", "application/x-www-form-urlencoded"},
                       {"X-Hub-Signature-256", github::webhookSignature(kSecret, body)}});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body.at("zen"), "Avoid administrative distraction.");
}

TEST_F(WebhookRoutesTest, WithoutASinkADeliveryIsRecordedAndIgnored) {
  build(kSecret, nullptr);
  auto a = deliver("check_run", "guid-nosink", kCheckRun);
  EXPECT_EQ(a.status, 202);
  EXPECT_EQ(a.body.at("status"), "ignored");
  EXPECT_NE(a.body.at("reason").as_string().find("pull-request loop"), std::string::npos);
  auto d = store_->findWebhookDelivery("guid-nosink");
  ASSERT_TRUE(d.ok() && d->has_value());
  EXPECT_EQ((*d)->outcome, "unrouted");
}

TEST_F(WebhookRoutesTest, WithoutASecretTheRouteIsUnavailable) {
  build("", sink_);
  auto a = deliver("ping", "guid-nosecret", R"({"zen":"x"})");
  EXPECT_EQ(a.status, 503);
  EXPECT_NE(errorMessage(a).find("GITHUB_WEBHOOK_SECRET"), std::string::npos);
  EXPECT_NE(errorMessage(a).find("webhook_secret"), std::string::npos);
  EXPECT_FALSE(recorded("guid-nosecret"));
}

TEST_F(WebhookRoutesTest, TheDocumentShowsAPublicRouteWithItsHeadersAndRefusals) {
  auto doc = buildOpenApi(*router_, "test");
  const auto& op = doc.at("paths").at("/webhooks/github").at("post").as_object();
  EXPECT_EQ(op.at("operationId"), "receiveGitHubWebhook");
  EXPECT_TRUE(op.at("security").as_array().empty()) << "no API key: the signature authenticates";
  std::set<std::string> headers;
  for (const auto& p : op.at("parameters").as_array()) {
    EXPECT_EQ(p.at("in"), "header");
    EXPECT_TRUE(p.at("required").as_bool());
    headers.insert(std::string(p.at("name").as_string()));
  }
  EXPECT_EQ(headers, (std::set<std::string>{"X-Hub-Signature-256", "X-GitHub-Event", "X-GitHub-Delivery"}));
  const auto& responses = op.at("responses").as_object();
  for (const char* status : {"200", "202"})
    EXPECT_EQ(responses.at(status).at("content").at("application/json").at("schema").at("$ref"),
              "#/components/schemas/WebhookAnswer");
  for (const char* status : {"400", "401", "503"})
    EXPECT_EQ(responses.at(status).at("content").at("application/json").at("schema").at("$ref"),
              "#/components/schemas/Error")
        << status;
  EXPECT_FALSE(responses.contains("429")) << "public: no key, no key rate";
  EXPECT_EQ(op.at("requestBody").at("content").at("application/json").at("schema").at("$ref"),
            "#/components/schemas/WebhookPayload");
}

}  // namespace
}  // namespace codecrew::api
