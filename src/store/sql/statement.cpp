#include "store/sql/statement.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace codecrew::store::sql {

void Statement::bindAt(int index, const boost::json::value& v) {
  if (v.is_null()) bindAt(index, nullptr);
  else bindAt(index, std::string_view(boost::json::serialize(v)));
}

void Statement::bindAt(int index, const SqlValue& v) {
  std::visit([&](const auto& x) { bindAt(index, x); }, v);
}

void Statement::bindParams(const SqlParams& params, int first) {
  for (const SqlValue& v : params) bindAt(first++, v);
}

core::Status Statement::run() {
  while (true) {
    auto r = step();
    if (!r.ok()) return std::move(r).error();
    if (!*r) return {};
  }
}

std::optional<std::int64_t> Statement::optI64(int col) const {
  if (isNull(col)) return std::nullopt;
  return i64(col);
}

std::optional<std::string> Statement::optText(int col) const {
  if (isNull(col)) return std::nullopt;
  return text(col);
}

boost::json::value Statement::json(int col) const {
  if (isNull(col)) return nullptr;
  boost::system::error_code ec;
  auto v = boost::json::parse(text(col), ec);
  if (ec) return nullptr;
  return v;
}

}  // namespace codecrew::store::sql
