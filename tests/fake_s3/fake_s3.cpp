#include "fake_s3.h"

#include "cloud/aws/sigv4.h"
#include "core/crypto.h"
#include "http/router.h"
#include "http/server.h"

#include <algorithm>
#include <deque>
#include <mutex>
#include <set>

namespace codecrew::testing {
namespace {

std::string lowered(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return out;
}

std::string escapeXml(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

struct S3Error {
  int status;
  std::string code;
  std::string message;
  std::vector<std::pair<std::string, std::string>> extra;  // more elements of <Error>
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace

class FakeS3::Impl {
 public:
  explicit Impl(FakeS3Options options) : options_(std::move(options)) {}

  core::Status start(const std::string& host, int port) {
    host_ = host;
    auto router = std::make_shared<http::Router>();
    http::RouteOptions raw;
    raw.json_body = false;
    const std::string pattern = "/{bucket}/{key:rest}";
    for (const char* method : {"PUT", "GET", "HEAD", "DELETE"})
      router->add(
          method, pattern, [this](http::Request& req) { return handle(req); }, raw);
    http::ServerOptions options;
    options.host = host;
    options.port = port;
    options.io_threads = 1;
    options.blocking_threads = 4;
    options.max_body_bytes = 64 << 20;
    options.shutdown_grace = std::chrono::seconds(2);
    server_ = std::make_unique<http::Server>(options, router);
    return server_->start();
  }
  void stop() {
    if (server_) server_->stop();
  }
  int port() const { return server_ ? server_->port() : 0; }
  std::string endpoint() const { return "http://" + host_ + ":" + std::to_string(port()); }
  const FakeS3Options& options() const { return options_; }

  void createBucket(const std::string& name, const std::string& region) {
    std::lock_guard lock(mu_);
    buckets_[name].region = region;
  }
  std::optional<FakeS3Object> object(const std::string& bucket, const std::string& key) const {
    std::lock_guard lock(mu_);
    auto b = buckets_.find(bucket);
    if (b == buckets_.end()) return std::nullopt;
    auto o = b->second.objects.find(key);
    if (o == b->second.objects.end()) return std::nullopt;
    return o->second;
  }
  std::vector<std::string> keys(const std::string& bucket) const {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    if (auto b = buckets_.find(bucket); b != buckets_.end())
      for (const auto& [k, o] : b->second.objects) out.push_back(k);
    return out;
  }
  void enqueueFault(FakeS3Fault fault, int count) {
    std::lock_guard lock(mu_);
    for (int i = 0; i < count; ++i) faults_.push_back(fault);
  }
  void denyAction(const std::string& action) {
    std::lock_guard lock(mu_);
    denied_.insert(action);
  }
  void expireToken() {
    std::lock_guard lock(mu_);
    expired_ = true;
  }
  std::vector<FakeS3Request> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  struct Bucket {
    std::string region;
    std::map<std::string, FakeS3Object> objects;
  };

  http::Response render(const http::Request& req, const S3Error& e) const {
    std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + e.code + "</Code><Message>" +
                       escapeXml(e.message) + "</Message>";
    for (const auto& [name, value] : e.extra) body += "<" + name + ">" + escapeXml(value) + "</" + name + ">";
    body += "<RequestId>" + core::uniqueHex(8) + "</RequestId><HostId>fake</HostId></Error>";
    http::Response r = http::Response::text(e.status, std::move(body), "application/xml");
    r.headers = e.headers;
    r.headers.emplace_back("x-amz-request-id", core::uniqueHex(8));
    return r;
  }

  // The request's authentication: nullopt when it holds. `bucket_region`
  // "" checks no region (a bucket that does not exist).
  std::optional<S3Error> authenticate(const http::Request& req, const std::string& bucket_region) const {
    auto header = req.header("Authorization");
    if (!header) return S3Error{403, "AccessDenied", "Access Denied", {}, {}};
    auto auth = cloud::aws::parseAuthorization(*header);
    if (!auth)
      return S3Error{400,
                     "AuthorizationHeaderMalformed",
                     "The authorization header is malformed; " + auth.error().message,
                     {},
                     {}};
    if (auth->access_key_id != options_.access_key_id)
      return S3Error{403,
                     "InvalidAccessKeyId",
                     "The AWS Access Key Id you provided does not exist in our records.",
                     {{"AWSAccessKeyId", auth->access_key_id}},
                     {}};
    if (auth->service != "s3")
      return S3Error{400,
                     "AuthorizationHeaderMalformed",
                     "The authorization header is malformed; incorrect service '" + auth->service +
                         "'. This endpoint belongs to 's3'.",
                     {},
                     {}};
    if (!bucket_region.empty() && auth->region != bucket_region)
      return S3Error{400,
                     "AuthorizationHeaderMalformed",
                     "The authorization header is malformed; the region '" + auth->region + "' is wrong; expecting '" +
                         bucket_region + "'",
                     {{"Region", bucket_region}},
                     {{"x-amz-bucket-region", bucket_region}}};
    if (!options_.session_token.empty()) {
      auto token = req.header("X-Amz-Security-Token");
      if (!token || *token != options_.session_token)
        return S3Error{403, "InvalidToken", "The provided token is malformed or otherwise invalid.", {}, {}};
    }
    if (expired_) return S3Error{400, "ExpiredToken", "The provided token has expired.", {}, {}};
    auto payload = req.header("x-amz-content-sha256");
    if (!payload)
      return S3Error{400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256", {}, {}};
    const std::string body_hash = core::sha256Hex(req.body);
    if (*payload != cloud::aws::kUnsignedPayload && *payload != body_hash)
      return S3Error{400,
                     "XAmzContentSHA256Mismatch",
                     "The provided 'x-amz-content-sha256' header does not match what was computed.",
                     {{"ClientComputedContentSHA256", *payload}, {"S3ComputedContentSHA256", body_hash}},
                     {}};
    for (const char* needed : {"host", "x-amz-content-sha256", "x-amz-date"})
      if (std::find(auth->signed_headers.begin(), auth->signed_headers.end(), needed) == auth->signed_headers.end())
        return S3Error{400,
                       "AuthorizationHeaderMalformed",
                       std::string("The authorization header is malformed; ") + needed + " must be signed",
                       {},
                       {}};
    cloud::aws::SigningRequest signing;
    signing.method = req.method;
    auto q = req.target.find('?');
    signing.path = req.target.substr(0, q);
    signing.query = q == std::string::npos ? "" : req.target.substr(q + 1);
    for (const auto& [name, value] : req.headers) signing.headers.emplace_back(name, value);
    signing.payload_hash = *payload;
    cloud::aws::AwsCredentials credentials{options_.access_key_id, options_.secret_access_key, options_.session_token};
    auto expected = cloud::aws::signatureOver(signing, auth->signed_headers, credentials, auth->region, "s3");
    if (!expected) return S3Error{403, "AccessDenied", expected.error().message, {}, {}};
    if (!core::constantTimeEquals(expected->signature, auth->signature))
      return S3Error{403,
                     "SignatureDoesNotMatch",
                     "The request signature we calculated does not match the signature you provided. Check your "
                     "key and signing method.",
                     {{"AWSAccessKeyId", options_.access_key_id},
                      {"StringToSign", expected->string_to_sign},
                      {"CanonicalRequest", expected->canonical_request}},
                     {}};
    return std::nullopt;
  }

  http::Response handle(http::Request& req) {
    FakeS3Request seen{req.method, req.target, 0, ""};
    http::Response r = serve(req, seen.error_code);
    seen.status = r.status;
    std::lock_guard lock(mu_);
    requests_.push_back(std::move(seen));
    return r;
  }

  http::Response fail(const http::Request& req, const S3Error& e, std::string& code) {
    code = e.code;
    return render(req, e);
  }

  http::Response serve(http::Request& req, std::string& code) {
    std::optional<FakeS3Fault> fault;
    {
      std::lock_guard lock(mu_);
      if (!faults_.empty()) {
        fault = faults_.front();
        faults_.pop_front();
      }
    }
    if (fault) return fail(req, S3Error{fault->status, fault->code, fault->message, {}, {}}, code);
    const std::string bucket = req.param("bucket");
    const std::string key = req.param("key");
    std::string region;  // none for a bucket that does not exist: S3 answers NoSuchBucket from any region
    bool exists = false;
    {
      std::lock_guard lock(mu_);
      if (auto b = buckets_.find(bucket); b != buckets_.end()) {
        region = b->second.region;
        exists = true;
      }
    }
    if (auto refused = authenticate(req, region)) return fail(req, *refused, code);
    const std::string action = req.method == "PUT"      ? "s3:PutObject"
                               : req.method == "DELETE" ? "s3:DeleteObject"
                                                        : "s3:GetObject";
    std::lock_guard lock(mu_);
    if (!exists)
      return fail(req,
                  S3Error{404, "NoSuchBucket", "The specified bucket does not exist", {{"BucketName", bucket}}, {}},
                  code);
    if (denied_.count(action)) return fail(req, S3Error{403, "AccessDenied", "Access Denied", {}, {}}, code);
    auto& objects = buckets_[bucket].objects;
    if (req.method == "PUT") {
      FakeS3Object o;
      o.bytes = req.body;
      o.content_type = req.header("Content-Type").value_or("binary/octet-stream");
      for (const auto& [name, value] : req.headers) {
        auto lower = lowered(name);
        if (lower.rfind("x-amz-meta-", 0) == 0) o.metadata[lower.substr(11)] = value;
      }
      o.etag = "\"" + core::sha256Hex(o.bytes).substr(0, 32) + "\"";
      objects[key] = o;
      http::Response r = http::Response::text(200, "");
      r.headers.emplace_back("ETag", o.etag);
      return r;
    }
    auto it = objects.find(key);
    if (req.method == "DELETE") {
      if (it != objects.end()) objects.erase(it);
      return http::Response::text(204, "");
    }
    if (it == objects.end())
      return fail(req, S3Error{404, "NoSuchKey", "The specified key does not exist.", {{"Key", key}}, {}}, code);
    const FakeS3Object& o = it->second;
    http::Response r = http::Response::text(200, o.bytes, o.content_type);
    r.headers.emplace_back("ETag", o.etag);
    for (const auto& [k, v] : o.metadata) r.headers.emplace_back("x-amz-meta-" + k, v);
    return r;
  }

  FakeS3Options options_;
  std::string host_ = "127.0.0.1";
  std::unique_ptr<http::Server> server_;
  mutable std::mutex mu_;
  std::map<std::string, Bucket> buckets_;  // guarded by mu_
  std::deque<FakeS3Fault> faults_;         // guarded by mu_
  std::set<std::string> denied_;           // guarded by mu_
  bool expired_ = false;                   // guarded by mu_
  std::vector<FakeS3Request> requests_;    // guarded by mu_
};

FakeS3::FakeS3(FakeS3Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
FakeS3::~FakeS3() { stop(); }
core::Status FakeS3::start(const std::string& host, int port) { return impl_->start(host, port); }
void FakeS3::stop() { impl_->stop(); }
int FakeS3::port() const { return impl_->port(); }
std::string FakeS3::endpoint() const { return impl_->endpoint(); }
const FakeS3Options& FakeS3::options() const { return impl_->options(); }
void FakeS3::createBucket(const std::string& name, const std::string& region) { impl_->createBucket(name, region); }
std::optional<FakeS3Object> FakeS3::object(const std::string& bucket, const std::string& key) const {
  return impl_->object(bucket, key);
}
std::vector<std::string> FakeS3::keys(const std::string& bucket) const { return impl_->keys(bucket); }
void FakeS3::enqueueFault(FakeS3Fault fault, int count) { impl_->enqueueFault(std::move(fault), count); }
void FakeS3::denyAction(const std::string& action) { impl_->denyAction(action); }
void FakeS3::expireToken() { impl_->expireToken(); }
std::vector<FakeS3Request> FakeS3::requests() const { return impl_->requests(); }

}  // namespace codecrew::testing
