// GatewayTest: an in-process codecrew server with only the /v1 gateway routes,
// a gateway over an LLM runtime whose providers (OpenAI, Anthropic, Gemini,
// Ollama kinds) all point at one FakeUpstream, a SQLite store in a temp dir,
// and API keys minted for two tenants. Extra TOML (e.g. [gateway] limits)
// can be given before start(); `prefix(key)` names a key for overrides.
#pragma once

#include "api/api_context.h"
#include "api/auth.h"
#include "api/gateway_routes.h"
#include "core/config.h"
#include "fake_upstream.h"
#include "gateway/gateway.h"
#include "http/server.h"
#include "llm/llm_runtime.h"
#include "store/store_factory.h"
#include "support/http_client.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <boost/asio/thread_pool.hpp>
#include <boost/json.hpp>

#include <memory>
#include <string>

namespace codecrew::gateway {

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(upstream_.start().ok());
    auto opened = store::openSqliteStore(dir_.str() + "/codecrew.db", core::SystemClock::instance());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
    key_ = mint("acme", store::Role::kMember);
    other_key_ = mint("globex", store::Role::kMember);
    viewer_key_ = mint("acme", store::Role::kViewer);
  }

  void TearDown() override {
    if (server_) server_->stop();
    io_.join();
  }

  std::string mint(const std::string& tenant, store::Role role) {
    auto minted = api::mintApiKey(*store_, tenant, role, "test");
    EXPECT_TRUE(minted.ok());
    return minted->secret;
  }
  static std::string prefix(const std::string& key) { return key.substr(0, 11); }

  std::string providersToml() const {
    const std::string up = upstream_.baseUrl();
    return "[providers.oa]\nkind = \"openai\"\nbase_url = \"" + up +
           "/v1\"\napi_key = \"sk-provider-secret-0123456789\"\n"
           "models = [\"gpt-4o-mini\"]\n\n"
           "[providers.an]\nkind = \"anthropic\"\nbase_url = \"" +
           up +
           "\"\napi_key = \"sk-ant-provider-0123456789\"\n"
           "models = [\"claude-3-5-haiku\"]\n\n"
           "[providers.gm]\nkind = \"gemini\"\nbase_url = \"" +
           up +
           "/v1beta\"\napi_key = \"AIzaprovider0123456789\"\n"
           "models = [\"gemini-2.0-flash\"]\n\n"
           "[providers.ol]\nkind = \"ollama\"\nbase_url = \"" +
           up +
           "\"\nmodels = [\"llama3\"]\n\n"
           "[models.fast]\nprovider = \"oa\"\nmodel = \"gpt-4o-mini\"\n\n"
           "[roles.gateway]\n" +
           gateway_role_ + "\n";
  }

  void start(const std::string& extra_toml = "") {
    auto config = core::parseConfig(providersToml() + extra_toml, {});
    ASSERT_TRUE(config.ok()) << config.error().message;
    llm::LlmRuntimeOptions ro;
    auto rt = llm::buildLlmRuntime(config->document, ro);
    ASSERT_TRUE(rt.ok()) << rt.error().message;
    runtime_ = std::move(rt).value();
    auto gw = buildGateway(config->document, runtime_, {io_.get_executor(), store_, core::SystemClock::instance()});
    ASSERT_TRUE(gw.ok()) << gw.error().message;
    gateway_ = gw.value();
    auto ctx = std::make_shared<api::ApiContext>();
    ctx->store = store_;
    ctx->config = std::make_shared<const core::Config>(config.value());
    ctx->clock = core::SystemClock::instance();
    auto router = std::make_shared<http::Router>();
    api::registerGatewayRoutes(*router, ctx, gateway_);
    http::ServerOptions so;
    so.port = 0;
    so.io_contexts = server_io_;
    so.blocking_threads = 2;
    so.shutdown_grace = std::chrono::seconds(2);
    server_ = std::make_unique<http::Server>(so, router);
    ASSERT_TRUE(server_->start().ok());
    client_ = std::make_unique<testing::HttpClient>("127.0.0.1", server_->port());
  }

  testing::HttpResult post(const std::string& path, const boost::json::value& body, const std::string& key = "",
                           testing::HeaderList headers = {}) {
    headers.emplace_back("Authorization", "Bearer " + (key.empty() ? key_ : key));
    return client_->request("POST", path, boost::json::serialize(body), headers);
  }
  testing::HttpResult get(const std::string& target, const std::string& key = "") {
    return client_->request("GET", target, "", {{"Authorization", "Bearer " + (key.empty() ? key_ : key)}});
  }

  static boost::json::object chat(const std::string& model, const std::string& text, bool stream = false) {
    boost::json::object body{{"model", model},
                             {"messages",
                              boost::json::array{boost::json::object{{"role", "user"}, {"content", text}}}}};
    if (stream) body["stream"] = true;
    return body;
  }

  testing::TempDir dir_;
  testing::FakeUpstream upstream_;
  std::shared_ptr<store::Store> store_;
  boost::asio::thread_pool io_{2};
  // The server's I/O thread: declared before runtime_, whose client pools
  // connections made on it (calls run on their connection's thread).
  std::vector<std::shared_ptr<boost::asio::io_context>> server_io_ = http::makeIoContexts(1);
  llm::LlmRuntime runtime_;
  std::shared_ptr<Gateway> gateway_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<testing::HttpClient> client_;
  std::string key_, other_key_, viewer_key_;
  std::string gateway_role_ = "max_attempts = 1\n";  // the [roles.gateway] table's keys
};

// The "data:" payloads of an SSE body, in order.
inline std::vector<std::string> sseData(const std::string& body) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = body.find("data: ", pos)) != std::string::npos) {
    auto end = body.find('\n', pos);
    out.push_back(body.substr(pos + 6, end - pos - 6));
    pos = end;
  }
  return out;
}

}  // namespace codecrew::gateway
