#include "http/response.h"

#include "core/json_text.h"

namespace codecrew::http {

Response Response::json(int status, const boost::json::value& body) {
  Response r;
  r.status = status;
  r.body = core::jsonText(body);
  return r;
}

Response Response::text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

Response Response::error(int status, std::string_view code, std::string_view message,
                         const boost::json::value& details) {
  boost::json::object err;
  err["code"] = code;
  err["message"] = message;
  err["details"] = details;
  return json(status, boost::json::object{{"error", std::move(err)}});
}

Response Response::fromError(const core::Error& e) {
  return error(httpStatusFor(e.code), core::errorCodeName(e.code), e.message, e.details);
}

int httpStatusFor(core::ErrorCode code) {
  using core::ErrorCode;
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kAlreadyExists: return 409;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kResourceExhausted: return 429;
    case ErrorCode::kFailedPrecondition: return 409;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kDeadlineExceeded: return 504;
    case ErrorCode::kCancelled: return 499;
    case ErrorCode::kUnimplemented: return 501;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

}  // namespace codecrew::http
