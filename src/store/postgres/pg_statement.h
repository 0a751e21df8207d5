// PgStatement: the PostgreSQL backend of sql::Statement. Parameters are
// collected as text (NULL as a null pointer); the first step() runs the
// prepared statement and keeps its whole result; reads parse a column's
// text in the requested type (booleans read as 1 and 0).
// Thread-safety: none; it belongs to the thread that holds its connection.
#pragma once

#include "store/sql/statement.h"

#include <optional>
#include <string>
#include <vector>

struct pg_result;

namespace codecrew::store::postgres {

class PgConnection;

class PgStatement final : public sql::StatementBackend {
 public:
  PgStatement(PgConnection* conn, std::string name);
  ~PgStatement() override;
  PgStatement(const PgStatement&) = delete;
  PgStatement& operator=(const PgStatement&) = delete;

  void bindInt(int index, std::int64_t v) override;
  void bindDouble(int index, double v) override;
  void bindText(int index, std::string_view v) override;
  void bindNull(int index) override;
  core::Result<bool> step() override;
  bool isNull(int col) const override;
  std::int64_t i64(int col) const override;
  double f64(int col) const override;
  std::string text(int col) const override;

 private:
  std::optional<std::string>& slot(int index);
  const char* value(int col) const;

  PgConnection* conn_;
  std::string name_;
  std::vector<std::optional<std::string>> params_;
  pg_result* result_ = nullptr;
  int row_ = -1;
  int rows_ = 0;
};

}  // namespace codecrew::store::postgres
