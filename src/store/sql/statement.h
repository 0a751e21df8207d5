// Statement: one prepared statement borrowed from a connection for the
// length of a query, whichever database the connection speaks. Binding is
// positional (1-based, `?` in the SQL) with typed overloads; JSON values are
// stored as their serialized text, JSON null as SQL NULL. Reading a column
// gives the database's value in the requested type. On destruction the
// backend gives the statement back to its connection.
// Thread-safety: none; a Statement belongs to the thread that holds its
// connection.
#pragma once

#include "core/result.h"
#include "store/sql/sql_value.h"

#include <boost/json/value.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace codecrew::store::sql {

// What a database implements for Statement.
class StatementBackend {
 public:
  virtual ~StatementBackend() = default;
  virtual void bindInt(int index, std::int64_t v) = 0;
  virtual void bindDouble(int index, double v) = 0;
  virtual void bindText(int index, std::string_view v) = 0;
  virtual void bindNull(int index) = 0;
  // Executes on the first call; true while a row is available.
  virtual core::Result<bool> step() = 0;
  virtual bool isNull(int col) const = 0;
  virtual std::int64_t i64(int col) const = 0;
  virtual double f64(int col) const = 0;
  virtual std::string text(int col) const = 0;
};

class Statement {
 public:
  explicit Statement(std::unique_ptr<StatementBackend> backend) : backend_(std::move(backend)) {}

  // Binds args to parameters 1..n in order.
  template <typename... Args>
  Statement& bind(const Args&... args) {
    int index = 1;
    (bindAt(index++, args), ...);
    return *this;
  }

  void bindAt(int index, std::int64_t v) { backend_->bindInt(index, v); }
  void bindAt(int index, int v) { bindAt(index, static_cast<std::int64_t>(v)); }
  void bindAt(int index, double v) { backend_->bindDouble(index, v); }
  void bindAt(int index, bool v) { bindAt(index, static_cast<std::int64_t>(v ? 1 : 0)); }
  void bindAt(int index, std::string_view v) { backend_->bindText(index, v); }
  void bindAt(int index, const std::string& v) { bindAt(index, std::string_view(v)); }
  void bindAt(int index, const char* v) { bindAt(index, std::string_view(v)); }
  void bindAt(int index, std::nullptr_t) { backend_->bindNull(index); }
  void bindAt(int index, const boost::json::value& v);
  void bindAt(int index, const SqlValue& v);
  // Binds params to parameters first, first+1, ...
  void bindParams(const SqlParams& params, int first = 1);
  template <typename T>
  void bindAt(int index, const std::optional<T>& v) {
    if (v) bindAt(index, *v);
    else bindAt(index, nullptr);
  }

  // Advances: true when a row is available, false when done.
  core::Result<bool> step() { return backend_->step(); }
  // Steps to completion, ignoring rows (INSERT, UPDATE, DELETE).
  core::Status run();

  bool isNull(int col) const { return backend_->isNull(col); }
  std::int64_t i64(int col) const { return backend_->i64(col); }
  int i32(int col) const { return static_cast<int>(i64(col)); }
  double f64(int col) const { return backend_->f64(col); }
  std::string text(int col) const { return backend_->text(col); }
  std::optional<std::int64_t> optI64(int col) const;
  std::optional<std::string> optText(int col) const;
  // Parses a JSON column; NULL (or text that does not parse) reads as null.
  boost::json::value json(int col) const;

 private:
  std::unique_ptr<StatementBackend> backend_;
};

}  // namespace codecrew::store::sql
