// Response: what a handler returns. JSON helpers render the house error body
// {"error": {"code", "message", "details"}}.
// Thread-safety: a plain value.
#pragma once

#include "core/error.h"

#include <boost/json/value.hpp>

#include <string>
#include <utility>
#include <vector>

namespace codecrew::http {

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  std::string body;

  static Response json(int status, const boost::json::value& body);
  static Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  // {"error": {"code": code, "message": message, "details": details}}.
  static Response error(int status, std::string_view code, std::string_view message,
                        const boost::json::value& details = nullptr);
  // The status that fits an ErrorCode, and its body.
  static Response fromError(const core::Error& e);
};

// HTTP status for an ErrorCode (kNotFound -> 404, ...).
int httpStatusFor(core::ErrorCode code);

}  // namespace codecrew::http
