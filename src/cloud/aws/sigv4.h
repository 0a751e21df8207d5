// AWS Signature Version 4 (AWS4-HMAC-SHA256), written from AWS's published
// signing description ("Create a signed AWS API request") and checked with its
// published test suite (tests/data/sigv4/). Pure: the inputs are the request,
// the credentials, region, service and the time; there is no clock inside.
//
// The four steps:
//  1. Canonical request: method, canonical URI, canonical query string,
//     canonical headers, signed headers, payload hash, one per line.
//     - Canonical URI: the path as sent on the wire. For every service but S3
//       it is normalised (empty and "." segments dropped, ".." resolved, a
//       trailing slash kept) and each byte outside A-Za-z0-9-._~ and '/' is
//       percent-encoded again (so "%3A" on the wire becomes "%253A": the
//       "double encoding" of the description). For S3 it is neither
//       normalised nor encoded twice: each segment is encoded once.
//     - Canonical query: each name and value percent-decoded then encoded
//       (unreserved characters kept, upper-case hex), sorted by name then
//       value, "name=value" joined by '&' (a name without '=' gets "=").
//     - Canonical headers: names lower-cased, values trimmed with inner runs
//       of spaces collapsed, repeated names joined by ',', sorted by name;
//       "name:value\n" each.
//  2. String to sign: "AWS4-HMAC-SHA256\n<amz date>\n<scope>\n<hex sha256 of
//     the canonical request>", scope "<yyyymmdd>/<region>/<service>/aws4_request".
//  3. Signing key: HMAC chain "AWS4"+secret -> date -> region -> service ->
//     "aws4_request"; the signature is the hex HMAC of the string to sign.
//  4. Authorization: "AWS4-HMAC-SHA256 Credential=<key id>/<scope>,
//     SignedHeaders=<names>, Signature=<hex>".
// sign() adds X-Amz-Date, X-Amz-Security-Token (with a session token) and,
// for S3, x-amz-content-sha256, and signs every header of the request.
// Thread-safety: pure functions.
#pragma once

#include "cloud/aws/aws_credentials.h"
#include "core/clock.h"
#include "core/result.h"
#include "http/client/http_client.h"

#include <string>
#include <string_view>
#include <vector>

namespace codecrew::cloud::aws {

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

struct SigningRequest {
  std::string method = "GET";
  std::string path = "/";    // as sent on the wire (percent-encoded where it must be)
  std::string query;         // as sent, without the '?'
  http::Headers headers;     // must hold Host
  std::string payload_hash;  // hex SHA-256 of the body, or e.g. UNSIGNED-PAYLOAD
};

struct SigningScope {
  std::string region;
  std::string service;  // "bedrock", "s3", ...
  core::Millis time = 0;
};

struct SigV4Signature {
  std::string amz_date;  // 20150830T123600Z
  std::string scope;     // 20150830/us-east-1/service/aws4_request
  std::string canonical_request;
  std::string string_to_sign;
  std::string signed_headers;  // host;x-amz-date
  std::string signature;       // hex
  std::string authorization;   // the Authorization header's value
};

// "20150830T123600Z" for a time.
std::string amzDate(core::Millis time);
// Percent-encoding of AWS's URI-encode: bytes outside A-Za-z0-9-._~ become
// %XY (upper-case hex); '/' too unless keep_slash.
std::string awsUriEncode(std::string_view text, bool keep_slash);
std::string canonicalUri(std::string_view wire_path, bool s3);
std::string canonicalQuery(std::string_view wire_query);
// Hex HMAC-SHA256 signing key for a date (yyyymmdd), region and service (for tests).
std::string signingKeyHex(std::string_view secret, std::string_view date, std::string_view region,
                          std::string_view service);

// The signature of a request whose headers already carry X-Amz-Date (and any
// token), over exactly the named headers (lower-case; the signed-headers
// list of an Authorization header). The amz date is read from the request's
// X-Amz-Date header; kInvalidArgument if it is missing or malformed, or a
// named header is absent. This is what a server recomputes to verify.
core::Result<SigV4Signature> signatureOver(const SigningRequest& request,
                                           const std::vector<std::string>& signed_headers,
                                           const AwsCredentials& credentials, std::string_view region,
                                           std::string_view service);

// Adds X-Amz-Date (and X-Amz-Security-Token, and for S3 x-amz-content-sha256)
// to request.headers, signs every header and returns the signature (the
// caller adds Authorization, or uses signClientRequest).
SigV4Signature sign(SigningRequest& request, const AwsCredentials& credentials, const SigningScope& scope);

// Signs an outgoing request in place: sets Host as the client will send it,
// X-Amz-Date, X-Amz-Security-Token, the payload hash (hex SHA-256 of the
// body unless payload_hash is given; also sent as x-amz-content-sha256 for
// S3) and Authorization. kInvalidArgument for a malformed URL.
core::Result<SigV4Signature> signClientRequest(http::ClientRequest& request, const AwsCredentials& credentials,
                                               const SigningScope& scope, std::string payload_hash = "");

// The parts of an Authorization header of this scheme.
struct SigV4Authorization {
  std::string access_key_id;
  std::string date;  // yyyymmdd
  std::string region;
  std::string service;
  std::vector<std::string> signed_headers;
  std::string signature;
};
core::Result<SigV4Authorization> parseAuthorization(std::string_view value);

}  // namespace codecrew::cloud::aws
