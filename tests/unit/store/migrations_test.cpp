#include "store/sql/migrations.h"
#include "store/sql/query_support.h"
#include "store/sqlite/sqlite_connection.h"
#include "store_fixture.h"

#include <array>
#include <set>

namespace codecrew::store::testing {
namespace {

using sql::Migration;
using sqlite::SqliteConnection;

std::unique_ptr<SqliteConnection> openRaw(const std::string& path) {
  auto c = SqliteConnection::open(path, {});
  EXPECT_TRUE(c.ok());
  return std::move(c).value();
}

std::set<std::string> tableNames(SqliteConnection& conn) {
  auto names = sql::fetchAll<std::string>(conn, "SELECT name FROM sqlite_master WHERE type = 'table'", {},
                                          [](const sql::Statement& s) { return s.text(0); });
  EXPECT_TRUE(names.ok());
  return {names->begin(), names->end()};
}

TEST(Migrations, EmptyFileMigratesToLatestWithEveryTable) {
  codecrew::testing::TempDir dir;
  auto clock = std::make_shared<core::FakeClock>();
  auto store = SqlStore::openSqlite((dir.path() / "x.db").string(), clock);
  ASSERT_OK(store);
  auto before = (*store)->schemaVersion();
  ASSERT_OK(before);
  EXPECT_EQ(*before, 0);
  auto v = (*store)->migrate();
  ASSERT_OK(v);
  EXPECT_EQ(*v, sql::builtinMigrations().back().version);
  auto after = (*store)->schemaVersion();
  ASSERT_OK(after);
  EXPECT_EQ(*after, *v);

  auto raw = openRaw((dir.path() / "x.db").string());
  auto tables = tableNames(*raw);
  for (const char* t : {"schema_migrations",
                        "tenants",
                        "api_keys",
                        "audit_entries",
                        "projects",
                        "workflows",
                        "executions",
                        "execution_jobs",
                        "job_attempts",
                        "conversations",
                        "messages",
                        "llm_calls",
                        "code_files",
                        "diffs",
                        "artifacts",
                        "approvals",
                        "pull_requests",
                        "checks",
                        "events",
                        "crew_sessions",
                        "session_files",
                        "webhook_deliveries",
                        "workspace_steps"}) {
    EXPECT_TRUE(tables.count(t)) << "missing table " << t;
  }
}

TEST(Migrations, EveryTableCarriesTenant) {
  codecrew::testing::TempDir dir;
  auto store = openSqliteStore((dir.path() / "x.db").string(), std::make_shared<core::FakeClock>());
  ASSERT_OK(store);
  auto raw = openRaw((dir.path() / "x.db").string());
  for (const auto& t : tableNames(*raw)) {
    // webhook_deliveries: the code host's, recorded before any tenant is known.
    if (t == "schema_migrations" || t == "tenants" || t == "webhook_deliveries") continue;
    auto has = sql::fetchInt(*raw, "SELECT count(*) FROM pragma_table_info(?) WHERE name = 'tenant_id'", {t});
    ASSERT_OK(has);
    EXPECT_EQ(*has, 1) << t << " has no tenant_id";
  }
}

TEST(Migrations, RerunningIsIdempotent) {
  codecrew::testing::TempDir dir;
  auto clock = std::make_shared<core::FakeClock>();
  const std::string path = (dir.path() / "x.db").string();
  {
    auto store = openSqliteStore(path, clock);
    ASSERT_OK(store);
    ASSERT_OK((*store)->ensureTenant("kept"));
    auto again = (*store)->migrate();
    ASSERT_OK(again);
  }
  auto reopened = openSqliteStore(path, clock);
  ASSERT_OK(reopened);
  auto found = (*reopened)->findTenantByName("kept");
  ASSERT_OK(found);
  EXPECT_TRUE(found->has_value());
  auto raw = openRaw(path);
  auto rows = sql::fetchInt(*raw, "SELECT count(*) FROM schema_migrations", {});
  ASSERT_OK(rows);
  EXPECT_EQ(*rows, static_cast<std::int64_t>(sql::builtinMigrations().size()));
}

TEST(Migrations, AppliesInOrderAndStopsAtAFailingOne) {
  codecrew::testing::TempDir dir;
  auto raw = openRaw((dir.path() / "m.db").string());
  const std::array<Migration, 2> first = {Migration{1, "one", "CREATE TABLE a (x INTEGER)"},
                                          Migration{2, "two", "INSERT INTO a VALUES (2)"}};
  auto v = sql::applyMigrations(*raw, first, 1);
  ASSERT_OK(v);
  EXPECT_EQ(*v, 2);

  const std::array<Migration, 4> more = {first[0], first[1], Migration{3, "three", "INSERT INTO a VALUES (3)"},
                                         Migration{4, "broken",
                                                   "INSERT INTO a VALUES (4); INSERT INTO nope VALUES (1)"}};
  auto failed = sql::applyMigrations(*raw, more, 2);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("migration 4 (broken)"), std::string::npos) << failed.error().message;
  auto version = sql::schemaVersion(*raw);
  ASSERT_OK(version);
  EXPECT_EQ(*version, 3);
  auto rows = sql::fetchAll<std::int64_t>(*raw, "SELECT x FROM a ORDER BY x", {},
                                          [](const sql::Statement& s) { return s.i64(0); });
  ASSERT_OK(rows);
  EXPECT_EQ(*rows, (std::vector<std::int64_t>{2, 3}));  // 4 rolled back with its migration
}

// The opcodes of sql's program on conn (EXPLAIN's second column).
std::string opcodes(SqliteConnection& conn, const std::string& sql) {
  auto ops = sql::fetchAll<std::string>(conn, "EXPLAIN " + sql, {}, [](const sql::Statement& s) { return s.text(1); });
  EXPECT_TRUE(ops.ok()) << (ops.ok() ? "" : ops.error().message);
  std::string out;
  for (const auto& op : *ops) out += op + " ";
  return out;
}

constexpr const char* kInsertCall =
    "INSERT INTO llm_calls (tenant_id, conversation_id, model, status, timestamp, created_at, fallback_of) "
    "VALUES (1, ?, 'm', ?, 5, 5, ?)";

// Migration 3 on a database that already holds calls: the rows stay as they
// were, the CHECK still refuses an unknown status, the foreign keys still
// act, and an insert no longer builds a temporary b-tree for the CHECK.
TEST(Migrations, CheaperLlmCallInsertsKeepExistingCallsAndTheirConstraints) {
  codecrew::testing::TempDir dir;
  const std::string path = (dir.path() / "m.db").string();
  auto raw = openRaw(path);
  const auto all = sql::builtinMigrations();
  ASSERT_GE(all.size(), 3u);
  ASSERT_EQ(all[2].version, 3);
  ASSERT_OK(sql::applyMigrations(*raw, all.first(2), 1));
  ASSERT_OK(
      raw->exec("INSERT INTO tenants (id, name, created_at, updated_at) VALUES (1, 't', 0, 0);"
                "INSERT INTO workflows (id, tenant_id, name, created_at, updated_at) VALUES (1, 1, 'w', 0, 0);"
                "INSERT INTO conversations (id, tenant_id, workflow_id, timestamp, created_at, updated_at)"
                " VALUES (1, 1, 1, 0, 0, 0);"));
  auto insert = [&](SqliteConnection& conn, sql::SqlValue conversation, std::string status, sql::SqlValue fallback) {
    return sql::execute(conn, kInsertCall, {conversation, status, fallback});
  };
  ASSERT_OK(insert(*raw, std::int64_t{1}, "failed", nullptr));                     // call 1, in the conversation
  ASSERT_OK(insert(*raw, nullptr, "success", std::int64_t{1}));                    // call 2, falls back from 1
  ASSERT_OK(insert(*raw, nullptr, "truncated", nullptr));                          // call 3
  EXPECT_NE(opcodes(*raw, kInsertCall).find("OpenEphemeral"), std::string::npos);  // what the migration removes

  auto v = sql::applyMigrations(*raw, all, 2);
  ASSERT_OK(v);
  EXPECT_EQ(*v, all.back().version);

  auto fresh = openRaw(path);
  for (SqliteConnection* conn : {raw.get(), fresh.get()}) {
    EXPECT_EQ(opcodes(*conn, kInsertCall).find("OpenEphemeral"), std::string::npos) << opcodes(*conn, kInsertCall);
  }
  auto check = sql::fetchOne<std::string>(*fresh, "PRAGMA integrity_check", {},
                                          [](const sql::Statement& s) { return s.text(0); });
  ASSERT_OK(check);
  EXPECT_EQ(**check, "ok");
  auto rows = sql::fetchAll<std::string>(
      *fresh,
      "SELECT id || ':' || coalesce(conversation_id, '-') || ':' || status || ':' || coalesce(fallback_of, '-') "
      "FROM llm_calls ORDER BY id",
      {}, [](const sql::Statement& s) { return s.text(0); });
  ASSERT_OK(rows);
  EXPECT_EQ(*rows, (std::vector<std::string>{"1:1:failed:-", "2:-:success:1", "3:-:truncated:-"}));

  EXPECT_CODE(insert(*fresh, nullptr, "bogus", nullptr), ErrorCode::kInvalidArgument);
  EXPECT_CODE(insert(*fresh, std::int64_t{9}, "success", nullptr), ErrorCode::kNotFound);  // no conversation 9
  ASSERT_OK(insert(*fresh, nullptr, "skipped", nullptr));

  // The partial indexes still serve the foreign keys' actions: deleting
  // the conversation deletes its call, which clears call 2's fallback_of.
  ASSERT_OK(fresh->exec("DELETE FROM conversations WHERE id = 1"));
  auto after = sql::fetchAll<std::string>(*fresh,
                                          "SELECT id || ':' || coalesce(fallback_of, '-') FROM llm_calls ORDER BY id",
                                          {}, [](const sql::Statement& s) { return s.text(0); });
  ASSERT_OK(after);
  EXPECT_EQ(*after, (std::vector<std::string>{"2:-", "3:-", "4:-"}));
}

// Branches developed at once each take a number: a database that reached 3
// before the branch with 2 merged still gets 2, and a rerun applies nothing.
TEST(Migrations, AGapIsAllowedAndALowerNumberMergedLaterIsStillApplied) {
  codecrew::testing::TempDir dir;
  auto raw = openRaw((dir.path() / "m.db").string());
  const std::array<Migration, 2> gap = {Migration{1, "one", "CREATE TABLE a (x INTEGER)"},
                                        Migration{3, "three", "INSERT INTO a VALUES (3)"}};
  auto v = sql::applyMigrations(*raw, gap, 1);
  ASSERT_OK(v);
  EXPECT_EQ(*v, 3);
  const std::array<Migration, 3> merged = {gap[0], Migration{2, "two", "INSERT INTO a VALUES (2)"}, gap[1]};
  v = sql::applyMigrations(*raw, merged, 2);
  ASSERT_OK(v);
  EXPECT_EQ(*v, 3);
  v = sql::applyMigrations(*raw, merged, 3);
  ASSERT_OK(v);
  auto rows = sql::fetchAll<std::int64_t>(*raw, "SELECT x FROM a ORDER BY x", {},
                                          [](const sql::Statement& s) { return s.i64(0); });
  ASSERT_OK(rows);
  EXPECT_EQ(*rows, (std::vector<std::int64_t>{2, 3}));  // each applied once
  auto recorded = sql::fetchInt(*raw, "SELECT count(*) FROM schema_migrations", {});
  ASSERT_OK(recorded);
  EXPECT_EQ(*recorded, 3);
}

TEST(Migrations, RefusesASchemaNewerThanItKnows) {
  codecrew::testing::TempDir dir;
  auto raw = openRaw((dir.path() / "m.db").string());
  const std::array<Migration, 2> newer = {Migration{1, "one", "CREATE TABLE a (x INTEGER)"},
                                          Migration{2, "two", "CREATE TABLE b (x INTEGER)"}};
  ASSERT_OK(sql::applyMigrations(*raw, newer, 1));
  auto older = sql::applyMigrations(*raw, std::span(newer.data(), 1), 2);
  EXPECT_CODE(older, ErrorCode::kFailedPrecondition);
}

TEST(Migrations, ConnectionsRunInWalWithForeignKeys) {
  codecrew::testing::TempDir dir;
  auto raw = openRaw((dir.path() / "m.db").string());
  auto mode = sql::fetchOne<std::string>(*raw, "PRAGMA journal_mode", {},
                                         [](const sql::Statement& s) { return s.text(0); });
  ASSERT_OK(mode);
  EXPECT_EQ(**mode, "wal");
  auto fk = sql::fetchInt(*raw, "PRAGMA foreign_keys", {});
  ASSERT_OK(fk);
  EXPECT_EQ(*fk, 1);
}

}  // namespace
}  // namespace codecrew::store::testing
