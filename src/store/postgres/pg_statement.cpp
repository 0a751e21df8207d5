#include "store/postgres/pg_statement.h"

#include "store/postgres/pg_connection.h"

#include <libpq-fe.h>

#include <fmt/format.h>
#include <charconv>
#include <cstdlib>

namespace codecrew::store::postgres {

PgStatement::PgStatement(PgConnection* conn, std::string name) : conn_(conn), name_(std::move(name)) {}

PgStatement::~PgStatement() {
  if (result_) PQclear(result_);
}

std::optional<std::string>& PgStatement::slot(int index) {
  if (static_cast<int>(params_.size()) < index) params_.resize(index);
  return params_[index - 1];
}

void PgStatement::bindInt(int index, std::int64_t v) { slot(index) = std::to_string(v); }
void PgStatement::bindDouble(int index, double v) { slot(index) = fmt::format("{}", v); }
void PgStatement::bindText(int index, std::string_view v) { slot(index) = std::string(v); }
void PgStatement::bindNull(int index) { slot(index).reset(); }

core::Result<bool> PgStatement::step() {
  if (!result_) {
    std::vector<const char*> values;
    values.reserve(params_.size());
    for (const auto& p : params_) values.push_back(p ? p->c_str() : nullptr);
    result_ = PQexecPrepared(conn_->handle(), name_.c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                             nullptr, 0);
    const auto status = PQresultStatus(result_);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      core::Error err = resultError(conn_->handle(), result_);
      PQclear(result_);
      result_ = nullptr;
      return err;
    }
    rows_ = PQntuples(result_);
    int changed = 0;
    const char* tuples = PQcmdTuples(result_);
    if (tuples && *tuples) std::from_chars(tuples, tuples + std::strlen(tuples), changed);
    conn_->setChanges(changed);
  }
  if (row_ + 1 >= rows_) {
    row_ = rows_;
    return false;
  }
  ++row_;
  return true;
}

const char* PgStatement::value(int col) const {
  if (!result_ || row_ < 0 || row_ >= rows_ || col >= PQnfields(result_)) return nullptr;
  if (PQgetisnull(result_, row_, col)) return nullptr;
  return PQgetvalue(result_, row_, col);
}

bool PgStatement::isNull(int col) const { return value(col) == nullptr; }

std::int64_t PgStatement::i64(int col) const {
  const char* v = value(col);
  if (!v) return 0;
  if (v[0] == 't' && v[1] == '\0') return 1;  // a boolean
  if (v[0] == 'f' && v[1] == '\0') return 0;
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(v, v + std::strlen(v), out);
  if (ec == std::errc() && *end != '.' && *end != 'e' && *end != 'E') return out;
  return static_cast<std::int64_t>(std::strtod(v, nullptr));  // numeric results (sum, avg)
}

double PgStatement::f64(int col) const {
  const char* v = value(col);
  return v ? std::strtod(v, nullptr) : 0.0;
}

std::string PgStatement::text(int col) const {
  const char* v = value(col);
  if (!v) return {};
  return std::string(v, static_cast<std::size_t>(PQgetlength(result_, row_, col)));
}

}  // namespace codecrew::store::postgres
