// OpenRouter, Groq and a generic OpenAI-compatible base URL over the wire:
// configured as users configure them (TOML tables, keys from their usual
// variables, base URLs pointed at the fake upstream), reached through the
// router by "<provider>/<model>" names (OpenRouter's ids contain a slash),
// whole and streamed. Checks the path under each base URL, the auth and
// extra headers, the model id sent, and the decoded answer.
#include "core/config.h"
#include "fake_upstream.h"
#include "llm/llm_config.h"
#include "wire_router.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace codecrew::llm {
namespace {

using testing::FakeReply;
using testing::FakeUpstream;
namespace bj = boost::json;

class CompatibleProvidersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(upstream_.start().ok());
    const std::string base = upstream_.baseUrl();
    auto parsed = core::parseConfig(R"(
[providers.openrouter]
base_url = ")" + base + R"(/api/v1"

[providers.groq]
base_url = ")" + base + R"(/openai/v1/"

[providers.local]
kind = "openai_compatible"
base_url = ")" + base + R"(/serving/v1"
models = ["qwen2.5-coder"]
)",
                                    {});
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    auto config = loadLlmConfig(parsed->document, {{"OPENROUTER_API_KEY", "sk-or-v1-0123456789abcdef"},
                                                   {"GROQ_API_KEY", "gsk_0123456789abcdef"}});
    ASSERT_TRUE(config.ok()) << config.error().message;
    wire_ = std::make_unique<test::WireRouter>(config.value());
  }

  core::Result<RoutedResponse> ask(const std::string& model, bool stream, std::string* streamed = nullptr) {
    RolePolicy policy{"r", model, {}};
    policy.retry.max_attempts = 1;
    wire_->router.setPolicy(policy);
    ChatRequest request;
    request.messages = {Message::system("be brief"), Message::user("hi")};
    if (!stream) return wire_->chat("r", request);
    return wire_->stream("r", request, [streamed](const StreamDelta& d) {
      if (d.kind == StreamDelta::Kind::kText) *streamed += d.text;
    });
  }

  FakeUpstream upstream_;
  std::unique_ptr<test::WireRouter> wire_;
};

TEST_F(CompatibleProvidersTest, OpenRouterKeepsTheSlashedModelIdAndSendsItsHeaders) {
  upstream_.enqueue(FakeReply::text_reply("via openrouter"));
  auto r = ask("openrouter/anthropic/claude-sonnet-4", false);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->response.message.content, "via openrouter");
  EXPECT_EQ(r->provider, "openrouter");
  auto got = upstream_.requests().at(0);
  EXPECT_EQ(got.target, "/api/v1/chat/completions");
  EXPECT_EQ(got.header("Authorization"), "Bearer sk-or-v1-0123456789abcdef");
  EXPECT_EQ(got.header("X-Title"), "codecrew");
  EXPECT_EQ(bj::parse(got.body).at("model"), "anthropic/claude-sonnet-4");
  EXPECT_EQ(wire_->recorder->calls().at(0).model, "anthropic/claude-sonnet-4");
}

TEST_F(CompatibleProvidersTest, OpenRouterStreams) {
  upstream_.enqueue(FakeReply::text_reply("streamed through openrouter"));
  std::string streamed;
  auto r = ask("openrouter/meta-llama/llama-3.3-70b-instruct", true, &streamed);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(streamed, "streamed through openrouter");
  EXPECT_EQ(r->response.usage.prompt_tokens, 12);
  auto got = upstream_.requests().at(0);
  EXPECT_TRUE(got.stream);
  EXPECT_EQ(got.target, "/api/v1/chat/completions");
}

TEST_F(CompatibleProvidersTest, GroqUsesItsKeyAndOpenAiPath) {
  upstream_.enqueue(FakeReply::text_reply("fast answer"));
  auto r = ask("groq/llama-3.3-70b-versatile", false);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->response.message.content, "fast answer");
  auto got = upstream_.requests().at(0);
  EXPECT_EQ(got.target, "/openai/v1/chat/completions");
  EXPECT_EQ(got.header("Authorization"), "Bearer gsk_0123456789abcdef");
  EXPECT_EQ(got.header("X-Title"), "");
  EXPECT_EQ(bj::parse(got.body).at("model"), "llama-3.3-70b-versatile");

  upstream_.enqueue(FakeReply::text_reply("fast stream"));
  std::string streamed;
  auto s = ask("groq/llama-3.3-70b-versatile", true, &streamed);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(streamed, "fast stream");
}

TEST_F(CompatibleProvidersTest, GroqRateLimitIsClassifiedFromTheWire) {
  upstream_.enqueue(FakeReply::error(429, "Rate limit reached for model", "3"));
  auto r = ask("groq/llama-3.3-70b-versatile", false);
  ASSERT_FALSE(r.ok());
  auto info = classifyFailure(r.error());
  EXPECT_EQ(info.kind, FailureKind::kRateLimited);
  EXPECT_EQ(info.retry_after, std::chrono::milliseconds(3000));
}

TEST_F(CompatibleProvidersTest, GenericBaseUrlWithoutAKeyServesItsListedModels) {
  upstream_.enqueue(FakeReply::text_reply("local model here"));
  auto r = ask("qwen2.5-coder", false);  // found through the provider's models list
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->provider, "local");
  EXPECT_EQ(r->response.message.content, "local model here");
  auto got = upstream_.requests().at(0);
  EXPECT_EQ(got.target, "/serving/v1/chat/completions");
  EXPECT_EQ(got.header("Authorization"), "");
  EXPECT_EQ(bj::parse(got.body).at("model"), "qwen2.5-coder");

  FakeReply tool = FakeReply::text_reply("");
  tool.tool_calls.push_back(testing::FakeToolCall{"", "grep", R"({"pattern":"TODO"})"});
  upstream_.enqueue(tool);
  std::string streamed;
  auto s = ask("local/qwen2.5-coder", true, &streamed);
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->response.message.tool_calls.size(), 1u);
  EXPECT_EQ(s->response.message.tool_calls[0].name, "grep");
  EXPECT_EQ(bj::parse(s->response.message.tool_calls[0].arguments), bj::parse(R"({"pattern":"TODO"})"));
}

}  // namespace
}  // namespace codecrew::llm
