#include "store/postgres/pg_sql.h"

#include <cctype>

namespace codecrew::store::postgres {
namespace {

bool wordAt(std::string_view sql, std::size_t i, std::string_view word) {
  if (sql.size() - i < word.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k) {
    if (std::toupper(static_cast<unsigned char>(sql[i + k])) != word[k]) return false;
  }
  auto isIdent = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  const bool start = i == 0 || !isIdent(sql[i - 1]);
  const bool end = i + word.size() == sql.size() || !isIdent(sql[i + word.size()]);
  return start && end;
}

}  // namespace

std::string postgresSql(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int param = 0;
  char quote = 0;  // ' or " while inside quoted text
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote) {
      out += c;
      if (c == quote) quote = 0;  // a doubled quote reopens at once
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?' && i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      out += '$';  // ?NNN: a numbered parameter keeps its number
    } else if (c == '?') {
      out += '$' + std::to_string(++param);
    } else if (wordAt(sql, i, "LIKE")) {
      out += "ILIKE";
      i += 3;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace codecrew::store::postgres
