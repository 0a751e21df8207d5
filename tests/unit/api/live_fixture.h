// LiveTest: a real http::Server serving the live-event routes over a SQLite
// store in a temp dir, with an EventLog to append through, API keys of two
// tenants (member and viewer of "acme", member of "globex"), one workflow
// each, and a fake ExecutionService that records the commands it gets.
#pragma once

#include "api/auth.h"
#include "api/routes.h"
#include "core/crypto.h"
#include "engine/execution_service.h"
#include "events/event_log.h"
#include "events/local_event_hub.h"
#include "http/server.h"
#include "store/store_factory.h"
#include "support/http_client.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <mutex>

namespace codecrew::api::test {

class FakeExecutionService final : public engine::ExecutionService {
 public:
  bool attached() const override { return true; }
  core::Status checkStartable(const store::Workflow&) const override { return core::okStatus(); }
  core::Result<engine::StartResult> start(engine::StartRequest) override {
    return core::Error{core::ErrorCode::kUnimplemented, "not in these tests", nullptr};
  }
  core::Result<store::Execution> resume(core::Id, core::Id) override {
    return core::Error{core::ErrorCode::kUnimplemented, "not in these tests", nullptr};
  }
  core::Result<store::Approval> decide(const engine::DecideRequest& r) override {
    std::lock_guard lock(mu_);
    decisions.push_back(r);
    store::Approval a;
    a.id = r.approval_id;
    a.tenant_id = r.tenant_id;
    a.workflow_id = r.workflow_id.value_or(0);
    a.status = store::statusAfter(r.decision);
    a.decision = r.decision;
    a.reviewer = r.reviewer;
    a.comment = r.comment;
    return a;
  }
  core::Result<store::Execution> cancel(core::Id tenant, core::Id execution,
                                        std::optional<core::Id> workflow) override {
    std::lock_guard lock(mu_);
    cancels.push_back(execution);
    store::Execution e;
    e.id = execution;
    e.tenant_id = tenant;
    e.workflow_id = workflow.value_or(0);
    e.status = store::RunStatus::kCancelled;
    return e;
  }
  std::size_t calls() {
    std::lock_guard lock(mu_);
    return decisions.size() + cancels.size();
  }

  std::mutex mu_;
  std::vector<engine::DecideRequest> decisions;
  std::vector<core::Id> cancels;
};

class LiveTest : public ::testing::Test {
 protected:
  // Starts the server; tests may change options_ and heartbeat_seconds_ first.
  void start() {
    auto opened = store::openSqliteStore((dir_.path() / "live.db").string(), clock_);
    ASSERT_TRUE(opened) << opened.error().message;
    raw_ = std::shared_ptr<store::Store>(std::move(*opened));
    hub_ = std::make_shared<events::LocalEventHub>();
    log_ = std::make_shared<events::EventLog>(raw_, hub_);
    auto config = std::make_shared<core::Config>();
    config->document["events"] = boost::json::object{{"heartbeat_seconds", heartbeat_seconds_}};
    auto ctx = std::make_shared<ApiContext>();
    ctx->store = log_->store();
    ctx->config = config;
    ctx->clock = clock_;
    ctx->events = log_;
    ctx->executions = control_;
    member_ = key("acme", store::Role::kMember);
    viewer_ = key("acme", store::Role::kViewer);
    stranger_ = key("globex", store::Role::kMember);
    workflow_ = newWorkflow(*tenantOf("acme"));
    other_workflow_ = newWorkflow(*tenantOf("globex"));
    auto router = std::make_shared<http::Router>();
    registerEventRoutes(*router, ctx);
    options_.host = "127.0.0.1";
    options_.port = 0;
    options_.io_threads = 2;
    options_.blocking_threads = 4;
    server_ = std::make_unique<http::Server>(options_, router);
    auto st = server_->start();
    ASSERT_TRUE(st) << st.error().message;
  }

  void TearDown() override {
    if (server_) server_->stop();
  }

  std::string key(const std::string& tenant, store::Role role) {
    auto minted = mintApiKey(*raw_, tenant, role, "test");
    EXPECT_TRUE(minted);
    return minted ? minted->secret : "";
  }
  // Revokes the key in the store, as `codecrew keys revoke` does.
  void revoke(const std::string& secret) {
    auto found = raw_->findApiKeyByHash(core::sha256Hex(secret));
    ASSERT_TRUE(found && *found);
    ASSERT_TRUE(raw_->revokeApiKey((*found)->id));
  }
  // A stream ticket for the workflow, issued to the key (201), or "".
  std::string ticket(const std::string& secret, core::Id workflow) {
    auto r = client()->request("POST", "/workflows/" + std::to_string(workflow) + "/stream-tickets", "", auth(secret));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? std::string(r.json().at("ticket").as_string()) : "";
  }
  std::optional<core::Id> tenantOf(const std::string& name) {
    auto t = raw_->findTenantByName(name);
    return t && *t ? std::optional<core::Id>((*t)->id) : std::nullopt;
  }
  core::Id newWorkflow(core::Id tenant) {
    store::Workflow w;
    w.tenant_id = tenant;
    w.name = "watched";
    auto created = raw_->createWorkflow(w);
    EXPECT_TRUE(created);
    return created ? created->value.id : 0;
  }

  // Appends an event to the acme workflow through the event log.
  std::int64_t append(const std::string& type, boost::json::object data = {}) {
    store::Event e;
    e.tenant_id = *tenantOf("acme");
    e.workflow_id = workflow_;
    e.type = type;
    e.data = std::move(data);
    auto r = log_->append(e);
    EXPECT_TRUE(r) << r.error().message;
    return r ? r->seq : 0;
  }

  static testing::HeaderList auth(const std::string& secret) { return {{"Authorization", "Bearer " + secret}}; }
  std::unique_ptr<testing::HttpClient> client() const {
    return std::make_unique<testing::HttpClient>("127.0.0.1", server_->port());
  }

  testing::TempDir dir_;
  std::shared_ptr<core::FakeClock> clock_ = std::make_shared<core::FakeClock>();
  std::shared_ptr<store::Store> raw_;
  std::shared_ptr<events::LocalEventHub> hub_;
  std::shared_ptr<events::EventLog> log_;
  std::shared_ptr<FakeExecutionService> control_ = std::make_shared<FakeExecutionService>();
  http::ServerOptions options_;
  double heartbeat_seconds_ = 15;
  std::unique_ptr<http::Server> server_;
  std::string member_, viewer_, stranger_;
  core::Id workflow_ = 0, other_workflow_ = 0;
};

}  // namespace codecrew::api::test
