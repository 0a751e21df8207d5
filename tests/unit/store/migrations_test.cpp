#include "store/sqlite/migrations.h"
#include "store/sqlite/query_support.h"
#include "store_fixture.h"

#include <array>
#include <set>

namespace codecrew::store::testing {
namespace {

using sqlite::Migration;
using sqlite::SqliteConnection;

std::unique_ptr<SqliteConnection> openRaw(const std::string& path) {
  auto c = SqliteConnection::open(path, {});
  EXPECT_TRUE(c.ok());
  return std::move(c).value();
}

std::set<std::string> tableNames(SqliteConnection& conn) {
  auto names = sqlite::fetchAll<std::string>(conn, "SELECT name FROM sqlite_master WHERE type = 'table'", {},
                                             [](const sqlite::Statement& s) { return s.text(0); });
  EXPECT_TRUE(names.ok());
  return {names->begin(), names->end()};
}

TEST(Migrations, EmptyFileMigratesToLatestWithEveryTable) {
  codecrew::testing::TempDir dir;
  auto clock = std::make_shared<core::FakeClock>();
  auto store = SqliteStore::open((dir.path() / "x.db").string(), clock);
  ASSERT_OK(store);
  auto before = (*store)->schemaVersion();
  ASSERT_OK(before);
  EXPECT_EQ(*before, 0);
  auto v = (*store)->migrate();
  ASSERT_OK(v);
  EXPECT_EQ(*v, sqlite::builtinMigrations().back().version);
  auto after = (*store)->schemaVersion();
  ASSERT_OK(after);
  EXPECT_EQ(*after, *v);

  auto raw = openRaw((dir.path() / "x.db").string());
  auto tables = tableNames(*raw);
  for (const char* t : {"schema_migrations", "tenants", "api_keys", "audit_entries", "projects", "workflows",
                        "executions", "execution_jobs", "job_attempts", "conversations", "messages", "llm_calls",
                        "code_files", "diffs", "artifacts", "approvals", "pull_requests", "checks", "events",
                        "crew_sessions", "session_files"}) {
    EXPECT_TRUE(tables.count(t)) << "missing table " << t;
  }
}

TEST(Migrations, EveryTableCarriesTenant) {
  codecrew::testing::TempDir dir;
  auto store = openSqliteStore((dir.path() / "x.db").string(), std::make_shared<core::FakeClock>());
  ASSERT_OK(store);
  auto raw = openRaw((dir.path() / "x.db").string());
  for (const auto& t : tableNames(*raw)) {
    if (t == "schema_migrations" || t == "tenants") continue;
    auto has = sqlite::fetchInt(*raw, "SELECT count(*) FROM pragma_table_info(?) WHERE name = 'tenant_id'", {t});
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
  auto rows = sqlite::fetchInt(*raw, "SELECT count(*) FROM schema_migrations", {});
  ASSERT_OK(rows);
  EXPECT_EQ(*rows, static_cast<std::int64_t>(sqlite::builtinMigrations().size()));
}

TEST(Migrations, AppliesInOrderAndStopsAtAFailingOne) {
  codecrew::testing::TempDir dir;
  auto raw = openRaw((dir.path() / "m.db").string());
  const std::array<Migration, 2> first = {Migration{1, "one", "CREATE TABLE a (x INTEGER)"},
                                          Migration{2, "two", "INSERT INTO a VALUES (2)"}};
  auto v = sqlite::applyMigrations(*raw, first, 1);
  ASSERT_OK(v);
  EXPECT_EQ(*v, 2);

  const std::array<Migration, 4> more = {first[0], first[1],
                                         Migration{3, "three", "INSERT INTO a VALUES (3)"},
                                         Migration{4, "broken", "INSERT INTO a VALUES (4); INSERT INTO nope VALUES (1)"}};
  auto failed = sqlite::applyMigrations(*raw, more, 2);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("migration 4 (broken)"), std::string::npos) << failed.error().message;
  auto version = sqlite::schemaVersion(*raw);
  ASSERT_OK(version);
  EXPECT_EQ(*version, 3);
  auto rows = sqlite::fetchAll<std::int64_t>(*raw, "SELECT x FROM a ORDER BY x", {},
                                             [](const sqlite::Statement& s) { return s.i64(0); });
  ASSERT_OK(rows);
  EXPECT_EQ(*rows, (std::vector<std::int64_t>{2, 3}));  // 4 rolled back with its migration
}

TEST(Migrations, RefusesASchemaNewerThanItKnows) {
  codecrew::testing::TempDir dir;
  auto raw = openRaw((dir.path() / "m.db").string());
  const std::array<Migration, 2> newer = {Migration{1, "one", "CREATE TABLE a (x INTEGER)"},
                                          Migration{2, "two", "CREATE TABLE b (x INTEGER)"}};
  ASSERT_OK(sqlite::applyMigrations(*raw, newer, 1));
  auto older = sqlite::applyMigrations(*raw, std::span(newer.data(), 1), 2);
  EXPECT_CODE(older, ErrorCode::kFailedPrecondition);
}

TEST(Migrations, ConnectionsRunInWalWithForeignKeys) {
  codecrew::testing::TempDir dir;
  auto raw = openRaw((dir.path() / "m.db").string());
  auto mode = sqlite::fetchOne<std::string>(*raw, "PRAGMA journal_mode", {},
                                            [](const sqlite::Statement& s) { return s.text(0); });
  ASSERT_OK(mode);
  EXPECT_EQ(**mode, "wal");
  auto fk = sqlite::fetchInt(*raw, "PRAGMA foreign_keys", {});
  ASSERT_OK(fk);
  EXPECT_EQ(*fk, 1);
}

}  // namespace
}  // namespace codecrew::store::testing
