// Copying every row of one codecrew database into another, whichever
// databases they are (SQLite to PostgreSQL is the way up; PostgreSQL to
// SQLite and SQLite to SQLite work the same way): what
// `codecrew migrate --from URL --to URL` runs.
//
// The copy reads the source in one read transaction (a consistent snapshot)
// and writes the target in ONE write transaction: all of it lands or none of
// it does. Tables go in foreign-key order (copiedTables()), rows in id order
// and in batches, with their ids; the columns are those the source has
// (read from its catalog), so a column added by a migration needs no change
// here. Afterwards each PostgreSQL identity sequence is set past the largest
// copied id, so the next row the store inserts gets a new id, and each
// table's row count is compared with the source's.
//
// Thread-safety: copyDatabase runs on the calling thread; the two databases
// must be different ones, and the calling thread must have no transaction
// open on either.
#pragma once

#include "core/result.h"
#include "store/sql/database.h"

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace codecrew::store::sql {

// One table of the codecrew schema that is copied, in an order in which
// every table comes after the tables its foreign keys name.
struct CopiedTable {
  std::string_view name;
  // A column that references this same table (llm_calls.fallback_of): it is
  // written once all the table's rows are in, so a row may name a later one.
  std::string_view self_reference = {};
};

// Every table of the latest schema but schema_migrations (which each
// database keeps for itself), in foreign-key order.
std::span<const CopiedTable> copiedTables();

// How a column's values are read and written.
enum class ColumnKind { kInteger, kReal, kText };

struct Column {
  std::string name;
  ColumnKind kind = ColumnKind::kText;
};

// The columns of table as the connection's database declares them (SQLite's
// table_info, PostgreSQL's information_schema for the current schema), in
// their order; empty when there is no such table.
core::Result<std::vector<Column>> tableColumns(Connection& conn, std::string_view table);

// What was copied into one table.
struct TableCopied {
  std::string table;
  std::int64_t rows = 0;
};

struct CopyOptions {
  // Rows read from the source and written to the target at a time.
  int batch_rows = 500;
  // Called after each table is copied (inside the target's transaction, so a
  // later failure still leaves the target as it was).
  std::function<void(const TableCopied&)> on_table;
};

struct CopyReport {
  int schema_version = 0;           // of both databases
  std::vector<TableCopied> tables;  // in copiedTables() order
  std::int64_t rows = 0;            // all of them
};

// Copies every row of source into target. Both must be migrated to the same
// schema version (kFailedPrecondition otherwise, naming both), and every
// copied table of target must be empty: otherwise kFailedPrecondition
// naming the tables that hold rows, and nothing is written. A source column
// the target lacks is kFailedPrecondition; a row the target refuses (a
// dangling reference in the source, say) fails the copy with the
// database's error, prefixed with the table. Nothing of a failed copy
// stays in target.
core::Result<CopyReport> copyDatabase(Database& source, Database& target, const CopyOptions& options = {});

}  // namespace codecrew::store::sql
