// Error: an expected failure as a value, with a code a program can branch on
// and a message a person can act on. Thread-safety: a plain value type.
#pragma once

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace codecrew::core {

enum class ErrorCode {
  kInvalidArgument,     // bad input from the caller (HTTP 400)
  kNotFound,            // no such object in the caller's tenant (404)
  kAlreadyExists,       // a unique key is taken (409)
  kConflict,            // the object's state forbids the change (409)
  kUnauthenticated,     // no or bad credentials (401)
  kPermissionDenied,    // authenticated but not allowed (403)
  kPayloadTooLarge,     // body over a configured limit (413)
  kResourceExhausted,   // a rate limit or budget is spent (429)
  kFailedPrecondition,  // the system is not in a state to do this (412/409)
  kUnavailable,         // a dependency is down; retrying may help (503)
  kDeadlineExceeded,    // a timeout elapsed (504)
  kCancelled,           // the caller went away or cancelled (499)
  kUnimplemented,       // not supported here (501)
  kInternal,            // a bug or an unexpected failure (500)
};

// Stable snake_case name of a code, as it appears in API error bodies.
std::string_view errorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  boost::json::value details;  // null, or an object with machine-readable context

  static Error invalidArgument(std::string msg, boost::json::value details = nullptr) {
    return {ErrorCode::kInvalidArgument, std::move(msg), std::move(details)};
  }
  static Error notFound(std::string msg) { return {ErrorCode::kNotFound, std::move(msg), nullptr}; }
  static Error alreadyExists(std::string msg) { return {ErrorCode::kAlreadyExists, std::move(msg), nullptr}; }
  static Error conflict(std::string msg) { return {ErrorCode::kConflict, std::move(msg), nullptr}; }
  static Error unauthenticated(std::string msg) { return {ErrorCode::kUnauthenticated, std::move(msg), nullptr}; }
  static Error permissionDenied(std::string msg) { return {ErrorCode::kPermissionDenied, std::move(msg), nullptr}; }
  static Error unavailable(std::string msg) { return {ErrorCode::kUnavailable, std::move(msg), nullptr}; }
  static Error internal(std::string msg) { return {ErrorCode::kInternal, std::move(msg), nullptr}; }
};

}  // namespace codecrew::core
