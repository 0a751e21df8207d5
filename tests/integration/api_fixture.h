// ApiTest: starts the real codecrew binary (not in dev mode, API only unless
// a test overrides serverArgs) on port 0 with a temporary data directory and API keys for two tenants, and gives tests
// an HTTP client plus direct access to the same SQLite database for seeding rows.
#pragma once

#include "core/clock.h"
#include "store/store.h"
#include "store/store_factory.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace codecrew::testing {

inline std::string binary() { return CODECREW_BINARY; }

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_key_ = createKey("acme", "admin");
    member_key_ = createKey("acme", "member");
    viewer_key_ = createKey("acme", "viewer");
    other_key_ = createKey("globex", "admin");
    startServer();
  }

  // The API tests run an API-only server (--no-engine): executions stay as
  // stored. Engine tests override these.
  virtual std::vector<std::string> serverArgs() const { return {"--no-engine"}; }
  virtual std::map<std::string, std::string> serverEnv() const { return {}; }

  void startServer(const std::map<std::string, std::string>& extra_env = {}) {
    auto env = serverEnv();
    for (const auto& [k, v] : extra_env) env[k] = v;
    server_ = std::make_unique<ServerProcess>(binary(), dir_.str(), serverArgs(), env);
    client_ = std::make_unique<HttpClient>("127.0.0.1", server_->port());
  }

  std::string createKey(const std::string& tenant, const std::string& role) {
    auto r = runCommand(binary(), {"keys", "create", "--tenant", tenant, "--role", role, "--data-dir", dir_.str()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto key = r.out.substr(0, r.out.find('\n'));
    EXPECT_EQ(key.rfind("cc_", 0), 0u) << r.out;
    return key;
  }

  HttpResult call(const std::string& method, const std::string& target, const std::string& body = "",
                  const std::string& key = "", HeaderList headers = {}) {
    const std::string& k = key.empty() ? admin_key_ : key;
    if (k != "none") headers.emplace_back("Authorization", "Bearer " + k);
    return client_->request(method, target, body, headers);
  }

  // The store behind the server (same SQLite file), for seeding rows.
  store::Store& db() {
    if (!store_) {
      auto s = store::openSqliteStore(dir_.str() + "/codecrew.db", core::SystemClock::instance());
      if (!s) throw std::runtime_error(s.error().message);
      store_ = std::move(s).value();
    }
    return *store_;
  }

  core::Id tenantId(const std::string& name) {
    auto t = db().findTenantByName(name);
    if (!t || !*t) throw std::runtime_error("no tenant " + name);
    return (*t)->id;
  }

  core::Id createWorkflow(const std::string& name, const std::string& key = "") {
    auto r = call("POST", "/workflows", boost::json::serialize(boost::json::object{{"name", name}}), key);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().at("id").as_int64();
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
  std::unique_ptr<store::Store> store_;
  std::string admin_key_, member_key_, viewer_key_, other_key_;
};

}  // namespace codecrew::testing
