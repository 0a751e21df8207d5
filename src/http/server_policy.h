// Server policy: the small decisions the HTTP server makes about every
// request, kept apart from the socket code so they can be tested alone:
// request ids, JSON content types, CORS origins and the server's own error
// bodies. Internal to http/ (the server's .cpp files include it).
// Thread-safety: pure functions, safe from any thread.
#pragma once

#include "http/response.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace codecrew::http {

// The client's X-Request-Id when it is 1..128 characters of [A-Za-z0-9._-];
// otherwise a fresh id of 16 lower-case hex characters.
std::string chooseRequestId(const std::optional<std::string>& client_id);

// True when the Content-Type's media type is application/json (any
// parameters such as charset allowed, case-insensitive).
bool isJsonContentType(std::string_view content_type);

// True for the methods whose bodies a json_body route checks: POST, PUT, PATCH.
bool methodCarriesBody(std::string_view method);

// True for "localhost", an IPv4 loopback address (127.0.0.0/8) and ::1
// (bracketed or not): the hosts a dev server binds and answers for.
bool isLoopbackHost(std::string_view host);

// True when the raw bytes of a request's head (as much of it as has
// arrived) hold a header line that starts with SP or HTAB: obsolete line
// folding (RFC 9112 5.2), or whitespace before the first field (2.2). Bytes
// after the empty line that ends the head (a body) are not looked at.
bool hasObsFold(std::string_view raw_head);

// The Access-Control-Allow-Origin value for a request from `origin` given
// the configured origins (exact origins, or "*"), or nullopt when the origin
// is not allowed (or CORS is off: no origins configured).
std::optional<std::string> corsAllowOrigin(const std::vector<std::string>& allowed, std::string_view origin);

// The headers the server allows in a CORS preflight.
inline constexpr std::string_view kCorsAllowHeaders = "Authorization, Content-Type, X-Request-Id, Idempotency-Key";

// The default ServerOptions::max_connections for a process that may open
// `descriptor_limit` files (RLIMIT_NOFILE): the limit less a reserve of a
// quarter of it (at least 128) for the store, workspaces, git and the
// sandbox's subprocesses, and never under 16.
std::size_t defaultMaxConnections(std::uint64_t descriptor_limit);
// This process's soft RLIMIT_NOFILE (a large number when unlimited).
std::uint64_t openFileLimit();

// 503 with Retry-After for a connection past the server's connection limit.
Response overloadedResponse();

// The 500 body for an exception that escaped a handler, naming the request id.
Response internalErrorResponse(const std::string& request_id);
// 413 for a body over the limit.
Response payloadTooLargeResponse(std::size_t limit);
// 415 for a body that is not JSON on a JSON route.
Response unsupportedMediaTypeResponse(std::string_view content_type);
// 400 for a request that is not valid HTTP or has an unusable target.
Response badRequestResponse(std::string_view why);

}  // namespace codecrew::http
