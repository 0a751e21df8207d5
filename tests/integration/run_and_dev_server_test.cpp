// `codecrew run` and `codecrew serve --dev` on one data directory are one
// product: a run stopped at its first approval gate (no terminal, so it does
// not ask) shows in the dev server's API under the same tenant with its gate
// pending; deciding the gate there lets the server run the rest to the end.
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <thread>

namespace codecrew::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

const fs::path kWordcountCassette = fs::path(CODECREW_SOURCE_DIR) / "examples" / "wordcount" /
                                    "wordcount.cassette.jsonl";

TEST(RunAndDevServerTest, ARunStoppedAtAGateIsDecidedInTheDevServer) {
  TempDir dir;
  const std::string data = (dir.path() / "var").string();
  const std::string repo = (dir.path() / "repo").string();
  auto run = runCommand(CODECREW_BINARY,
                        {"run", "A python3 wordcount.py with unit tests", "--repo", repo, "--crew", "sdlc", "--replay",
                         kWordcountCassette.string(), "--data-dir", data, "--no-ask"});
  ASSERT_EQ(run.exit_code, 3) << run.out << run.err;  // stopped at an approval gate
  EXPECT_NE(run.out.find("waiting for approval"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("codecrew serve --dev"), std::string::npos) << run.out;

  ServerProcess dev(CODECREW_BINARY, data, {"--dev", "--replay", kWordcountCassette.string()});
  HttpClient c("127.0.0.1", dev.port());
  auto workflows = c.request("GET", "/workflows").json();
  ASSERT_EQ(workflows.at("total").as_int64(), 1) << "the run is the dev tenant's";
  auto wf = workflows.at("workflows").at(0).at("id").as_int64();
  auto execs = c.request("GET", "/workflows/" + std::to_string(wf) + "/executions").json();
  ASSERT_EQ(execs.at("total").as_int64(), 1);
  auto exec = execs.at("executions").at(0).as_object();
  EXPECT_EQ(exec.at("status").as_string(), "waiting_approval");
  auto e = exec.at("id").as_int64();
  auto gates = c.request("GET", "/approvals?execution_id=" + std::to_string(e)).json();
  ASSERT_EQ(gates.at("total").as_int64(), 1);
  EXPECT_EQ(gates.at("approvals").at(0).at("gate").as_string(), "after:PLANNING");

  // Decide every gate as it comes; the server runs the rest in the user's repository.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  std::string status;
  while (std::chrono::steady_clock::now() < deadline) {
    auto pending = c.request("GET", "/approvals?execution_id=" + std::to_string(e)).json();
    for (const auto& a : pending.at("approvals").as_array())
      (void)c.request("POST", "/approvals/" + std::to_string(a.at("id").as_int64()) + "/approve");
    status = c.request("GET", "/workflows/" + std::to_string(wf) + "/executions/" + std::to_string(e))
                 .json()
                 .at("status")
                 .as_string();
    if (status == "completed" || status == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, "completed");
  EXPECT_TRUE(fs::exists(fs::path(repo) / "wordcount.py")) << "the run's repository is the one worked in";
}

}  // namespace
}  // namespace codecrew::testing
