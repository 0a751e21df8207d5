#include "http/server_policy.h"

#include "core/crypto.h"

#include <algorithm>
#include <cctype>

#include <sys/resource.h>

namespace codecrew::http {
namespace {

bool requestIdChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string chooseRequestId(const std::optional<std::string>& client_id) {
  if (client_id && !client_id->empty() && client_id->size() <= 128 &&
      std::all_of(client_id->begin(), client_id->end(), requestIdChar))
    return *client_id;
  return core::uniqueHex(8);
}

bool isJsonContentType(std::string_view content_type) {
  return equalsIgnoreCase(trim(content_type.substr(0, content_type.find(';'))), "application/json");
}

bool methodCarriesBody(std::string_view method) { return method == "POST" || method == "PUT" || method == "PATCH"; }

bool isLoopbackHost(std::string_view host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

bool hasObsFold(std::string_view raw_head) {
  const std::size_t end = raw_head.find("\r\n\r\n");
  for (std::size_t at = raw_head.find("\r\n"); at != std::string_view::npos && at <= end;
       at = raw_head.find("\r\n", at + 2)) {
    if (at + 2 < raw_head.size() && (raw_head[at + 2] == ' ' || raw_head[at + 2] == '\t')) return true;
  }
  return false;
}

std::optional<std::string> corsAllowOrigin(const std::vector<std::string>& allowed, std::string_view origin) {
  if (origin.empty()) return std::nullopt;
  for (const auto& a : allowed) {
    if (a == "*") return std::string("*");
    if (a == origin) return std::string(origin);
  }
  return std::nullopt;
}

std::size_t defaultMaxConnections(std::uint64_t descriptor_limit) {
  constexpr std::uint64_t kMinReserve = 128, kFloor = 16;
  const std::uint64_t reserve = std::max(kMinReserve, descriptor_limit / 4);
  const std::uint64_t rest = descriptor_limit > reserve ? descriptor_limit - reserve : 0;
  return static_cast<std::size_t>(std::max(kFloor, rest));
}

std::uint64_t openFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  return limit.rlim_cur == RLIM_INFINITY ? std::uint64_t{1} << 20 : static_cast<std::uint64_t>(limit.rlim_cur);
}

Response overloadedResponse() {
  Response r = Response::error(503, "unavailable", "the server is at its connection limit; retry shortly");
  r.headers.emplace_back("Retry-After", "1");
  return r;
}

Response internalErrorResponse(const std::string& request_id) {
  return Response::error(500, "internal", "internal error (request id " + request_id + ")");
}

Response payloadTooLargeResponse(std::size_t limit) {
  return Response::error(413, "payload_too_large",
                         "request body is larger than the limit of " + std::to_string(limit) + " bytes",
                         boost::json::object{{"limit_bytes", limit}});
}

Response unsupportedMediaTypeResponse(std::string_view content_type) {
  std::string got = content_type.empty() ? "no Content-Type" : "Content-Type '" + std::string(content_type) + "'";
  return Response::error(415, "unsupported_media_type",
                         "this endpoint takes application/json bodies; the request has " + got);
}

Response badRequestResponse(std::string_view why) {
  return Response::error(400, "invalid_argument", "malformed HTTP request: " + std::string(why));
}

}  // namespace codecrew::http
