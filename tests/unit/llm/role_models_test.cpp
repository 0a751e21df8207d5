// Which model each crew role asks for when a provider's key is all there is:
// each provider kind's per-role defaults (every one priced), the order of
// overrides ([roles.*] primary, [models.<role>], [engine] default_model), a
// provider's own models list, Azure's deployment, Ollama's models discovered
// from /api/tags, and what is said when nothing gives a model.
#include "llm/role_models.h"
#include "core/config.h"
#include "fake_upstream.h"
#include "llm/llm_runtime.h"
#include "llm/ollama_discovery.h"

#include <gtest/gtest.h>

namespace codecrew::llm {
namespace {

LlmConfig configOf(const std::string& toml, const core::EnvMap& env) {
  auto config = core::parseConfig(toml, {});
  EXPECT_TRUE(config.ok()) << config.error().message;
  auto llm = loadLlmConfig(config->document, env);
  EXPECT_TRUE(llm.ok()) << llm.error().message;
  return llm.value();
}

std::string modelFor(const LlmConfig& config, const std::string& role,
                     std::map<std::string, std::string> primaries = {}, std::string default_model = "") {
  return RoleModels(config, std::move(primaries), std::move(default_model)).choose(role).model;
}

TEST(RoleModels, AnOpenAiKeyAloneGivesEveryRoleAModel) {
  auto config = configOf("", {{"OPENAI_API_KEY", "sk-test"}, {"OPENAI_BASE_URL", "http://127.0.0.1:1/v1"}});
  EXPECT_EQ(modelFor(config, "planner"), "openai/gpt-4.1");
  EXPECT_EQ(modelFor(config, "architect"), "openai/gpt-4.1");
  EXPECT_EQ(modelFor(config, "coder"), "openai/gpt-4.1");
  EXPECT_EQ(modelFor(config, "reviewer"), "openai/gpt-4.1");
  EXPECT_EQ(modelFor(config, "coder_cheap"), "openai/gpt-4.1-mini");
  EXPECT_EQ(modelFor(config, "tester"), "openai/gpt-4.1-mini");
  EXPECT_EQ(modelFor(config, "deployer"), "openai/gpt-4.1-mini");
  EXPECT_EQ(modelFor(config, "a_user_crews_role"), "openai/gpt-4.1");
  EXPECT_EQ(RoleModels(config, {}, "").choose("tester").source, "default of openai");
}

TEST(RoleModels, AnAnthropicOrGeminiKeyAloneGivesTheirModels) {
  auto anthropic = configOf("", {{"ANTHROPIC_API_KEY", "sk-ant-test"}});
  EXPECT_EQ(modelFor(anthropic, "planner"), "anthropic/claude-sonnet-4-5");
  EXPECT_EQ(modelFor(anthropic, "tester"), "anthropic/claude-haiku-4-5");
  auto gemini = configOf("", {{"GEMINI_API_KEY", "g-test"}});
  EXPECT_EQ(modelFor(gemini, "coder"), "gemini/gemini-2.5-pro");
  EXPECT_EQ(modelFor(gemini, "deployer"), "gemini/gemini-2.5-flash");
}

TEST(RoleModels, EveryDefaultIsInThePriceTable) {
  auto prices = PriceTable::builtIn();
  for (const char* kind : {"openai", "anthropic", "gemini", "groq", "openrouter"}) {
    for (auto role : kCrewRoles) {
      auto model = builtInRoleModel(kind, role);
      ASSERT_FALSE(model.empty()) << kind << " " << role;
      auto price = prices.find(model);
      ASSERT_TRUE(price.has_value()) << model;
      EXPECT_GT(price->input_per_mtok, 0) << model;
      EXPECT_GT(price->output_per_mtok, 0) << model;
    }
  }
  EXPECT_EQ(builtInRoleModel("azure", "coder"), "");
  EXPECT_EQ(builtInRoleModel("ollama", "coder"), "");
}

TEST(RoleModels, OverridesComeInOrder) {
  auto config = configOf(R"(
[models.tester]
provider = "anthropic"
model = "claude-3-5-haiku-latest"
)",
                         {{"OPENAI_API_KEY", "sk-test"}, {"ANTHROPIC_API_KEY", "sk-ant"}});
  // The first usable provider in order: openai (found first in the environment).
  EXPECT_EQ(modelFor(config, "coder"), "openai/gpt-4.1");
  EXPECT_EQ(modelFor(config, "tester"), "tester");  // [models.tester]
  EXPECT_EQ(modelFor(config, "coder", {{"coder", "anthropic/claude-sonnet-4-5"}}), "anthropic/claude-sonnet-4-5");
  EXPECT_EQ(modelFor(config, "coder", {}, "openai/o3"), "openai/o3");
  EXPECT_EQ(modelFor(config, "tester", {}, "openai/o3"), "tester");
  RoleModels roles(config, {{"coder", "x/y"}}, "");
  EXPECT_EQ(roles.choose("coder").source, "roles.coder.primary");
  EXPECT_EQ(roles.choose("tester").source, "models.tester");
}

TEST(RoleModels, AProvidersModelsListIsHonoured) {
  auto config = configOf(R"(
[providers.openai]
models = ["gpt-4o", "gpt-4.1-mini"]
)",
                         {{"OPENAI_API_KEY", "sk-test"}});
  EXPECT_EQ(modelFor(config, "tester"), "openai/gpt-4.1-mini");  // its default, listed
  EXPECT_EQ(modelFor(config, "planner"), "openai/gpt-4o");       // its default is not: the first listed
}

TEST(RoleModels, AzureUsesItsDeploymentAndSaysWhatIsMissingWithout) {
  auto azure = configOf("", {{"AZURE_OPENAI_ENDPOINT", "https://x.openai.azure.com"},
                             {"AZURE_OPENAI_API_KEY", "az-key"},
                             {"AZURE_OPENAI_DEPLOYMENT", "my-gpt41"}});
  EXPECT_EQ(modelFor(azure, "coder"), "azure/my-gpt41");
  auto table = configOf(
      "[providers.azure]\nbase_url = \"https://y.openai.azure.com\"\napi_key = \"k\"\n"
      "deployment = \"team-gpt\"\n",
      {});
  EXPECT_EQ(modelFor(table, "tester"), "azure/team-gpt");
  auto no_deployment = configOf("", {{"AZURE_OPENAI_ENDPOINT", "https://x.openai.azure.com"},
                                     {"AZURE_OPENAI_API_KEY", "az-key"}});
  auto choice = RoleModels(no_deployment, {}, "").choose("coder");
  EXPECT_EQ(choice.model, "");
  EXPECT_NE(choice.problem.find("[roles.coder]"), std::string::npos) << choice.problem;
}

TEST(RoleModels, NoProviderSaysWhichVariablesToSet) {
  auto choice = RoleModels(configOf("", {}), {}, "").choose("planner");
  EXPECT_EQ(choice.model, "");
  EXPECT_NE(choice.problem.find("OPENAI_API_KEY"), std::string::npos);
  EXPECT_NE(choice.problem.find("ANTHROPIC_API_KEY"), std::string::npos);
  // A provider table without its key is not used.
  auto keyless = configOf("[providers.openai]\napi_key_env = \"UNSET_KEY_VAR\"\n", {});
  EXPECT_EQ(modelFor(keyless, "planner"), "");
}

TEST(RoleModels, OllamasModelsAreDiscoveredFromItsApi) {
  testing::FakeUpstream upstream;
  ASSERT_TRUE(upstream.start().ok());
  auto config = configOf("", {{"OLLAMA_HOST", "127.0.0.1:" + std::to_string(upstream.port())}});
  EXPECT_EQ(modelFor(config, "coder"), "");  // nothing listed yet
  discoverOllamaModels(config, http::ClientOptions{});
  ASSERT_EQ(config.providers.size(), 1u);
  EXPECT_EQ(config.providers[0].models,
            (std::vector<std::string>{testing::kFakeOllamaModels[0], testing::kFakeOllamaModels[1]}));
  EXPECT_EQ(modelFor(config, "coder"), std::string("ollama/") + testing::kFakeOllamaModels[0]);

  // The runtime does it at start.
  auto document = core::parseConfig("", {});
  LlmRuntimeOptions options;
  options.env = {{"OLLAMA_HOST", upstream.baseUrl()}};
  auto rt = buildLlmRuntime(document->document, options);
  ASSERT_TRUE(rt.ok()) << rt.error().message;
  EXPECT_EQ(rt->config.providers[0].models.size(), 2u);
  auto resolved = rt->registry->resolve(modelFor(rt->config, "tester"));
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->model, testing::kFakeOllamaModels[0]);
}

TEST(RoleModels, AnUnreachableOllamaKeepsNoModels) {
  auto config = configOf("", {{"OLLAMA_HOST", "127.0.0.1:1"}});
  discoverOllamaModels(config, http::ClientOptions{});
  EXPECT_TRUE(config.providers[0].models.empty());
  EXPECT_FALSE(parseOllamaTags(R"({"models": "x"})").ok());
  EXPECT_EQ(parseOllamaTags(R"({"models": [{"name": "qwen2.5-coder:7b"}]})").value(),
            (std::vector<std::string>{"qwen2.5-coder:7b"}));
}

}  // namespace
}  // namespace codecrew::llm
