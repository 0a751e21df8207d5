#include "cloud/aws/sigv4.h"

#include "core/crypto.h"
#include "core/percent_encoding.h"
#include "http/client/url.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <utility>

namespace codecrew::cloud::aws {

namespace {

constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";

std::string sigv4Hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string sigv4Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string sigv4Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

int sigv4HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; a '%' not followed by two hex digits stays as it is.
std::string sigv4Decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && sigv4HexValue(s[i + 1]) >= 0 && sigv4HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(sigv4HexValue(s[i + 1]) * 16 + sigv4HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Canonical header value: trimmed, inner runs of spaces collapsed.
std::string sigv4TrimValue(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string sigv4NormalizePath(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    auto end = slash == std::string_view::npos ? path.size() : slash;
    auto segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  std::string out;
  for (auto s : segments) {
    out.push_back('/');
    out.append(s);
  }
  if (out.empty()) return "/";
  if (path.ends_with('/')) out.push_back('/');
  return out;
}

std::string sigv4CredentialScope(std::string_view date, std::string_view region, std::string_view service) {
  return std::string(date) + "/" + std::string(region) + "/" + std::string(service) + "/aws4_request";
}

bool sigv4ValidAmzDate(std::string_view d) {
  if (d.size() != 16 || d[8] != 'T' || d[15] != 'Z') return false;
  for (std::size_t i = 0; i < 15; ++i) {
    if (i != 8 && !std::isdigit(static_cast<unsigned char>(d[i]))) return false;
  }
  return true;
}

}  // namespace

std::string amzDate(core::Millis time) {
  std::time_t seconds = static_cast<std::time_t>(time / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string awsUriEncode(std::string_view text, bool keep_slash) { return core::percentEncode(text, keep_slash); }

std::string canonicalUri(std::string_view wire_path, bool s3) {
  if (wire_path.empty()) return "/";
  if (s3) return awsUriEncode(sigv4Decode(wire_path), true);
  return awsUriEncode(sigv4NormalizePath(wire_path), true);
}

std::string canonicalQuery(std::string_view wire_query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::size_t start = 0;
  while (start < wire_query.size()) {
    auto amp = wire_query.find('&', start);
    auto end = amp == std::string_view::npos ? wire_query.size() : amp;
    auto item = wire_query.substr(start, end - start);
    if (!item.empty()) {
      auto eq = item.find('=');
      auto name = item.substr(0, eq);
      auto value = eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
      pairs.emplace_back(awsUriEncode(sigv4Decode(name), false), awsUriEncode(sigv4Decode(value), false));
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out.push_back('&');
    out += name + "=" + value;
  }
  return out;
}

std::string signingKeyHex(std::string_view secret, std::string_view date, std::string_view region,
                          std::string_view service) {
  std::string key = sigv4Hmac("AWS4" + std::string(secret), date);
  key = sigv4Hmac(key, region);
  key = sigv4Hmac(key, service);
  return sigv4Hex(sigv4Hmac(key, "aws4_request"));
}

core::Result<SigV4Signature> signatureOver(const SigningRequest& request,
                                           const std::vector<std::string>& signed_headers,
                                           const AwsCredentials& credentials, std::string_view region,
                                           std::string_view service) {
  std::map<std::string, std::string> values;  // lower-case name -> canonical value(s)
  for (const auto& [name, value] : request.headers) {
    auto lower = sigv4Lower(name);
    auto trimmed = sigv4TrimValue(value);
    auto [it, fresh] = values.emplace(lower, trimmed);
    if (!fresh) it->second += "," + trimmed;
  }
  SigV4Signature out;
  auto date = values.find("x-amz-date");
  if (date == values.end() || !sigv4ValidAmzDate(date->second))
    return core::Error::invalidArgument("the request has no valid X-Amz-Date header");
  out.amz_date = date->second;
  std::vector<std::string> names;
  for (const auto& n : signed_headers) names.push_back(sigv4Lower(n));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string canonical_headers;
  for (const auto& n : names) {
    auto it = values.find(n);
    if (it == values.end()) return core::Error::invalidArgument("signed header '" + n + "' is not in the request");
    canonical_headers += n + ":" + it->second + "\n";
    if (!out.signed_headers.empty()) out.signed_headers.push_back(';');
    out.signed_headers += n;
  }
  bool s3 = service == "s3";
  out.canonical_request = request.method + "\n" + canonicalUri(request.path, s3) + "\n" +
                          canonicalQuery(request.query) + "\n" + canonical_headers + "\n" + out.signed_headers + "\n" +
                          request.payload_hash;
  std::string day = out.amz_date.substr(0, 8);
  out.scope = sigv4CredentialScope(day, region, service);
  out.string_to_sign = std::string(kSigV4Algorithm) + "\n" + out.amz_date + "\n" + out.scope + "\n" +
                       core::sha256Hex(out.canonical_request);
  std::string key = sigv4Hmac("AWS4" + credentials.secret_access_key, day);
  key = sigv4Hmac(key, region);
  key = sigv4Hmac(key, service);
  key = sigv4Hmac(key, "aws4_request");
  out.signature = sigv4Hex(sigv4Hmac(key, out.string_to_sign));
  out.authorization = std::string(kSigV4Algorithm) + " Credential=" + credentials.access_key_id + "/" + out.scope +
                      ", SignedHeaders=" + out.signed_headers + ", Signature=" + out.signature;
  return out;
}

SigV4Signature sign(SigningRequest& request, const AwsCredentials& credentials, const SigningScope& scope) {
  auto set = [&](const std::string& name, const std::string& value) {
    for (auto& [n, v] : request.headers) {
      if (sigv4Lower(n) == sigv4Lower(name)) {
        v = value;
        return;
      }
    }
    request.headers.emplace_back(name, value);
  };
  set("X-Amz-Date", amzDate(scope.time));
  if (!credentials.session_token.empty()) set("X-Amz-Security-Token", credentials.session_token);
  if (scope.service == "s3") set("x-amz-content-sha256", request.payload_hash);
  std::vector<std::string> names;
  for (const auto& h : request.headers) {
    auto lower = sigv4Lower(h.first);
    if (lower != "authorization") names.push_back(lower);
  }
  // Cannot fail: X-Amz-Date was just set and every named header is present.
  return signatureOver(request, names, credentials, scope.region, scope.service).value();
}

core::Result<SigV4Signature> signClientRequest(http::ClientRequest& request, const AwsCredentials& credentials,
                                               const SigningScope& scope, std::string payload_hash) {
  auto url = http::parseUrl(request.url);
  if (!url.ok()) return url.error();
  SigningRequest signing;
  signing.method = request.method;
  auto q = url->target.find('?');
  signing.path = url->target.substr(0, q);
  if (q != std::string::npos) signing.query = url->target.substr(q + 1);
  bool default_port = url->port == (url->tls() ? 443 : 80);
  std::string host = default_port ? url->host : url->authority();
  signing.payload_hash = payload_hash.empty() ? core::sha256Hex(request.body) : std::move(payload_hash);
  // The headers that are signed: Host and the request's own (those the
  // client adds later, User-Agent and Content-Length, are not).
  http::Headers kept;
  for (auto& h : request.headers) {
    auto lower = sigv4Lower(h.first);
    if (lower == "host" || lower == "authorization" || lower == "x-amz-date" || lower == "x-amz-security-token")
      continue;
    kept.push_back(h);
  }
  signing.headers.emplace_back("Host", host);
  for (const auto& h : kept) signing.headers.push_back(h);
  auto signature = sign(signing, credentials, scope);
  signing.headers.emplace_back("Authorization", signature.authorization);
  request.headers = std::move(signing.headers);
  return signature;
}

core::Result<SigV4Authorization> parseAuthorization(std::string_view value) {
  auto bad = [&](const std::string& why) {
    return core::Error::invalidArgument("malformed Authorization header (" + why + ")");
  };
  if (!value.starts_with(kSigV4Algorithm)) return bad("not " + std::string(kSigV4Algorithm));
  value.remove_prefix(kSigV4Algorithm.size());
  SigV4Authorization out;
  std::string credential, signed_headers;
  bool has_signature = false;
  std::size_t start = 0;
  while (start < value.size()) {
    auto comma = value.find(',', start);
    auto end = comma == std::string_view::npos ? value.size() : comma;
    auto part = sigv4TrimValue(value.substr(start, end - start));
    if (part.starts_with("Credential=")) credential = part.substr(11);
    if (part.starts_with("SignedHeaders=")) signed_headers = part.substr(14);
    if (part.starts_with("Signature=")) {
      out.signature = part.substr(10);
      has_signature = true;
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (credential.empty() || signed_headers.empty() || !has_signature)
    return bad("Credential, SignedHeaders, Signature");
  std::vector<std::string> scope;
  std::size_t from = 0;
  for (;;) {
    auto slash = credential.find('/', from);
    scope.push_back(credential.substr(from, slash == std::string::npos ? std::string::npos : slash - from));
    if (slash == std::string::npos) break;
    from = slash + 1;
  }
  if (scope.size() != 5 || scope[4] != "aws4_request")
    return bad("Credential=<key>/<date>/<region>/<service>/aws4_request");
  out.access_key_id = scope[0];
  out.date = scope[1];
  out.region = scope[2];
  out.service = scope[3];
  from = 0;
  for (;;) {
    auto semi = signed_headers.find(';', from);
    out.signed_headers.push_back(
        signed_headers.substr(from, semi == std::string::npos ? std::string::npos : semi - from));
    if (semi == std::string::npos) break;
    from = semi + 1;
  }
  return out;
}

}  // namespace codecrew::cloud::aws
