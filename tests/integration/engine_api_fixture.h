// EngineApiTest: the real server with the crew engine, replaying a
// cassette (the wordcount example's by default), with the helpers the
// engine's API tests share: workflows, starts, polling an execution,
// deciding gates, running through them, and git and shell on workspaces.
#pragma once

#include "api_fixture.h"
#include "tools/sandbox/bubblewrap_sandbox.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

namespace codecrew::testing {

inline const std::filesystem::path kCassette = std::filesystem::path(CODECREW_SOURCE_DIR) / "examples" / "wordcount" /
                                               "wordcount.cassette.jsonl";
inline constexpr std::int64_t kExampleCalls = 16;  // model calls of the whole example

class EngineApiTest : public ApiTest {
 protected:
  std::vector<std::string> serverArgs() const override { return {"--replay", cassette().string()}; }
  virtual std::filesystem::path cassette() const { return kCassette; }
  // Local repositories may come from repos_ only ([repositories] local_roots).
  std::map<std::string, std::string> serverEnv() const override {
    return {{"CODECREW_REPOSITORY_ROOTS", repos_.str()}};
  }
  TempDir repos_;

  core::Id createSdlcWorkflow(const std::string& name) {
    boost::json::object body{{"name", name},
                             {"description", "A python3 wordcount.py with unit tests"},
                             {"crew", "sdlc"}};
    auto r = call("POST", "/workflows", boost::json::serialize(body));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().at("id").as_int64();
  }

  core::Id start(core::Id wf) {
    auto r = call("POST", "/workflows/" + std::to_string(wf) + "/executions/start");
    EXPECT_EQ(r.status, 202) << r.body;
    return r.json().at("execution").at("id").as_int64();
  }

  // Where the server keeps an execution of acme's: its own directory under
  // the data directory (the API does not say: workspaces are the server's).
  std::filesystem::path workspaceOf(core::Id e) {
    return std::filesystem::path(dir_.str()) / "workspaces" / ("t" + std::to_string(tenantId("acme"))) /
           ("e" + std::to_string(e));
  }

  boost::json::object execution(core::Id wf, core::Id e) {
    auto r = call("GET", "/workflows/" + std::to_string(wf) + "/executions/" + std::to_string(e));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().as_object();
  }

  // Polls until the execution's status is one of `statuses` (at most 120 s:
  // the example runs real tools and the sandboxed unit tests).
  boost::json::object waitFor(core::Id wf, core::Id e, std::initializer_list<std::string_view> statuses) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    boost::json::object x;
    while (std::chrono::steady_clock::now() < deadline) {
      x = execution(wf, e);
      for (auto s : statuses)
        if (x.at("status").as_string() == s) return x;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "execution " << e << " never reached the expected status: " << boost::json::serialize(x);
    return x;
  }

  boost::json::object pendingApproval(core::Id e) {
    auto r = call("GET", "/approvals?execution_id=" + std::to_string(e));
    EXPECT_EQ(r.status, 200) << r.body;
    auto items = r.json().at("approvals").as_array();
    EXPECT_EQ(items.size(), 1u) << r.body;
    return items.empty() ? boost::json::object() : items[0].as_object();
  }

  HttpResult decide(std::int64_t approval, const std::string& verb, const std::string& body = "",
                    const std::string& key = "") {
    return call("POST", "/approvals/" + std::to_string(approval) + "/" + verb, body, key);
  }

  // Runs the execution to its end, approving each gate as it comes (a
  // decided gate leaves the status at waiting_approval until the engine has
  // picked the decision up, so this looks for pending gates, not statuses).
  // before_decide sees each gate (its approval as JSON) before it is approved.
  boost::json::object approveThrough(core::Id wf, core::Id e,
                                     const std::function<void(const boost::json::object&)>& before_decide = {}) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
      auto x = execution(wf, e);
      auto status = x.at("status").as_string();
      if (status == "completed" || status == "failed" || status == "cancelled") return x;
      auto pending = call("GET", "/approvals?execution_id=" + std::to_string(e)).json();
      if (pending.at("total").as_int64() > 0) {
        const auto& gate = pending.at("approvals").at(0).as_object();
        if (before_decide) before_decide(gate);
        auto r = decide(gate.at("id").as_int64(), "approve", R"({"comment":"looks right"})");
        EXPECT_EQ(r.status, 200) << r.body;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "execution " << e << " did not end";
    return execution(wf, e);
  }

  // The execution's job status once it is no longer "running" (bounded wait).
  std::string settledJobStatus(core::Id wf, core::Id e) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    std::string status;
    do {
      status = std::string(execution(wf, e).at("job").at("status").as_string());
      if (status != "running") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    } while (std::chrono::steady_clock::now() < deadline);
    return status;
  }

  static std::string readFile(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  // git run on a workspace. Run as root, codecrew gives workspaces to the
  // sandbox's user (tools/sandbox/sandbox_owner.h), and git refuses a
  // repository another user owns unless told it is safe.
  static std::string gitIn(const std::filesystem::path& repo) {
    return "git -c safe.directory='*' -C " + repo.string();
  }

  static std::string sh(const std::string& cmd) {
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return out;
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
    return out;
  }

  bool sandboxWorks() {
    tools::BubblewrapSandbox probe;
    return probe.probe().ok();
  }
};

}  // namespace codecrew::testing
