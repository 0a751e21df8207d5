#include "store/sql/migrations.h"

#include <set>
#include <stdexcept>
#include <string>

namespace codecrew::store::sql {
namespace {

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at INTEGER NOT NULL)";

// PostgreSQL: the advisory lock that lets one migrator at a time through.
constexpr std::string_view kPostgresMigrationLock = "SELECT pg_advisory_xact_lock(7432001)";

// Whether schema_migrations records the version.
core::Result<bool> isApplied(Connection& conn, int version) {
  auto q = conn.prepare("SELECT count(*) FROM schema_migrations WHERE version = ?");
  if (!q.ok()) return std::move(q).error();
  q->bind(version);
  if (auto row = q->step(); !row.ok()) return std::move(row).error();
  return q->i64(0) > 0;
}

// The versions schema_migrations records.
core::Result<std::set<int>> appliedVersions(Connection& conn) {
  auto q = conn.prepare("SELECT version FROM schema_migrations");
  if (!q.ok()) return std::move(q).error();
  std::set<int> out;
  while (true) {
    auto row = q->step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return out;
    out.insert(q->i32(0));
  }
}

core::Status applyOne(Connection& conn, const Migration& m, core::Millis now) {
  const bool pg = conn.dialect() == Dialect::kPostgres;
  if (auto st = conn.exec(pg ? "BEGIN" : "BEGIN IMMEDIATE"); !st.ok()) return st;
  auto fail = [&](core::Error err) -> core::Status {
    (void)conn.exec("ROLLBACK");
    err.message = "migration " + std::to_string(m.version) + " (" + std::string(m.name) + ") failed: " + err.message;
    return err;
  };
  if (pg) {
    if (auto st = conn.exec(kPostgresMigrationLock); !st.ok()) return fail(std::move(st).error());
  }
  auto applied = isApplied(conn, m.version);
  if (!applied.ok()) return fail(std::move(applied).error());
  if (*applied) return conn.exec("COMMIT");  // another process got here first
  const std::string ddl = ddlFor(conn.dialect(), pg && !m.postgres_sql.empty() ? m.postgres_sql : m.sql);
  if (auto st = conn.exec(ddl); !st.ok()) return fail(std::move(st).error());
  auto ins = conn.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  if (!ins.ok()) return fail(std::move(ins).error());
  ins->bind(m.version, m.name, now);
  if (auto st = ins->run(); !st.ok()) return fail(std::move(st).error());
  if (auto st = conn.exec("COMMIT"); !st.ok()) return fail(std::move(st).error());
  return {};
}

}  // namespace

core::Result<int> schemaVersion(Connection& conn) {
  auto exists = conn.prepare(
      conn.dialect() == Dialect::kPostgres
          ? "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
          : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
  if (!exists.ok()) return std::move(exists).error();
  if (auto row = exists->step(); !row.ok()) return std::move(row).error();
  if (exists->i64(0) == 0) return 0;
  auto q = conn.prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!q.ok()) return std::move(q).error();
  if (auto row = q->step(); !row.ok()) return std::move(row).error();
  return q->i32(0);
}

core::Result<int> applyMigrations(Connection& conn, std::span<const Migration> migrations, core::Millis now) {
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version <= migrations[i - 1].version) {
      throw std::logic_error("migrations must be in strictly increasing version order");
    }
  }
  std::string create = ddlFor(conn.dialect(), kCreateMigrationsTable);
  if (conn.dialect() == Dialect::kPostgres) {
    // Concurrent CREATE TABLE IF NOT EXISTS can collide in PostgreSQL's catalog.
    create = "BEGIN; " + std::string(kPostgresMigrationLock) + "; " + create + "; COMMIT";
  }
  if (auto st = conn.exec(create); !st.ok()) return std::move(st).error();
  auto current = schemaVersion(conn);
  if (!current.ok()) return current;
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (*current > latest) {
    return core::Error{core::ErrorCode::kFailedPrecondition,
                       "the database schema is at version " + std::to_string(*current) +
                           ", newer than this codecrew knows (" + std::to_string(latest) +
                           "); upgrade codecrew or use another data directory",
                       nullptr};
  }
  auto applied = appliedVersions(conn);
  if (!applied.ok()) return std::move(applied).error();
  for (const Migration& m : migrations) {
    if (applied->count(m.version)) continue;
    if (auto st = applyOne(conn, m, now); !st.ok()) return std::move(st).error();
  }
  return schemaVersion(conn);
}

}  // namespace codecrew::store::sql
