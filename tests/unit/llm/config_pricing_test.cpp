// Provider configuration from TOML and the environment, the price table,
// the redactor, and the HTTP client's URL and proxy rules.
#include "core/config.h"
#include "core/log.h"
#include "http/client/proxy_config.h"
#include "http/client/url.h"
#include "llm/llm_config.h"
#include "llm/pricing/price_table.h"
#include "llm/provider_registry.h"
#include "llm/record/redactor.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <fstream>
#include <sstream>

namespace codecrew::llm {
namespace {

namespace bj = boost::json;

TEST(LlmConfig, EnvironmentVariablesUsersAlreadyHaveJustWork) {
  core::EnvMap env{{"OPENAI_API_KEY", "sk-env-openai-0123456789abcdef"},
                   {"OPENAI_BASE_URL", "http://127.0.0.1:9999/v1"},
                   {"ANTHROPIC_API_KEY", "sk-ant-env-0123456789"},
                   {"GEMINI_API_KEY", "AIza-env-gemini"},
                   {"GROQ_API_KEY", "gsk_env"},
                   {"OPENROUTER_API_KEY", "sk-or-env"},
                   {"AZURE_OPENAI_API_KEY", "azure-env-key"},
                   {"AZURE_OPENAI_ENDPOINT", "https://res.openai.azure.com"},
                   {"AZURE_OPENAI_DEPLOYMENT", "gpt4o-prod"},
                   {"OLLAMA_HOST", "127.0.0.1"}};
  auto config = loadLlmConfig({}, env);
  ASSERT_TRUE(config.ok()) << config.error().message;
  ASSERT_EQ(config->providers.size(), 7u);
  EXPECT_EQ(config->provider("openai")->base_url, "http://127.0.0.1:9999/v1");
  EXPECT_EQ(config->provider("azure")->deployment, "gpt4o-prod");
  EXPECT_EQ(config->provider("ollama")->base_url, "http://127.0.0.1:11434");
  EXPECT_EQ(config->provider("groq")->base_url, "https://api.groq.com/openai/v1");
  auto lines = describeProviders(config.value());
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_NE(lines[0].find("key from OPENAI_API_KEY"), std::string::npos);
  for (const auto& line : lines) EXPECT_EQ(line.find("sk-env-openai"), std::string::npos);

  // Every key found was registered with the log's redaction.
  testing::TempDir dir;
  core::LogConfig log_config;
  log_config.file = dir.str() + "/keys.log";
  core::log::init(log_config);
  core::log::info("keys", {{"openai", "sk-env-openai-0123456789abcdef"}, {"azure", "x azure-env-key y"}});
  core::log::flush();
  std::ifstream in(log_config.file);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("[REDACTED]"), std::string::npos);
  EXPECT_EQ(text.str().find("sk-env-openai-0123456789abcdef"), std::string::npos);
  EXPECT_EQ(text.str().find("azure-env-key"), std::string::npos);
  core::log::init(core::LogConfig{});
}

TEST(LlmConfig, TomlTablesOverrideAndAddModels) {
  auto parsed = core::parseConfig(R"(
[providers.openai]
api_key_env = "MY_KEY"
rpm = 100
tpm = 50000

[providers.local]
kind = "openai_compatible"
base_url = "http://127.0.0.1:8000/v1"
models = ["qwen"]

[models.smart]
provider = "openai"
model = "gpt-4o"
context_window = 128000
input_per_mtok = 1.0
output_per_mtok = 4.0

[llm]
redact_patterns = ["ghp_[A-Za-z0-9]{8,}"]
)",
                                  {});
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  auto config = loadLlmConfig(parsed->document,
                              {{"MY_KEY", "sk-from-my-key-0123456789"}, {"OPENAI_API_KEY", "sk-ignored"}});
  ASSERT_TRUE(config.ok()) << config.error().message;
  const auto* openai = config->provider("openai");
  ASSERT_NE(openai, nullptr);
  EXPECT_EQ(openai->api_key, "sk-from-my-key-0123456789");
  EXPECT_EQ(openai->source, "config");
  EXPECT_EQ(openai->rpm, 100);
  EXPECT_EQ(config->models.at("smart").context_window, 128000);
  EXPECT_EQ(config->prices.find("gpt-4o")->input_per_mtok, 1.0);
  EXPECT_EQ(config->redact_patterns.size(), 1u);

  auto registry = ProviderRegistry::fromConfig(config.value(), nullptr, core::SystemClock::instance());
  auto smart = registry->resolve("smart");
  ASSERT_TRUE(smart.ok());
  EXPECT_EQ(smart->provider, "openai");
  EXPECT_EQ(smart->model, "gpt-4o");
  EXPECT_EQ(registry->resolve("qwen")->provider, "local");
  EXPECT_EQ(registry->resolve("local/other")->model, "other");
  EXPECT_FALSE(registry->resolve("nobody-serves-this").ok());
}

TEST(LlmConfig, BadKindIsRejectedNamingTheKey) {
  auto parsed = core::parseConfig("[providers.x]\nkind = \"martian\"\n", {});
  ASSERT_TRUE(parsed.ok());
  auto config = loadLlmConfig(parsed->document, {});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("providers.x.kind"), std::string::npos);
}

TEST(PriceTable, CostsUseCachedRatesAndPrefixes) {
  auto table = PriceTable::builtIn();
  Usage usage{1'000'000, 1'000'000, 2'000'000, 500'000};
  EXPECT_DOUBLE_EQ(table.cost("gpt-4o", usage), 0.5 * 2.50 + 0.5 * 1.25 + 10.00);
  EXPECT_DOUBLE_EQ(table.cost("gpt-4o-2024-08-06", usage), table.cost("gpt-4o", usage));
  EXPECT_DOUBLE_EQ(table.cost("gpt-4o-mini-2024-07-18", usage), table.cost("gpt-4o-mini", usage));
  EXPECT_DOUBLE_EQ(table.cost("openai/gpt-4o", usage), table.cost("gpt-4o", usage));
  EXPECT_GT(table.cost("claude-sonnet-4-20250514", usage), 0);
  EXPECT_EQ(table.cost("unknown-model", usage), 0);
  EXPECT_FALSE(table.find("unknown-model"));
}

TEST(Redactor, RemovesSecretsHeadersAndPatterns) {
  auto r = Redactor::create({"my-very-secret-key"}, {"ghp_[A-Za-z0-9]{8,}"});
  ASSERT_TRUE(r.ok());
  const auto& redactor = *r.value();
  EXPECT_EQ(redactor.text("key=my-very-secret-key;"), "key=[REDACTED];");
  EXPECT_EQ(redactor.text("token ghp_abcdefgh1234"), "token [REDACTED]");
  EXPECT_EQ(redactor.text("sk-abcdefghijklmnopqrstu is an OpenAI key"), "[REDACTED] is an OpenAI key");
  auto headers = redactor.headers({{"Authorization", "Bearer x"}, {"x-goog-api-key", "y"}, {"Accept", "a"}});
  EXPECT_EQ(headers[0].second, "[REDACTED]");
  EXPECT_EQ(headers[1].second, "[REDACTED]");
  EXPECT_EQ(headers[2].second, "a");
  auto json = redactor.json(bj::parse(R"({"api_key":"abc","nested":["my-very-secret-key"]})"));
  EXPECT_EQ(json.at("api_key"), "[REDACTED]");
  EXPECT_EQ(json.at("nested").at(0), "[REDACTED]");
  EXPECT_FALSE(Redactor::create({}, {"(unclosed"}).ok());
}

TEST(Redactor, RedactsAParsedBodyInPlaceAndLeavesCleanTextAlone) {
  auto r = Redactor::create({"my-very-secret-key"}, {"ghp_[A-Za-z0-9]{8,}"});
  ASSERT_TRUE(r.ok());
  const auto& redactor = *r.value();
  auto body = bj::parse(R"({"model":"m","messages":[{"role":"user","content":"use ghp_abcdefgh1234 now"},)"
                        R"({"role":"user","content":"Bearer abcdefgh.ijk and my-very-secret-key"}],)"
                        R"("x-api-key":"plain","n":3,"nested":{"apikey":"v","ok":"hello"}})");
  auto out = redactor.json(std::move(body));
  EXPECT_EQ(out.at("model"), "m");
  EXPECT_EQ(out.at("messages").at(0).at("content"), "use [REDACTED] now");
  EXPECT_EQ(out.at("messages").at(1).at("content"), "[REDACTED] and [REDACTED]");
  EXPECT_EQ(out.at("x-api-key"), "[REDACTED]");
  EXPECT_EQ(out.at("n"), 3);
  EXPECT_EQ(out.at("nested").at("apikey"), "[REDACTED]");
  EXPECT_EQ(out.at("nested").at("ok"), "hello");
  EXPECT_EQ(redactor.text("nothing to hide"), "nothing to hide");
  // Patterns with flags and groups of their own still match inside the combined scan.
  auto flagged = Redactor::create({}, {"(?i)token=(x+)"});
  ASSERT_TRUE(flagged.ok());
  EXPECT_EQ(flagged.value()->text("a TOKEN=xxx b"), "a [REDACTED] b");
}

// A document is cleared by one check of its strings joined; what that check
// finds, and what an anchored pattern matches in one string only, is still
// redacted string by string.
TEST(Redactor, ChecksADocumentsStringsTogetherWithoutMissingAny) {
  auto r = Redactor::create({"my-very-secret-key"});
  ASSERT_TRUE(r.ok());
  const auto& redactor = *r.value();
  auto clean = redactor.json(bj::parse(R"({"a":"x","api_key":"abc","n":[1,{"apikey":"v","b":"hello"}]})"));
  EXPECT_EQ(bj::serialize(clean), R"({"a":"x","api_key":"[REDACTED]","n":[1,{"apikey":"[REDACTED]","b":"hello"}]})");
  auto escaped = redactor.json(
      bj::parse(R"({"a":"x","b":["y","sk-\u0061bcdefghijklmnopqrstu"],"c":"my-very-\u0073ecret-key!"})"));
  EXPECT_EQ(bj::serialize(escaped), R"({"a":"x","b":["y","[REDACTED]"],"c":"[REDACTED]!"})");

  auto anchored = Redactor::create({}, {"^hunter2$"});
  ASSERT_TRUE(anchored.ok());
  auto out = anchored.value()->json(bj::parse(R"({"user":"bob","password":"hunter2","note":"hunter2 is a password"})"));
  EXPECT_EQ(bj::serialize(out), R"({"user":"bob","password":"[REDACTED]","note":"hunter2 is a password"})");
}

TEST(HttpClientUrl, ParsesAndRejects) {
  auto u = http::parseUrl("https://api.example.com/v1/chat?x=1");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "api.example.com");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->target, "/v1/chat?x=1");
  auto v6 = http::parseUrl("http://[::1]:8080");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->authority(), "[::1]:8080");
  EXPECT_EQ(v6->target, "/");
  EXPECT_FALSE(http::parseUrl("ftp://x").ok());
  EXPECT_FALSE(http::parseUrl("http://host:99999/").ok());
  EXPECT_FALSE(http::parseUrl("no-scheme").ok());
}

TEST(HttpClientProxy, HttpsProxyAndNoProxy) {
  auto config = http::ProxyConfig::fromEnv(
      {{"HTTPS_PROXY", "proxy.corp:3128"}, {"no_proxy", "localhost,.internal,10.0.0.1:8443"}});
  auto target = [](const char* url) { return http::parseUrl(url).value(); };
  auto p = config.proxyFor(target("https://api.openai.com/v1"));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->authority(), "proxy.corp:3128");
  EXPECT_FALSE(config.proxyFor(target("https://localhost/")));
  EXPECT_FALSE(config.proxyFor(target("https://svc.internal/")));
  EXPECT_FALSE(config.proxyFor(target("https://10.0.0.1:8443/")));
  EXPECT_TRUE(config.proxyFor(target("https://10.0.0.1:443/")));
  EXPECT_FALSE(config.proxyFor(target("http://api.openai.com/")));  // no HTTP_PROXY set
}

TEST(HttpClientProxy, NoProxyTakesCidrRanges) {
  auto config = http::ProxyConfig::fromEnv(
      {{"HTTPS_PROXY", "proxy.corp:3128"}, {"NO_PROXY", "127.0.0.0/8, 192.168.0.0/16,fd00::/8,bad/99,10.1.2.3/x"}});
  auto target = [](const char* url) { return http::parseUrl(url).value(); };
  EXPECT_FALSE(config.proxyFor(target("https://127.0.0.1:8080/v1")));
  EXPECT_FALSE(config.proxyFor(target("https://127.45.1.9/")));
  EXPECT_FALSE(config.proxyFor(target("https://192.168.7.20/")));
  EXPECT_FALSE(config.proxyFor(target("https://[fd12::1]/")));
  EXPECT_TRUE(config.proxyFor(target("https://128.0.0.1/")));
  EXPECT_TRUE(config.proxyFor(target("https://192.169.0.1/")));
  EXPECT_TRUE(config.proxyFor(target("https://[fe80::1]/")));
  EXPECT_TRUE(config.proxyFor(target("https://10.1.2.3/"))) << "a malformed range matches nothing";
  EXPECT_TRUE(config.proxyFor(target("https://api.openai.com/"))) << "names never match a range";
}

}  // namespace
}  // namespace codecrew::llm
