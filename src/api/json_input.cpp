#include "api/json_input.h"

#include <boost/json/stream_parser.hpp>

namespace codecrew::api {
namespace json = boost::json;

core::Result<JsonInput> JsonInput::parse(std::string_view body) {
  if (body.empty()) return core::Error::invalidArgument("request body is empty: expected a JSON object");
  json::stream_parser p;
  boost::system::error_code ec;
  std::size_t consumed = p.write_some(body.data(), body.size(), ec);
  if (!ec && consumed < body.size()) ec = json::make_error_code(json::error::extra_data);
  if (!ec) p.finish(ec);
  if (ec) {
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i < consumed && i < body.size(); ++i) {
      if (body[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    return core::Error::invalidArgument("invalid JSON at line " + std::to_string(line) + ", column " +
                                            std::to_string(col) + ": " + ec.message(),
                                        json::object{{"line", std::int64_t(line)}, {"column", std::int64_t(col)}});
  }
  json::value v = p.release();
  if (!v.is_object()) return core::Error::invalidArgument("request body must be a JSON object");
  return JsonInput(std::move(v.as_object()));
}

void JsonInput::problem(std::string field, std::string text) {
  problems_.emplace_back(std::move(field), std::move(text));
}

const json::value* JsonInput::fetch(const char* field, bool required) {
  seen_.insert(field);
  auto it = obj_.find(field);
  if (it == obj_.end() || it->value().is_null()) {
    if (required) problem(field, "is required");
    return nullptr;
  }
  return &it->value();
}

std::optional<std::string> JsonInput::string(const char* field, bool required, std::size_t min_len,
                                             std::size_t max_len) {
  auto* v = fetch(field, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    problem(field, "must be a string");
    return std::nullopt;
  }
  std::string s(v->as_string());
  if (s.size() < min_len || s.size() > max_len) {
    problem(field, "must be " + std::to_string(min_len) + " to " + std::to_string(max_len) + " characters long (got " +
                       std::to_string(s.size()) + ")");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> JsonInput::enumString(const char* field, bool required,
                                                 std::initializer_list<std::string_view> allowed) {
  auto s = string(field, required, 0, 200);
  if (!s) return std::nullopt;
  for (auto a : allowed)
    if (*s == a) return s;
  std::string list;
  for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  problem(field, "must be one of: " + list);
  return std::nullopt;
}

std::optional<std::int64_t> JsonInput::integer(const char* field, bool required, std::int64_t min, std::int64_t max) {
  auto* v = fetch(field, required);
  if (!v) return std::nullopt;
  std::int64_t n;
  if (v->is_int64()) {
    n = v->as_int64();
  } else if (v->is_uint64() && v->as_uint64() <= std::uint64_t(INT64_MAX)) {
    n = std::int64_t(v->as_uint64());
  } else {
    problem(field, "must be an integer");
    return std::nullopt;
  }
  if (n < min || n > max) {
    problem(field, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<json::object> JsonInput::object(const char* field, bool required) {
  auto* v = fetch(field, required);
  if (!v) return std::nullopt;
  if (!v->is_object()) {
    problem(field, "must be an object");
    return std::nullopt;
  }
  return v->as_object();
}

core::Status JsonInput::finish() {
  for (const auto& kv : obj_) {
    if (!seen_.count(kv.key())) problem(std::string(kv.key()), "is not a known field");
  }
  if (problems_.empty()) return core::okStatus();
  json::array fields;
  std::string msg = "invalid request body: ";
  for (std::size_t i = 0; i < problems_.size(); ++i) {
    fields.push_back(json::object{{"field", problems_[i].first}, {"problem", problems_[i].second}});
    if (i) msg += "; ";
    msg += problems_[i].first + " " + problems_[i].second;
  }
  return core::Error::invalidArgument(msg, json::object{{"fields", std::move(fields)}});
}

}  // namespace codecrew::api
