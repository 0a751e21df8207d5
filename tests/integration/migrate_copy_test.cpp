// `codecrew migrate --from URL --to URL` with the real binary: a data
// directory with a key and a workflow is copied into an empty database
// (another SQLite file; a scratch PostgreSQL schema in MigrateToPostgres.*),
// with a line per table and a summary; `serve` on the copy answers the same
// key with the same workflow; a second copy into the now non-empty target is
// refused with nothing copied. Bad usage exits 2, a missing source 1 without
// creating it, and a password in a URL is never printed.
#include "api_fixture.h"
#include "support/postgres_server.h"

#include <regex>

namespace codecrew::testing {
namespace {

std::string sqliteUrl(const std::filesystem::path& absolute) { return "sqlite:///" + absolute.string(); }

// A data directory holding an admin key of tenant acme and one workflow.
struct Source {
  TempDir dir;
  std::string key;
  core::Id workflow = 0;

  Source() {
    auto made = runCommand(binary(),
                           {"keys", "create", "--tenant", "acme", "--role", "admin", "--data-dir", dir.str()});
    EXPECT_EQ(made.exit_code, 0) << made.err;
    key = made.out.substr(0, made.out.find('\n'));
    auto s = store::openSqliteStore(dir.str() + "/codecrew.db", core::SystemClock::instance());
    EXPECT_TRUE(s.ok());
    auto tenant = (*s)->findTenantByName("acme");
    store::Workflow w;
    w.tenant_id = (*tenant)->id;
    w.name = "moved-workflow";
    w.description = "made before the move";
    auto created = (*s)->createWorkflow(w);
    EXPECT_TRUE(created.ok());
    workflow = created->value.id;
  }
  std::string url() const { return sqliteUrl(dir.path() / "codecrew.db"); }
};

// The rows the summary line reports, or -1.
long copiedRows(const std::string& out) {
  std::smatch m;
  static const std::regex kSummary(R"(copied (\d+) rows in \d+ tables)");
  return std::regex_search(out, m, kSummary) ? std::stol(m[1]) : -1;
}

// Copies source into to_url, checks the report, refuses a second copy, and
// checks that a server on the copy (data_dir, env) serves the key and the
// workflow. shown: everything the two commands printed.
void copyAndServe(const Source& source, const std::string& to_url, const std::string& data_dir,
                  const std::map<std::string, std::string>& env, std::string* shown = nullptr) {
  auto copied = runCommand(binary(), {"migrate", "--from", source.url(), "--to", to_url});
  if (shown) *shown += copied.out + copied.err;
  ASSERT_EQ(copied.exit_code, 0) << copied.out << copied.err;
  EXPECT_NE(copied.out.find("copying " + source.url() + " into "), std::string::npos) << copied.out;
  EXPECT_TRUE(std::regex_search(copied.out, std::regex(R"(\n  tenants +1 row\n)"))) << copied.out;
  EXPECT_TRUE(std::regex_search(copied.out, std::regex(R"(\n  api_keys +1 row\n)"))) << copied.out;
  EXPECT_TRUE(std::regex_search(copied.out, std::regex(R"(\n  workflows +1 row\n)"))) << copied.out;
  EXPECT_TRUE(std::regex_search(copied.out, std::regex(R"(\n  webhook_deliveries +0 rows\n)"))) << copied.out;
  EXPECT_GE(copiedRows(copied.out), 3) << copied.out;

  auto again = runCommand(binary(), {"migrate", "--from", source.url(), "--to", to_url});
  if (shown) *shown += again.out + again.err;
  EXPECT_EQ(again.exit_code, 1) << again.out << again.err;
  EXPECT_NE(again.err.find("already holds rows: tenants (1 row), api_keys (1 row)"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("nothing was copied"), std::string::npos) << again.err;
  EXPECT_EQ(again.out.find("  tenants"), std::string::npos) << again.out;

  ServerProcess server(binary(), data_dir, {"--no-engine"}, env);
  HttpClient client("127.0.0.1", server.port());
  auto got = client.request("GET", "/workflows/" + std::to_string(source.workflow), "",
                            {{"Authorization", "Bearer " + source.key}});
  EXPECT_EQ(got.status, 200) << got.body;
  EXPECT_NE(got.body.find("moved-workflow"), std::string::npos) << got.body;
  EXPECT_EQ(server.terminate(), 0) << server.stderrText();
}

TEST(MigrateCopyCommand, CopiesADataDirectoryIntoAnotherSqliteFile) {
  Source source;
  TempDir target;
  copyAndServe(source, sqliteUrl(target.path() / "codecrew.db"), target.str(), {});
}

TEST(MigrateCopyCommand, BadUsageAndAMissingSource) {
  TempDir dir;
  auto alone = runCommand(binary(), {"migrate", "--from", sqliteUrl(dir.path() / "a.db")});
  EXPECT_EQ(alone.exit_code, 2) << alone.err;
  auto same = runCommand(binary(),
                         {"migrate", "--from", sqliteUrl(dir.path() / "a.db"), "--to", sqliteUrl(dir.path() / "a.db")});
  EXPECT_EQ(same.exit_code, 2) << same.err;
  EXPECT_NE(same.err.find("the same database"), std::string::npos) << same.err;
  auto with_dir = runCommand(binary(), {"migrate", "--data-dir", dir.str(), "--from", sqliteUrl(dir.path() / "a.db"),
                                        "--to", sqliteUrl(dir.path() / "b.db")});
  EXPECT_EQ(with_dir.exit_code, 2) << with_dir.err;
  auto scheme = runCommand(binary(),
                           {"migrate", "--from", "mysql://me:hunter2@db/x", "--to", sqliteUrl(dir.path() / "b.db")});
  EXPECT_EQ(scheme.exit_code, 2) << scheme.err;
  EXPECT_EQ(scheme.err.find("hunter2"), std::string::npos) << scheme.err;

  auto missing = runCommand(binary(), {"migrate", "--from", sqliteUrl(dir.path() / "none" / "codecrew.db"), "--to",
                                       sqliteUrl(dir.path() / "b.db")});
  EXPECT_EQ(missing.exit_code, 1) << missing.err;
  EXPECT_NE(missing.err.find("no SQLite database"), std::string::npos) << missing.err;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "none"));
}

TEST(MigrateToPostgres, CopiesADataDirectoryIntoPostgresAndServeRunsOnIt) {
  CODECREW_REQUIRE_POSTGRES();
  Source source;
  ScratchSchema schema;
  // The test server trusts loopback, so a password in the URL is never
  // asked for: it is there to show that the output leaves it out.
  std::string url = schema.url();
  const std::string user = "://codecrew@";
  ASSERT_NE(url.find(user), std::string::npos) << url;
  url.replace(url.find(user), user.size(), "://codecrew:pw-not-shown@");

  TempDir empty;  // the server's data directory: its database is PostgreSQL
  std::string shown;
  copyAndServe(source, url, empty.str(), {{"DATABASE_URL", url}}, &shown);
  EXPECT_EQ(shown.find("pw-not-shown"), std::string::npos) << shown;
  EXPECT_NE(shown.find("://codecrew:***@"), std::string::npos) << shown;
}

}  // namespace
}  // namespace codecrew::testing
