#include "support/postgres_server.h"

#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <stdexcept>
#include <thread>

#ifndef CODECREW_PG_TEST_SCRIPT
#error "CODECREW_PG_TEST_SCRIPT (the path of scripts/pg-test-server.sh) must be defined by the build"
#endif

namespace codecrew::testing {
namespace {

const char* envOrNull(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

// One libpq connection, closed when destroyed.
class PgConnection {
 public:
  explicit PgConnection(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (!conn_) throw std::runtime_error("libpq could not allocate a connection");
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string message = PQerrorMessage(conn_);
      PQfinish(conn_);
      throw std::runtime_error("cannot connect to the test PostgreSQL (" + url + "): " + message);
    }
  }
  ~PgConnection() { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  std::vector<PgRow> run(const std::string& sql, const std::vector<std::string>& params) {
    PGresult* result = nullptr;
    if (params.empty()) {
      result = PQexec(conn_, sql.c_str());
    } else {
      std::vector<const char*> values;
      for (const auto& p : params) values.push_back(p.c_str());
      result = PQexecParams(conn_, sql.c_str(), int(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
    }
    auto status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn_);
      PQclear(result);
      throw std::runtime_error("SQL failed on the test PostgreSQL: " + message + "  in: " + sql);
    }
    std::vector<PgRow> rows;
    for (int r = 0; r < PQntuples(result); ++r) {
      PgRow row;
      for (int c = 0; c < PQnfields(result); ++c) {
        if (PQgetisnull(result, r, c)) {
          row.emplace_back(std::nullopt);
        } else {
          row.emplace_back(std::string(PQgetvalue(result, r, c), size_t(PQgetlength(result, r, c))));
        }
      }
      rows.push_back(std::move(row));
    }
    PQclear(result);
    return rows;
  }

 private:
  PGconn* conn_;
};

std::string requireTestUrl() {
  auto url = testPostgresUrl();
  if (!url) {
    throw std::runtime_error(
        "no test PostgreSQL: set CODECREW_TEST_POSTGRES_URL, or CODECREW_TEST_POSTGRES_DIR to a directory of "
        "scripts/pg-test-server.sh start (ctest sets it for the tests of the fixture postgres)");
  }
  return *url;
}

int firstInt(const std::vector<PgRow>& rows) {
  if (rows.empty() || rows[0].empty() || !rows[0][0]) throw std::runtime_error("expected a number, got no value");
  return std::stoi(*rows[0][0]);
}

// Percent-encodes a URL query value (RFC 3986 unreserved characters kept).
std::string percentEncode(const std::string& value) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : value) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += char(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
  return out;
}

std::string withParameter(const std::string& url, const std::string& key, const std::string& value) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + key + "=" + percentEncode(value);
}

std::string shellQuote(const std::string& s) {
  std::string out = "'";
  for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

std::string uniqueSchemaName() {
  static std::atomic<int> counter{0};
  static const unsigned salt = std::random_device{}();
  char buf[64];
  std::snprintf(buf, sizeof buf, "codecrew_t_%d_%d_%06x", int(getpid()), ++counter, salt & 0xffffffu);
  return buf;
}

}  // namespace

std::optional<std::string> testPostgresUrl() {
  if (const char* url = envOrNull("CODECREW_TEST_POSTGRES_URL")) return std::string(url);
  const char* dir = envOrNull("CODECREW_TEST_POSTGRES_DIR");
  if (!dir) return std::nullopt;
  std::ifstream in(std::string(dir) + "/url");
  std::string url;
  if (!in || !std::getline(in, url) || url.empty()) return std::nullopt;
  return url;
}

bool testPostgresConfigured() {
  return envOrNull("CODECREW_TEST_POSTGRES_URL") || envOrNull("CODECREW_TEST_POSTGRES_DIR");
}

std::vector<PgRow> runSql(const std::string& url, const std::string& sql, const std::vector<std::string>& params) {
  PgConnection conn(url);
  return conn.run(sql, params);
}

std::vector<PgRow> runSqlAsSuperuser(const std::string& sql, const std::vector<std::string>& params) {
  return runSql(requireTestUrl(), sql, params);
}

int clientConnectionCount(const std::string& application_name_pattern) {
  const std::string sql =
      "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() "
      "AND application_name LIKE $1";
  return firstInt(runSqlAsSuperuser(sql, {application_name_pattern}));
}

int awaitClientConnectionCount(int expected, const std::string& application_name_pattern, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  int count = clientConnectionCount(application_name_pattern);
  while (count != expected && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    count = clientConnectionCount(application_name_pattern);
  }
  return count;
}

int terminateBackends(const std::string& application_name_pattern) {
  // pg_terminate_backend(pid, timeout) waits for the backend to exit (false,
  // with a warning, when it has not after the timeout).
  const std::string sql =
      "SELECT pid, pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE backend_type = 'client backend' "
      "AND pid <> pg_backend_pid() AND application_name LIKE $1";
  auto rows = runSqlAsSuperuser(sql, {application_name_pattern});
  for (const auto& row : rows) {
    if (row.size() < 2 || row[1] != std::optional<std::string>("t")) {
      // false also when the backend ended by itself between the listing and
      // the signal: only one that is still there failed to exit.
      auto still = runSqlAsSuperuser("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", {row[0].value_or("0")});
      if (!still.empty() && still[0][0] == std::optional<std::string>("0")) continue;
      throw std::runtime_error("the test PostgreSQL's backend " + row[0].value_or("?") +
                               " did not exit within 10 s of pg_terminate_backend");
    }
  }
  return int(rows.size());
}

void restartServer() {
  const char* dir = envOrNull("CODECREW_TEST_POSTGRES_DIR");
  if (!dir) {
    throw std::runtime_error(
        "restartServer needs CODECREW_TEST_POSTGRES_DIR (a server of scripts/pg-test-server.sh), not only a URL");
  }
  const char* script = envOrNull("CODECREW_TEST_POSTGRES_SCRIPT");
  std::string command = "bash " + shellQuote(script ? script : CODECREW_PG_TEST_SCRIPT) + " restart " +
                        shellQuote(dir) + " </dev/null 2>&1";
  FILE* pipe = popen(command.c_str(), "re");
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::string output;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
  int status = pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("restarting the test PostgreSQL failed (" + command + "):\n" + output);
  }
}

ScratchSchema::ScratchSchema() : ScratchSchema(requireTestUrl()) {}

ScratchSchema::ScratchSchema(std::string base_url)
    : base_url_(std::move(base_url)),
      name_(uniqueSchemaName()),
      url_(withParameter(base_url_, "options", "-csearch_path=" + name_)) {
  runSql(base_url_, "CREATE SCHEMA " + name_);
}

ScratchSchema::~ScratchSchema() {
  // A transaction left open on the schema's tables would hold the drop: give
  // up after a while and leave the schema to the next start of the server.
  try {
    runSql(base_url_, "SET lock_timeout = '10s'; DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
  } catch (const std::exception& e) {
    std::cerr << "ScratchSchema: could not drop " << name_ << ": " << e.what() << "\n";
  }
}

std::string ScratchSchema::urlWithApplicationName(const std::string& application_name) const {
  return withParameter(url_, "application_name", application_name);
}

}  // namespace codecrew::testing
