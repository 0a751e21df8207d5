// FakeS3: a fake Amazon S3 on 127.0.0.1 (port 0) for tests, on codecrew's
// own HTTP server, addressed path-style as an S3-compatible store at a
// custom endpoint is: <endpoint()>/<bucket>/<key>.
//
// It keeps objects in memory and speaks S3's wire format: PutObject (200
// with ETag; Content-Type and x-amz-meta-* kept), GetObject and HeadObject
// (200 with the bytes or the head alone, Content-Length, Content-Type, ETag,
// x-amz-meta-*), DeleteObject (204, also for a missing key, as S3 answers);
// errors as S3 writes them: <?xml ...?><Error><Code>..</Code><Message>..
// </Message>...<RequestId>..</RequestId></Error> (HEAD: the status alone).
//
// Every request is authenticated as S3 does it: the Authorization header
// (AWS4-HMAC-SHA256) names the access key (InvalidAccessKeyId otherwise),
// a scope of service s3 in the bucket's region (else 400
// AuthorizationHeaderMalformed with <Region> and x-amz-bucket-region), the
// signed headers, which must include host and x-amz-content-sha256; the
// payload hash must be the body's SHA-256 (XAmzContentSHA256Mismatch) or
// UNSIGNED-PAYLOAD; the signature is recomputed from the request as received
// and the configured secret (SignatureDoesNotMatch, with the canonical
// request and string to sign it used, otherwise); a session token, when the
// credentials have one, must come as X-Amz-Security-Token.
// Faults: enqueueFault() answers the next requests first (503 SlowDown by
// default); denyAction("s3:PutObject" | "s3:GetObject" | "s3:DeleteObject")
// is 403 AccessDenied; expireToken() makes every request 400 ExpiredToken; a
// bucket never created is 404 NoSuchBucket.
// Thread-safety: every method may be called from any thread.
#pragma once

#include "core/result.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::testing {

struct FakeS3Options {
  std::string access_key_id = "AKIDEXAMPLE";
  std::string secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  std::string session_token;  // required on requests when not empty
};

struct FakeS3Fault {
  int status = 503;
  std::string code = "SlowDown";
  std::string message = "Please reduce your request rate.";
};

struct FakeS3Object {
  std::string bytes;
  std::string content_type;
  std::map<std::string, std::string> metadata;  // x-amz-meta-<name> -> value
  std::string etag;                             // quoted
};

struct FakeS3Request {
  std::string method;
  std::string target;
  int status = 0;
  std::string error_code;  // "" on success
};

class FakeS3 {
 public:
  explicit FakeS3(FakeS3Options options = {});
  ~FakeS3();
  FakeS3(const FakeS3&) = delete;
  FakeS3& operator=(const FakeS3&) = delete;

  core::Status start(const std::string& host = "127.0.0.1", int port = 0);
  void stop();  // idempotent
  int port() const;
  // "http://127.0.0.1:<port>": the value of AWS_ENDPOINT_URL_S3.
  std::string endpoint() const;
  const FakeS3Options& options() const;

  void createBucket(const std::string& name, const std::string& region = "us-east-1");
  std::optional<FakeS3Object> object(const std::string& bucket, const std::string& key) const;
  std::vector<std::string> keys(const std::string& bucket) const;

  void enqueueFault(FakeS3Fault fault, int count = 1);
  void denyAction(const std::string& action);
  void expireToken();
  std::vector<FakeS3Request> requests() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace codecrew::testing
