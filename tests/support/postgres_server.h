// The test PostgreSQL: where it is, a scratch schema per test on it, and the
// superuser's probes (run SQL, count and terminate client connections, restart
// the server).
//
// The server is the CTest fixture `postgres` (tests/CMakeLists.txt): the test
// postgres.start runs scripts/pg-test-server.sh start DIR, with DIR
// build/<preset>/postgres-test, before the first test that requires it, and
// postgres.stop after the last. A test binary finds it through its environment:
//   CODECREW_TEST_POSTGRES_URL  a superuser's libpq URL of any server (wins), or
//   CODECREW_TEST_POSTGRES_DIR  the script's DIR (its file url), which CTest
//                               sets for the tests registered with the fixture.
// Outside CTest:
//   scripts/pg-test-server.sh start /tmp/pg
//   CODECREW_TEST_POSTGRES_DIR=/tmp/pg build/release/tests/store_tests --gtest_filter='*Postgres*'
//
// Tests run in parallel against the one server (ctest -j): each works in its
// own ScratchSchema, and the probes that count or terminate connections take
// an application_name pattern that only that test's connections match. A test
// that restarts the server must run alone (RUN_SERIAL; see
// codecrew_discover_tests in tests/CMakeLists.txt).
//
// The server trades durability for speed (fsync and synchronous_commit off): a
// fast restart keeps every commit, a SIGKILL of the server may lose the last.
//
// Failures (no server, an SQL error) throw std::runtime_error carrying the
// server's message, which fails the test. Every function opens a connection of
// its own; call them from any thread. A ScratchSchema belongs to one thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace codecrew::testing {

// The test server's superuser URL (postgresql://codecrew@127.0.0.1:PORT/postgres):
// CODECREW_TEST_POSTGRES_URL, else DIR/url of CODECREW_TEST_POSTGRES_DIR; nullopt
// when neither is set or DIR has no url.
std::optional<std::string> testPostgresUrl();

// Whether the environment names a test server at all (either variable set).
bool testPostgresConfigured();

// Skips the test when no test server is configured (a binary run by hand), and
// fails it when one is configured but cannot be found (postgres.start failed).
#define CODECREW_REQUIRE_POSTGRES()                                                                    \
  do {                                                                                                 \
    if (!::codecrew::testing::testPostgresConfigured())                                                \
      GTEST_SKIP() << "no test PostgreSQL: run through ctest, or set CODECREW_TEST_POSTGRES_DIR/_URL"; \
    ASSERT_TRUE(::codecrew::testing::testPostgresUrl().has_value())                                    \
        << "CODECREW_TEST_POSTGRES_DIR names no running server (did postgres.start fail?)";            \
  } while (0)

// One row of a result: each column's text, nullopt for NULL.
using PgRow = std::vector<std::optional<std::string>>;

// Runs sql on a new connection to url and returns the rows of its (last)
// result. With params, sql is one statement whose $1, $2... are bound to them
// as text; without, it may hold several statements separated by semicolons.
std::vector<PgRow> runSql(const std::string& url, const std::string& sql, const std::vector<std::string>& params = {});

// runSql on the test server as its superuser, in the database postgres.
std::vector<PgRow> runSqlAsSuperuser(const std::string& sql, const std::vector<std::string>& params = {});

// The server's client connections (pg_stat_activity, backend_type 'client
// backend') whose application_name is LIKE pattern, the asking one excluded.
// A connection closed by its client leaves a moment later: to see it gone,
// awaitClientConnectionCount.
int clientConnectionCount(const std::string& application_name_pattern = "%");

// Polls clientConnectionCount(pattern) until it equals expected or timeout_ms
// has passed; returns the last count.
int awaitClientConnectionCount(int expected, const std::string& application_name_pattern, int timeout_ms = 10000);

// Terminates (pg_terminate_backend) the client connections whose
// application_name is LIKE pattern, other than the asking one, waiting until
// each has gone; returns how many there were.
int terminateBackends(const std::string& application_name_pattern);

// Restarts the test server (scripts/pg-test-server.sh restart: a fast
// shutdown, then a start on the same port and data). Every open connection
// breaks; new ones to the same URLs work once this returns. Needs
// CODECREW_TEST_POSTGRES_DIR (a server of the script); throws otherwise.
void restartServer();

// A fresh schema on the test server, dropped with everything in it (CASCADE)
// when destroyed. url() connects as the superuser with the schema as the
// search_path, so unqualified names (a store's tables and its migrations)
// land in it and nothing else of the server is visible unqualified; pg_catalog
// stays visible. Construction throws when there is no test server.
class ScratchSchema {
 public:
  ScratchSchema();
  // On the server of base_url (a superuser's URL; it may carry parameters).
  explicit ScratchSchema(std::string base_url);
  ~ScratchSchema();
  ScratchSchema(const ScratchSchema&) = delete;
  ScratchSchema& operator=(const ScratchSchema&) = delete;

  // The schema's name: lower case, unique on the server (codecrew_t_...).
  const std::string& name() const { return name_; }
  // base URL + options=-csearch_path=<name> (percent-encoded).
  const std::string& url() const { return url_; }
  // url() with an application_name, to tell this test's connections apart in
  // clientConnectionCount and terminateBackends.
  std::string urlWithApplicationName(const std::string& application_name) const;

 private:
  std::string base_url_;
  std::string name_;
  std::string url_;
};

}  // namespace codecrew::testing
