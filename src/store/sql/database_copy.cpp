#include "store/sql/database_copy.h"

#include "store/sql/migrations.h"
#include "store/sql/query_support.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <set>
#include <utility>
#include <variant>

namespace codecrew::store::sql {
namespace {

constexpr std::array kTables = {
    CopiedTable{"tenants"},
    CopiedTable{"api_keys"},
    CopiedTable{"audit_entries"},
    CopiedTable{"projects"},
    CopiedTable{"workflows"},
    CopiedTable{"executions"},
    CopiedTable{"execution_jobs"},
    CopiedTable{"job_attempts"},
    CopiedTable{"conversations"},
    CopiedTable{"messages"},
    CopiedTable{"llm_calls", "fallback_of"},
    CopiedTable{"code_files"},
    CopiedTable{"diffs"},
    CopiedTable{"artifacts"},
    CopiedTable{"approvals"},
    CopiedTable{"pull_requests"},
    CopiedTable{"checks"},
    CopiedTable{"events"},
    CopiedTable{"crew_sessions"},
    CopiedTable{"session_files"},
    CopiedTable{"webhook_deliveries"},
    CopiedTable{"workspace_steps"},
};

// Parameters in one INSERT: under SQLite's limit (32766) and PostgreSQL's (65535).
constexpr int kMaxParams = 30000;

// An identifier as SQL text. Table names come from kTables and column names
// from the database's own catalog, never from input; quoting keeps names
// that are keywords (timestamp) plain names.
std::string quoted(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// SQLite's type affinity rules (datatype3.html, 3.1) over a declared type.
ColumnKind sqliteKind(const std::string& declared) {
  const std::string t = upper(declared);
  if (t.find("INT") != std::string::npos) return ColumnKind::kInteger;
  if (t.find("REAL") != std::string::npos || t.find("FLOA") != std::string::npos ||
      t.find("DOUB") != std::string::npos) {
    return ColumnKind::kReal;
  }
  return ColumnKind::kText;
}

ColumnKind postgresKind(const std::string& data_type) {
  if (data_type == "bigint" || data_type == "integer" || data_type == "smallint" || data_type == "boolean") {
    return ColumnKind::kInteger;
  }
  if (data_type == "double precision" || data_type == "real" || data_type == "numeric") return ColumnKind::kReal;
  return ColumnKind::kText;
}

core::Error inTable(std::string_view table, core::Error error) {
  error.message = "copying " + std::string(table) + ": " + error.message;
  return error;
}

SqlValue readValue(const Statement& row, int col, ColumnKind kind) {
  if (row.isNull(col)) return nullptr;
  switch (kind) {
    case ColumnKind::kInteger: return row.i64(col);
    case ColumnKind::kReal: return row.f64(col);
    case ColumnKind::kText: break;
  }
  return row.text(col);
}

core::Result<std::int64_t> countRows(Connection& conn, std::string_view table) {
  return fetchInt(conn, "SELECT count(*) FROM " + quoted(table), {});
}

core::Status requireSameVersion(Connection& source, Connection& target, int& version) {
  auto from = schemaVersion(source);
  if (!from.ok()) return std::move(from).error();
  auto to = schemaVersion(target);
  if (!to.ok()) return std::move(to).error();
  if (*from != *to) {
    return core::Error{core::ErrorCode::kFailedPrecondition,
                       "the source's schema is at version " + std::to_string(*from) + " and the target's at " +
                           std::to_string(*to) + ": migrate both with this codecrew first",
                       nullptr};
  }
  version = *from;
  return {};
}

// kFailedPrecondition naming the copied tables of target that hold rows.
core::Status requireEmpty(Connection& target) {
  std::string held;
  for (const CopiedTable& table : kTables) {
    auto n = countRows(target, table.name);
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) continue;
    if (!held.empty()) held += ", ";
    held += std::string(table.name) + " (" + std::to_string(*n) + (*n == 1 ? " row)" : " rows)");
  }
  if (held.empty()) return {};
  return core::Error{core::ErrorCode::kFailedPrecondition,
                     "the target database already holds rows: " + held +
                         "; rows are copied only into an empty database (a new database, or a new schema)",
                     nullptr};
}

// The source's columns of table, each of which the target must have.
core::Result<std::vector<Column>> copiedColumns(Connection& source, Connection& target, std::string_view table) {
  auto columns = tableColumns(source, table);
  if (!columns.ok()) return std::move(columns).error();
  if (columns->empty()) {
    return core::Error{core::ErrorCode::kFailedPrecondition, "the source has no table " + std::string(table), nullptr};
  }
  auto target_columns = tableColumns(target, table);
  if (!target_columns.ok()) return std::move(target_columns).error();
  std::set<std::string> names;
  for (const Column& c : *target_columns) names.insert(c.name);
  for (const Column& c : *columns) {
    if (!names.count(c.name)) {
      return core::Error{core::ErrorCode::kFailedPrecondition,
                         "the target's table " + std::string(table) + " has no column " + c.name, nullptr};
    }
  }
  return columns;
}

int indexOf(const std::vector<Column>& columns, std::string_view name) {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

// Inserts rows (values row after row, columns.size() each) into table.
core::Status insertRows(Connection& target, std::string_view table, const std::vector<Column>& columns,
                        const std::vector<SqlValue>& values, int rows_per_insert) {
  const std::size_t width = columns.size();
  std::string head = "INSERT INTO " + quoted(table) + " (";
  std::string tuple = "(";
  for (std::size_t i = 0; i < width; ++i) {
    head += (i ? ", " : "") + quoted(columns[i].name);
    tuple += i ? ", ?" : "?";
  }
  head += ") VALUES ";
  tuple += ")";
  const std::size_t rows = values.size() / width;
  for (std::size_t first = 0; first < rows; first += static_cast<std::size_t>(rows_per_insert)) {
    const std::size_t n = std::min(rows - first, static_cast<std::size_t>(rows_per_insert));
    std::string sql = head;
    for (std::size_t r = 0; r < n; ++r) sql += (r ? ", " : "") + tuple;
    auto ins = target.prepare(sql);
    if (!ins.ok()) return std::move(ins).error();
    for (std::size_t k = 0; k < n * width; ++k) ins->bindAt(static_cast<int>(k + 1), values[first * width + k]);
    if (auto st = ins->run(); !st.ok()) return st;
  }
  return {};
}

// Sets the identity sequence of table's id past its largest id (PostgreSQL;
// SQLite takes the next rowid from the rows themselves).
core::Status advanceIdentity(Connection& target, std::string_view table) {
  if (target.dialect() != Dialect::kPostgres) return {};
  auto q = target.prepare("SELECT setval(pg_get_serial_sequence(?, 'id'), max(id)) FROM " + quoted(table));
  if (!q.ok()) return std::move(q).error();
  q->bind(table);
  return q->run();
}

// Copies table's rows in id order, batch_rows at a time; returns how many.
core::Result<std::int64_t> copyTable(Connection& source, Connection& target, const CopiedTable& table, int batch_rows) {
  auto columns = copiedColumns(source, target, table.name);
  if (!columns.ok()) return std::move(columns).error();
  const int id_col = indexOf(*columns, "id");
  if (id_col < 0) return core::Error::internal("table " + std::string(table.name) + " has no id column");
  const int self_col = table.self_reference.empty() ? -1 : indexOf(*columns, table.self_reference);
  const int width = static_cast<int>(columns->size());
  const int rows_per_insert = std::max(1, std::min(batch_rows, kMaxParams / width));

  std::string select = "SELECT ";
  for (int i = 0; i < width; ++i) select += (i ? ", " : "") + quoted((*columns)[i].name);
  select += " FROM " + quoted(table.name) + " WHERE id > ? ORDER BY id LIMIT ?";

  std::vector<std::pair<std::int64_t, SqlValue>> self_references;  // (id, value) written last
  std::int64_t copied = 0;
  std::int64_t last_id = std::numeric_limits<std::int64_t>::min();
  while (true) {
    std::vector<SqlValue> values;
    int n = 0;
    {
      auto q = source.prepare(select);
      if (!q.ok()) return std::move(q).error();
      q->bind(last_id, static_cast<std::int64_t>(batch_rows));
      while (true) {
        auto row = q->step();
        if (!row.ok()) return std::move(row).error();
        if (!*row) break;
        last_id = q->i64(id_col);
        for (int c = 0; c < width; ++c) {
          SqlValue v = readValue(*q, c, (*columns)[c].kind);
          if (c == self_col && !std::holds_alternative<std::nullptr_t>(v)) {
            self_references.emplace_back(last_id, std::move(v));
            v = nullptr;
          }
          values.push_back(std::move(v));
        }
        ++n;
      }
    }
    if (auto st = insertRows(target, table.name, *columns, values, rows_per_insert); !st.ok()) {
      return std::move(st).error();
    }
    copied += n;
    if (n < batch_rows) break;
  }
  if (!self_references.empty()) {
    const std::string update = "UPDATE " + quoted(table.name) + " SET " + quoted(table.self_reference) +
                               " = ? WHERE id = ?";
    for (const auto& [id, value] : self_references) {
      auto q = target.prepare(update);
      if (!q.ok()) return std::move(q).error();
      q->bindAt(1, value);
      q->bindAt(2, id);
      if (auto st = q->run(); !st.ok()) return std::move(st).error();
    }
  }
  if (auto st = advanceIdentity(target, table.name); !st.ok()) return std::move(st).error();
  return copied;
}

// Copies table and checks that the target now holds as many rows as the source.
core::Result<std::int64_t> copyAndCount(Connection& source, Connection& target, const CopiedTable& table,
                                        int batch_rows) {
  auto expected = countRows(source, table.name);
  if (!expected.ok()) return std::move(expected).error();
  auto copied = copyTable(source, target, table, batch_rows);
  if (!copied.ok()) return copied;
  auto landed = countRows(target, table.name);
  if (!landed.ok()) return std::move(landed).error();
  if (*copied != *expected || *landed != *expected) {
    return core::Error::internal(std::to_string(*expected) + " rows in the source, " + std::to_string(*copied) +
                                 " copied, " + std::to_string(*landed) + " in the target");
  }
  return copied;
}

}  // namespace

std::span<const CopiedTable> copiedTables() { return kTables; }

core::Result<std::vector<Column>> tableColumns(Connection& conn, std::string_view table) {
  const bool pg = conn.dialect() == Dialect::kPostgres;
  auto q = conn.prepare(pg ? "SELECT column_name, data_type FROM information_schema.columns "
                             "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position"
                           : "SELECT name, type FROM pragma_table_info(?) ORDER BY cid");
  if (!q.ok()) return std::move(q).error();
  q->bind(table);
  std::vector<Column> out;
  while (true) {
    auto row = q->step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return out;
    const std::string type = q->text(1);
    out.push_back(Column{q->text(0), pg ? postgresKind(type) : sqliteKind(type)});
  }
}

core::Result<CopyReport> copyDatabase(Database& source, Database& target, const CopyOptions& options) {
  if (&source == &target) return core::Error::invalidArgument("the source and the target are the same database");
  if (options.batch_rows < 1) return core::Error::invalidArgument("batch_rows must be 1 or more");
  CopyReport report;
  core::Status st = source.read([&](Connection& from) -> core::Status {
    return target.write([&](Connection& to) -> core::Status {
      report = CopyReport{};  // a write the target could not serialize runs again
      if (auto ok = requireSameVersion(from, to, report.schema_version); !ok.ok()) return ok;
      if (auto ok = requireEmpty(to); !ok.ok()) return ok;
      for (const CopiedTable& table : kTables) {
        auto rows = copyAndCount(from, to, table, options.batch_rows);
        if (!rows.ok()) return inTable(table.name, std::move(rows).error());
        report.tables.push_back(TableCopied{std::string(table.name), *rows});
        report.rows += *rows;
        if (options.on_table) options.on_table(report.tables.back());
      }
      return {};
    });
  });
  if (!st.ok()) return std::move(st).error();
  return report;
}

}  // namespace codecrew::store::sql
