// The test PostgreSQL harness itself: scripts/pg-test-server.sh as the CTest
// fixture `postgres`, and tests/support/postgres_server.h over it.
#include <libpq-fe.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "support/postgres_server.h"

namespace codecrew::testing {
namespace {

// A connection held open across a test step, closed when destroyed.
class HeldConnection {
 public:
  explicit HeldConnection(const std::string& url) : conn_(PQconnectdb(url.c_str())) {}
  ~HeldConnection() { PQfinish(conn_); }
  HeldConnection(const HeldConnection&) = delete;
  HeldConnection& operator=(const HeldConnection&) = delete;

  bool ok() const { return PQstatus(conn_) == CONNECTION_OK; }
  std::string error() const { return PQerrorMessage(conn_); }
  // Whether a trivial query succeeds on this connection.
  bool answers() {
    PGresult* r = PQexec(conn_, "SELECT 1");
    bool answered = PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    return answered;
  }
  void reset() { PQreset(conn_); }

 private:
  PGconn* conn_;
};

std::string scalar(const std::string& url, const std::string& sql, const std::vector<std::string>& params = {}) {
  auto rows = runSql(url, sql, params);
  if (rows.empty() || rows[0].empty() || !rows[0][0]) return "<null>";
  return *rows[0][0];
}

int schemaCount(const std::string& name) {
  return std::stoi(*runSqlAsSuperuser("SELECT count(*) FROM pg_namespace WHERE nspname = $1", {name})[0][0]);
}

std::string probeName(const std::string& what) { return "harness_" + what + "_" + std::to_string(getpid()); }

// Sets (or, with nullopt, unsets) an environment variable for its lifetime.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::optional<std::string>& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    if (value) {
      setenv(name_.c_str(), value->c_str(), 1);
    } else {
      unsetenv(name_.c_str());
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      unsetenv(name_.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

// Needs no server: registered without the fixture (tests/CMakeLists.txt).
TEST(PostgresHarnessEnvironment, TheUrlComesFromTheUrlVariableElseFromTheDirectory) {
  char dir_template[] = "/tmp/codecrew-pg-env-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  {
    ScopedEnv no_url("CODECREW_TEST_POSTGRES_URL", std::nullopt);
    ScopedEnv no_dir("CODECREW_TEST_POSTGRES_DIR", std::nullopt);
    EXPECT_FALSE(testPostgresConfigured());
    EXPECT_EQ(testPostgresUrl(), std::nullopt);
    EXPECT_THROW(ScratchSchema(), std::runtime_error);
    EXPECT_THROW(restartServer(), std::runtime_error);
  }
  {
    ScopedEnv no_url("CODECREW_TEST_POSTGRES_URL", std::nullopt);
    ScopedEnv with_dir("CODECREW_TEST_POSTGRES_DIR", dir);
    EXPECT_TRUE(testPostgresConfigured());
    EXPECT_EQ(testPostgresUrl(), std::nullopt);  // no url: the server is not running
    std::ofstream(dir + "/url") << "postgresql://codecrew@127.0.0.1:1/postgres\n";
    EXPECT_EQ(testPostgresUrl(), "postgresql://codecrew@127.0.0.1:1/postgres");
    ScopedEnv with_url("CODECREW_TEST_POSTGRES_URL", "postgresql://elsewhere/db");
    EXPECT_EQ(testPostgresUrl(), "postgresql://elsewhere/db");
  }
  std::remove((dir + "/url").c_str());
  rmdir(dir.c_str());
}

TEST(PostgresHarness, ScratchSchemasAreIsolated) {
  CODECREW_REQUIRE_POSTGRES();
  ScratchSchema a;
  ScratchSchema b;
  EXPECT_NE(a.name(), b.name());
  EXPECT_EQ(scalar(a.url(), "SELECT current_schema()"), a.name());
  EXPECT_EQ(scalar(b.url(), "SELECT current_schema()"), b.name());

  runSql(a.url(), "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('written in a')");
  EXPECT_EQ(scalar(a.url(), "SELECT body FROM notes"), "written in a");
  EXPECT_EQ(scalar(a.url(), "SELECT to_regclass('notes')::text"), "notes");
  EXPECT_EQ(scalar(b.url(), "SELECT to_regclass('notes')::text"), "<null>");
  EXPECT_THROW(runSql(b.url(), "SELECT body FROM notes"), std::runtime_error);

  // The same unqualified name in b is b's own table.
  runSql(b.url(), "CREATE TABLE notes (body text)");
  EXPECT_EQ(scalar(b.url(), "SELECT count(*) FROM notes"), "0");
  EXPECT_EQ(scalar(a.url(), "SELECT count(*) FROM notes"), "1");
}

TEST(PostgresHarness, ScratchSchemaUrlKeepsTheBaseUrlsParameters) {
  CODECREW_REQUIRE_POSTGRES();
  ScratchSchema s(*testPostgresUrl() + "?connect_timeout=10&application_name=harness_base");
  EXPECT_EQ(scalar(s.url(), "SHOW search_path"), s.name());
  EXPECT_EQ(scalar(s.url(), "SHOW application_name"), "harness_base");
  EXPECT_EQ(scalar(s.urlWithApplicationName("harness_named"), "SHOW application_name"), "harness_named");
  EXPECT_EQ(scalar(s.urlWithApplicationName("harness_named"), "SELECT current_schema()"), s.name());
}

TEST(PostgresHarness, ScratchSchemaIsDroppedWithItsTables) {
  CODECREW_REQUIRE_POSTGRES();
  std::string name;
  {
    ScratchSchema s;
    name = s.name();
    runSql(s.url(), "CREATE TABLE items (id bigint PRIMARY KEY); INSERT INTO items VALUES (1)");
    EXPECT_EQ(schemaCount(name), 1);
  }
  EXPECT_EQ(schemaCount(name), 0);
  EXPECT_EQ(scalar(*testPostgresUrl(), "SELECT to_regclass($1)::text", {name + ".items"}), "<null>");
}

TEST(PostgresHarness, ServerRunsUnprivilegedOnLoopbackOnly) {
  CODECREW_REQUIRE_POSTGRES();
  if (!std::getenv("CODECREW_TEST_POSTGRES_DIR")) GTEST_SKIP() << "a server given by URL only may be anywhere";
  auto url = *testPostgresUrl();
  EXPECT_EQ(url.rfind("postgresql://codecrew@127.0.0.1:", 0), 0u) << url;
  EXPECT_EQ(scalar(url, "SHOW listen_addresses"), "127.0.0.1");
  EXPECT_EQ(scalar(url, "SELECT current_user"), "codecrew");
  EXPECT_EQ(scalar(url, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user"), "true");
  EXPECT_EQ(scalar(url, "SHOW server_encoding"), "UTF8");
  EXPECT_EQ(scalar(url, "SHOW max_connections"), "200");
  EXPECT_EQ(scalar(url, "SHOW fsync"), "off");

  // The postmaster (first line of postmaster.pid) and the data directory
  // belong to one user, never root; run by another user, it is that user.
  auto data_dir = scalar(url, "SHOW data_directory");
  auto pid_file = scalar(url, "SELECT pg_read_file('postmaster.pid')");
  auto postmaster = pid_file.substr(0, pid_file.find('\n'));
  struct stat proc_stat {};
  struct stat data_stat {};
  ASSERT_EQ(stat(("/proc/" + postmaster).c_str(), &proc_stat), 0) << "postmaster " << postmaster;
  ASSERT_EQ(stat(data_dir.c_str(), &data_stat), 0) << data_dir;
  EXPECT_NE(proc_stat.st_uid, 0u);
  EXPECT_EQ(data_stat.st_uid, proc_stat.st_uid);
  if (getuid() != 0) {
    EXPECT_EQ(proc_stat.st_uid, getuid());
  }
}

TEST(PostgresHarness, CountsAndTerminatesClientConnections) {
  CODECREW_REQUIRE_POSTGRES();
  ScratchSchema s;
  const auto app = probeName("count");
  EXPECT_EQ(clientConnectionCount(app), 0);
  HeldConnection first(s.urlWithApplicationName(app));
  HeldConnection second(s.urlWithApplicationName(app));
  ASSERT_TRUE(first.ok()) << first.error();
  ASSERT_TRUE(second.ok()) << second.error();
  EXPECT_EQ(clientConnectionCount(app), 2);
  {
    HeldConnection third(s.urlWithApplicationName(app));
    ASSERT_TRUE(third.ok()) << third.error();
    EXPECT_EQ(clientConnectionCount(app), 3);
  }
  EXPECT_EQ(awaitClientConnectionCount(2, app), 2);

  EXPECT_EQ(terminateBackends(app), 2);
  EXPECT_EQ(clientConnectionCount(app), 0);
  EXPECT_FALSE(first.answers());
  EXPECT_FALSE(second.answers());
  EXPECT_EQ(terminateBackends(app), 0);
}

// RUN_SERIAL (tests/CMakeLists.txt): a restart breaks every connection.
TEST(PostgresHarness, RestartKeepsTheUrlWorking) {
  CODECREW_REQUIRE_POSTGRES();
  if (!std::getenv("CODECREW_TEST_POSTGRES_DIR")) GTEST_SKIP() << "only a server of the script restarts";
  ScratchSchema s;
  runSql(s.url(), "CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)");
  HeldConnection held(s.urlWithApplicationName(probeName("restart")));
  ASSERT_TRUE(held.ok()) << held.error();
  auto before = testPostgresUrl();

  restartServer();

  EXPECT_EQ(testPostgresUrl(), before);
  EXPECT_FALSE(held.answers());
  EXPECT_EQ(scalar(s.url(), "SELECT x FROM kept"), "42");
  held.reset();
  ASSERT_TRUE(held.ok()) << held.error();
  EXPECT_TRUE(held.answers());
}

}  // namespace
}  // namespace codecrew::testing
