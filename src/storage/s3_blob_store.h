// S3BlobStore: a BlobStore on one S3 bucket (or an S3-compatible store at a
// custom endpoint), over PutObject (with the bytes' sha256 in the metadata
// x-amz-meta-sha256), GetObject, HeadObject and DeleteObject, each signed
// with AWS Signature Version 4 (cloud/aws/sigv4.h, x-amz-content-sha256 the
// payload's hash, signed afresh for each try).
//
// Addressing: virtual-hosted (https://<bucket>.s3.<region>.amazonaws.com/<key>)
// by default; path-style (https://s3.<region>.amazonaws.com/<bucket>/<key>)
// when configured, for a bucket name with a dot (its TLS certificate would
// not match), and always at a custom endpoint (<endpoint>/<bucket>/<key>).
//
// S3's errors (the XML body's <Code>, else the status) become blob_store.h's
// classes: NoSuchKey kNotFound; NoSuchBucket kFailedPrecondition ("bucket X
// does not exist"); PermanentRedirect, AuthorizationHeaderMalformed and
// IllegalLocationConstraintException kFailedPrecondition naming the region
// the bucket is in (x-amz-bucket-region or the body's <Region>); AccessDenied
// kPermissionDenied naming the action (s3:PutObject, s3:GetObject,
// s3:DeleteObject) and resource; ExpiredToken, InvalidAccessKeyId and
// SignatureDoesNotMatch kUnauthenticated naming the variable to fix;
// SlowDown/503 and 500s are tried again with backoff, then
// kResourceExhausted / kUnavailable.
// uri(key) is "s3://<bucket>/<prefix><key>".
// Thread-safety: safe from any number of coroutines at once.
#pragma once

#include "cloud/aws/aws_credentials.h"
#include "storage/blob_http.h"
#include "storage/blob_store.h"

namespace codecrew::storage {

struct S3Settings {
  std::string bucket;
  std::string prefix;    // prepended to every key ("" or ending in '/')
  std::string region;    // the signing region
  std::string endpoint;  // a custom endpoint (no trailing '/'); "" for AWS's
  bool path_style = false;
  cloud::aws::AwsCredentials credentials;
};

class S3BlobStore final : public BlobStore {
 public:
  S3BlobStore(S3Settings settings, BlobHttpDeps deps);

  std::string_view kind() const override { return "s3"; }
  std::string uri(std::string_view key) const override;
  boost::asio::awaitable<core::Result<BlobInfo>> put(std::string key, std::string bytes,
                                                     std::string content_type) override;
  boost::asio::awaitable<core::Result<BlobInfo>> head(std::string key) override;
  boost::asio::awaitable<core::Result<BlobInfo>> get(std::string key, BlobChunkSink sink) override;
  boost::asio::awaitable<core::Status> remove(std::string key) override;

  // The object's URL (addressing as above).
  std::string objectUrl(std::string_view key) const;
  const S3Settings& settings() const { return settings_; }

 private:
  core::Result<http::ClientRequest> request(const std::string& method, const std::string& key, http::Headers headers,
                                            std::string body) const;
  // `action` is the IAM action the call needs ("s3:PutObject").
  core::Error failure(const RetriedResponse& r, const std::string& key, const std::string& action) const;
  BlobInfo infoOf(const std::string& key, const http::ClientResponse& r) const;

  S3Settings settings_;
  BlobHttpDeps deps_;
};

}  // namespace codecrew::storage
