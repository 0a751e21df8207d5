// `codecrew migrate --data-dir D` with the real binary: on an empty directory
// it creates the schema and reports its version; on an up-to-date database it
// changes nothing and reports the same version (idempotent); `serve` then
// starts on the migrated database, and again after a restart.
#include "api_fixture.h"

#include <regex>

namespace codecrew::testing {
namespace {

// The version in "schema at version N (<path>)", or -1.
long reportedVersion(const std::string& out) {
  std::smatch m;
  static const std::regex kLine(R"(schema at version (\d+) \()");
  return std::regex_search(out, m, kLine) ? std::stol(m[1]) : -1;
}

long storeVersion(const std::string& dir) {
  auto s = store::openSqliteStore(dir + "/codecrew.db", core::SystemClock::instance());
  if (!s) return -2;
  auto v = (*s)->schemaVersion();
  return v ? static_cast<long>(*v) : -3;
}

int healthStatus(const ServerProcess& server) {
  HttpClient client("127.0.0.1", server.port());
  return client.request("GET", "/health", "", {}).status;
}

TEST(MigrateCommand, CreatesTheSchemaOnAnEmptyDirectoryAndIsIdempotent) {
  TempDir dir;
  ASSERT_TRUE(std::filesystem::is_empty(dir.path()));
  auto first = runCommand(binary(), {"migrate", "--data-dir", dir.str()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  long version = reportedVersion(first.out);
  ASSERT_GT(version, 0) << first.out;
  EXPECT_NE(first.out.find(dir.str() + "/codecrew.db"), std::string::npos) << first.out;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "codecrew.db"));

  auto again = runCommand(binary(), {"migrate", "--data-dir", dir.str()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(reportedVersion(again.out), version) << again.out;
  EXPECT_EQ(storeVersion(dir.str()), version);
}

TEST(MigrateCommand, ServeStartsOnAMigratedDatabaseAndAfterARestart) {
  TempDir dir;
  auto migrated = runCommand(binary(), {"migrate", "--data-dir", dir.str()});
  ASSERT_EQ(migrated.exit_code, 0) << migrated.err;
  long version = reportedVersion(migrated.out);
  ASSERT_GT(version, 0) << migrated.out;
  auto key = runCommand(binary(), {"keys", "create", "--tenant", "acme", "--role", "admin", "--data-dir", dir.str()});
  ASSERT_EQ(key.exit_code, 0) << key.err;
  const std::string secret = key.out.substr(0, key.out.find('\n'));

  for (int run = 0; run < 2; ++run) {
    ServerProcess server(binary(), dir.str(), {"--no-engine"});
    EXPECT_EQ(healthStatus(server), 200) << "run " << run;
    HttpClient client("127.0.0.1", server.port());
    auto list = client.request("GET", "/workflows", "", {{"Authorization", "Bearer " + secret}});
    EXPECT_EQ(list.status, 200) << list.body;  // the key made before serve still works
    EXPECT_EQ(server.terminate(), 0) << server.stderrText();
  }

  auto after = runCommand(binary(), {"migrate", "--data-dir", dir.str()});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(reportedVersion(after.out), version) << after.out;
}

TEST(MigrateCommand, MigrateAfterServeReportsTheSameVersion) {
  TempDir dir;
  {
    ServerProcess server(binary(), dir.str(), {"--no-engine"});  // serve migrates at start
    EXPECT_EQ(healthStatus(server), 200);
  }
  auto r = runCommand(binary(), {"migrate", "--data-dir", dir.str()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(reportedVersion(r.out), storeVersion(dir.str()));
  EXPECT_GT(reportedVersion(r.out), 0);
}

}  // namespace
}  // namespace codecrew::testing
