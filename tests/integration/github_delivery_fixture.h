// GitHubDeliveryTest: the real server with the crew engine replaying the
// delivery cassette (the wordcount example plus the fix crew's developer,
// by hand), a fake GitHub Enterprise on loopback (REST, and git over smart
// HTTP through `git http-backend`, so clones and pushes are real) holding
// acme/shop with default branch "trunk", and the webhook's secret; with
// helpers to deliver signed webhooks, wait for executions and events, and
// read the pull request.
#pragma once

#include "engine_api_fixture.h"
#include "fake_github/fake_github.h"
#include "fake_github/webhook_payloads.h"

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace codecrew::testing {

inline const std::filesystem::path kDeliveryCassette = std::filesystem::path(CODECREW_SOURCE_DIR) / "tests" / "data" /
                                                       "delivery" / "delivery.cassette.jsonl";
inline constexpr const char* kSecret = "whsec-test-0123";

class GitHubDeliveryTest : public EngineApiTest {
 protected:
  void SetUp() override {
    github_ = std::make_unique<FakeGitHub>();
    ASSERT_TRUE(github_->start().ok());
    ASSERT_TRUE(github_->createRepository("acme", "shop", "trunk", {{"README.md", "# shop\n"}}).ok());
    EngineApiTest::SetUp();
  }
  std::filesystem::path cassette() const override { return kDeliveryCassette; }
  std::map<std::string, std::string> serverEnv() const override {
    return {{"GITHUB_TOKEN", github_->options().token},
            {"GITHUB_API_URL", github_->apiUrl()},
            {"GITHUB_SERVER_URL", github_->baseUrl()},
            {"GITHUB_WEBHOOK_SECRET", kSecret},
            {"CODECREW_PUBLIC_URL", "https://codecrew.example"}};
  }

  core::Id createShopWorkflow() {
    boost::json::object body{{"name", "Word count"},
                             {"description", "A python3 wordcount.py with unit tests"},
                             {"crew", "sdlc"},
                             {"repository_url", github_->baseUrl() + "/acme/shop"}};
    auto r = call("POST", "/workflows", boost::json::serialize(body));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().at("id").as_int64();
  }

  HttpResult deliver(const std::string& event, const std::string& delivery, const std::string& body) {
    HeaderList headers;
    for (auto& [k, v] : webhookHeaders(event, delivery, kSecret, body)) headers.emplace_back(k, v);
    return call("POST", "/webhooks/github", body, "none", headers);
  }

  boost::json::array executions(core::Id wf) {
    auto r = call("GET", "/workflows/" + std::to_string(wf) + "/executions?page_size=50");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().at("executions").as_array();
  }

  // Waits until the workflow has n executions and the newest has ended.
  boost::json::object newestEnded(core::Id wf, std::size_t n) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
      auto list = executions(wf);
      if (list.size() >= n) {
        boost::json::object newest;
        for (const auto& x : list)
          if (newest.empty() || x.at("id").as_int64() > newest.at("id").as_int64()) newest = x.as_object();
        auto s = newest.at("status").as_string();
        if (s == "completed" || s == "failed" || s == "cancelled") return newest;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "no ended execution #" << n << " of workflow " << wf;
    return {};
  }

  boost::json::object pullRequest(core::Id wf) {
    auto r = call("GET", "/workflows/" + std::to_string(wf) + "/pr");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json().as_object() : boost::json::object();
  }

  // Waits for a workflow event of this type (after seq `after`); its data.
  boost::json::object awaitEvent(core::Id wf, const std::string& type, std::int64_t after = 0) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      auto events = db().listEvents(tenantId("acme"), wf, after, 1000);
      if (events)
        for (const auto& e : *events)
          if (e.type == type) return e.data.as_object();
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ADD_FAILURE() << "no " << type << " event";
    return {};
  }

  std::int64_t lastSeq(core::Id wf) {
    auto events = db().listEvents(tenantId("acme"), wf, 0, 1000);
    return events && !events->empty() ? events->back().seq : 0;
  }

  std::string head(const std::string& branch) { return github_->branchSha("acme", "shop", branch).value_or(""); }

  // The branch a workflow of createShopWorkflow() delivers to.
  static std::string branchOf(core::Id wf) { return "codecrew/wf" + std::to_string(wf) + "-word-count"; }

  // The server's arguments with a codecrew.toml of `toml` (kept in dir).
  std::vector<std::string> argsWithConfig(const TempDir& dir, const std::string& toml) const {
    auto args = GitHubDeliveryTest::serverArgs();
    args.insert(args.end(), {"--config", dir.write("codecrew.toml", toml).string()});
    return args;
  }

  std::unique_ptr<FakeGitHub> github_;
};

}  // namespace codecrew::testing
