// RestClient: GitHub's and Jira's rate-limit answers honoured through the
// router's RetryPolicy and Sleeper (a FakeSleeper: no real waiting).
#include "integrations/rest_client.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <deque>
#include <mutex>

namespace codecrew::integrations {
namespace {

using std::chrono::milliseconds;

// Answers from a script, recording each request.
class ScriptedHttp final : public http::HttpClient {
 public:
  std::deque<core::Result<http::ClientResponse>> answers;
  std::vector<http::ClientRequest> seen;
  boost::asio::awaitable<core::Result<http::ClientResponse>> send(http::ClientRequest request) override {
    seen.push_back(request);
    if (answers.empty()) co_return http::ClientResponse{200, {}, "{}"};
    auto a = answers.front();
    answers.pop_front();
    co_return a;
  }
};

http::ClientResponse answer(int status, http::Headers headers = {}, std::string body = "{}") {
  return http::ClientResponse{status, std::move(headers), std::move(body)};
}

class RestClientTest : public ::testing::Test {
 protected:
  RestClientTest() {
    RestClientOptions o;
    o.name = "github";
    o.authorization = "Bearer secret-token";
    o.retry.max_attempts = 3;
    o.retry.max_retry_after = std::chrono::minutes(5);
    client_ = std::make_unique<RestClient>(http_, sleeper_, clock_, o);
  }
  core::Result<RestResponse> call(RestRequest r = {"GET", "https://api.example/x", std::nullopt, {}}) {
    boost::asio::io_context io;
    std::optional<core::Result<RestResponse>> out;
    boost::asio::co_spawn(
        io, [&]() -> boost::asio::awaitable<void> { out.emplace(co_await client_->call(std::move(r))); },
        boost::asio::detached);
    io.run();
    return std::move(*out);
  }
  std::shared_ptr<ScriptedHttp> http_ = std::make_shared<ScriptedHttp>();
  std::shared_ptr<core::FakeClock> clock_ = std::make_shared<core::FakeClock>(1'700'000'000'000);
  std::shared_ptr<llm::FakeSleeper> sleeper_ = std::make_shared<llm::FakeSleeper>(clock_);
  std::unique_ptr<RestClient> client_;
};

TEST_F(RestClientTest, RetryAfterIsWaitedExactly) {
  http_->answers.push_back(answer(429, {{"retry-after", "7"}}));
  http_->answers.push_back(answer(200, {}, R"({"ok": true})"));
  auto r = call();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->attempts, 2);
  EXPECT_TRUE(r->json.at("ok").as_bool());
  ASSERT_EQ(sleeper_->sleeps().size(), 1u);
  EXPECT_EQ(sleeper_->sleeps()[0], milliseconds(7000));
  EXPECT_EQ(*http::findHeader(http_->seen[0].headers, "Authorization"), "Bearer secret-token");
}

TEST_F(RestClientTest, SpentPrimaryLimitWaitsUntilTheReset) {
  auto reset = clock_->nowMillis() / 1000 + 30;
  http_->answers.push_back(answer(403, {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", std::to_string(reset)}},
                                  R"({"message": "API rate limit exceeded"})"));
  auto r = call();
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(sleeper_->sleeps().size(), 1u);
  EXPECT_GE(sleeper_->sleeps()[0], milliseconds(30'000));
  EXPECT_LE(sleeper_->sleeps()[0], milliseconds(31'000));
}

TEST_F(RestClientTest, SecondaryLimitBacksOffAndOtherForbiddensAreAnswers) {
  http_->answers.push_back(answer(403, {}, R"({"message": "You have exceeded a secondary rate limit."})"));
  auto r = call();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->attempts, 2);
  EXPECT_EQ(sleeper_->sleeps().size(), 1u);
  http_->answers.push_back(answer(403, {}, R"({"message": "Resource not accessible by integration"})"));
  auto denied = call();
  ASSERT_TRUE(denied.ok());
  EXPECT_EQ(denied->status, 403) << "a plain 403 is the caller's to judge";
  EXPECT_EQ(sleeper_->sleeps().size(), 1u);
}

TEST_F(RestClientTest, AWaitPastTheCapIsNotWaited) {
  http_->answers.push_back(answer(429, {{"retry-after", "3600"}}));
  auto r = call();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kResourceExhausted);
  EXPECT_TRUE(sleeper_->sleeps().empty());
  EXPECT_EQ(r.error().message.find("secret-token"), std::string::npos);
}

TEST_F(RestClientTest, ServerErrorsAndTransportFailuresAreTriedAgainThenReported) {
  http_->answers.push_back(answer(502));
  http_->answers.push_back(core::Error::unavailable("connection reset"));
  http_->answers.push_back(answer(503));
  auto r = call();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kUnavailable);
  EXPECT_EQ(http_->seen.size(), 3u);
  EXPECT_EQ(sleeper_->sleeps().size(), 2u);
  http_->answers.push_back(answer(404, {}, R"({"message": "Not Found"})"));
  auto missing = call();
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->attempts, 1);
}

TEST_F(RestClientTest, JsonBodiesAreSentWithTheirType) {
  auto r = call({"POST", "https://api.example/y", boost::json::value(boost::json::object{{"a", 1}}), {}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(http_->seen.back().body, R"({"a":1})");
  EXPECT_EQ(*http::findHeader(http_->seen.back().headers, "Content-Type"), "application/json");
}

}  // namespace
}  // namespace codecrew::integrations
