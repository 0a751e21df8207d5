#include "storage/s3_blob_store.h"

#include "cloud/aws/sigv4.h"
#include "core/crypto.h"
#include "core/percent_encoding.h"
#include "storage/blob_keys.h"

#include <charconv>

namespace codecrew::storage {
namespace {

std::uint64_t s3ContentLength(const http::ClientResponse& r) {
  auto v = r.header("content-length");
  std::uint64_t n = 0;
  if (v) std::from_chars(v->data(), v->data() + v->size(), n);
  return n;
}

std::string s3Unquoted(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

}  // namespace

S3BlobStore::S3BlobStore(S3Settings settings, BlobHttpDeps deps)
    : settings_(std::move(settings)), deps_(std::move(deps)) {
  while (!settings_.endpoint.empty() && settings_.endpoint.back() == '/') settings_.endpoint.pop_back();
  if (!settings_.endpoint.empty() || settings_.bucket.find('.') != std::string::npos) settings_.path_style = true;
}

std::string S3BlobStore::uri(std::string_view key) const {
  return "s3://" + settings_.bucket + "/" + settings_.prefix + std::string(key);
}

std::string S3BlobStore::objectUrl(std::string_view key) const {
  const std::string object = core::percentEncode(settings_.prefix + std::string(key), true);
  if (!settings_.endpoint.empty()) return settings_.endpoint + "/" + settings_.bucket + "/" + object;
  if (settings_.path_style)
    return "https://s3." + settings_.region + ".amazonaws.com/" + settings_.bucket + "/" + object;
  return "https://" + settings_.bucket + ".s3." + settings_.region + ".amazonaws.com/" + object;
}

core::Result<http::ClientRequest> S3BlobStore::request(const std::string& method, const std::string& key,
                                                       http::Headers headers, std::string body) const {
  http::ClientRequest req;
  req.method = method;
  req.url = objectUrl(key);
  req.headers = std::move(headers);
  req.body = std::move(body);
  req.timeouts = {.connect = std::chrono::seconds(10),
                  .first_byte = std::chrono::seconds(60),
                  .idle = std::chrono::seconds(60),
                  .total = std::chrono::seconds(600)};
  cloud::aws::SigningScope scope{settings_.region, "s3", deps_.clock->nowMillis()};
  auto signed_request = cloud::aws::signClientRequest(req, settings_.credentials, scope);
  if (!signed_request) return signed_request.error();
  return req;
}

BlobInfo S3BlobStore::infoOf(const std::string& key, const http::ClientResponse& r) const {
  BlobInfo info;
  info.key = key;
  info.uri = uri(key);
  info.size = s3ContentLength(r);
  info.etag = s3Unquoted(r.header("etag").value_or(""));
  info.content_type = r.header("content-type").value_or("");
  info.sha256 = r.header("x-amz-meta-sha256").value_or("");
  return info;
}

core::Error S3BlobStore::failure(const RetriedResponse& rr, const std::string& key, const std::string& action) const {
  const auto& r = rr.response;
  std::string code = xmlElement(r.body, "Code");
  std::string message = xmlElement(r.body, "Message");
  const std::string bucket = "bucket " + settings_.bucket;
  const std::string said = code.empty() ? "HTTP " + std::to_string(r.status) : code;
  const std::string object = settings_.prefix + key;
  std::string region = r.header("x-amz-bucket-region").value_or("");
  if (region.empty()) region = xmlElement(r.body, "Region");
  if (code == "NoSuchKey" || (code.empty() && r.status == 404 && action != "s3:PutObject"))
    return core::Error::notFound("no object " + object + " in S3 " + bucket);
  if (code == "NoSuchBucket" || (code.empty() && r.status == 404))
    return {core::ErrorCode::kFailedPrecondition,
            "S3 " + bucket + " does not exist" + (settings_.endpoint.empty() ? "" : " at " + settings_.endpoint) +
                ": create it (aws s3 mb s3://" + settings_.bucket + ") or set [artifacts] bucket",
            nullptr};
  if (code == "PermanentRedirect" || code == "AuthorizationHeaderMalformed" ||
      code == "IllegalLocationConstraintException" || r.status == 301 ||
      (!region.empty() && region != settings_.region)) {
    std::string where = region.empty() ? "another region" : "region " + region;
    return {core::ErrorCode::kFailedPrecondition,
            "S3 " + bucket + " is in " + where + ", not " + settings_.region + " (" + said +
                "): set [artifacts] region" + (region.empty() ? "" : " = \"" + region + "\"") +
                " (or CODECREW_ARTIFACTS_REGION)",
            nullptr};
  }
  if (code == "ExpiredToken" || code == "TokenRefreshRequired")
    return core::Error::unauthenticated("S3 refused the credentials (" + said +
                                        "): the session token has expired; refresh AWS_ACCESS_KEY_ID, "
                                        "AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN");
  if (code == "InvalidAccessKeyId" || code == "InvalidToken")
    return core::Error::unauthenticated("S3 does not know the access key " + settings_.credentials.access_key_id +
                                        " (" + said + "): check AWS_ACCESS_KEY_ID" +
                                        (code == "InvalidToken" ? " and AWS_SESSION_TOKEN" : ""));
  if (code == "SignatureDoesNotMatch")
    return core::Error::unauthenticated("S3 refused the request's signature (" + said +
                                        "): check AWS_SECRET_ACCESS_KEY (and the machine's clock)");
  if (code == "RequestTimeTooSkewed")
    return {core::ErrorCode::kFailedPrecondition,
            "S3 refused the request's time (" + said + "): the machine's clock is off by more than 15 minutes",
            nullptr};
  if (code == "AccessDenied" || code == "AllAccessDisabled" || r.status == 403)
    return core::Error::permissionDenied("S3 denied " + action + " on arn:aws:s3:::" + settings_.bucket + "/" + object +
                                         " (" + said + "): grant " + action + " to the identity of AWS_ACCESS_KEY_ID " +
                                         settings_.credentials.access_key_id);
  if (code == "SlowDown" || r.status == 503 || r.status == 429)
    return {core::ErrorCode::kResourceExhausted,
            "S3 is throttling " + bucket + " (" + said + ") still after " + std::to_string(rr.attempts) + " tries",
            nullptr};
  if (r.status >= 500)
    return core::Error::unavailable("S3 failed (" + said + ") after " + std::to_string(rr.attempts) + " tries" +
                                    (message.empty() ? "" : ": " + message));
  return {core::ErrorCode::kFailedPrecondition,
          "S3 refused " + action + " on " + object + " in " + bucket + " (" + said + ")" +
              (message.empty() ? "" : ": " + message),
          nullptr};
}

boost::asio::awaitable<core::Result<BlobInfo>> S3BlobStore::put(std::string key, std::string bytes,
                                                                std::string content_type) {
  if (auto ok = checkBlobKey(key); !ok) co_return ok.error();
  const std::string sha = core::sha256Hex(bytes);
  const std::string type = content_type.empty() ? contentTypeOf(key) : content_type;
  http::Headers headers{{"Content-Type", type}, {"x-amz-meta-sha256", sha}};
  const std::string what = "s3 put " + settings_.bucket;
  std::function<core::Result<http::ClientRequest>()> build = [&]() { return request("PUT", key, headers, bytes); };
  auto sent = co_await sendWithRetries(deps_, build, what);
  if (!sent) co_return sent.error();
  if (sent->response.status != 200) co_return failure(*sent, key, "s3:PutObject");
  BlobInfo info = infoOf(key, sent->response);
  info.sha256 = sha;
  info.size = bytes.size();
  info.content_type = type;
  co_return info;
}

boost::asio::awaitable<core::Result<BlobInfo>> S3BlobStore::head(std::string key) {
  if (auto ok = checkBlobKey(key); !ok) co_return ok.error();
  const std::string what = "s3 head " + settings_.bucket;
  std::function<core::Result<http::ClientRequest>()> build = [&]() { return request("HEAD", key, {}, ""); };
  auto sent = co_await sendWithRetries(deps_, build, what);
  if (!sent) co_return sent.error();
  if (sent->response.status != 200) co_return failure(*sent, key, "s3:GetObject");
  co_return infoOf(key, sent->response);
}

boost::asio::awaitable<core::Result<BlobInfo>> S3BlobStore::get(std::string key, BlobChunkSink sink) {
  if (auto ok = checkBlobKey(key); !ok) co_return ok.error();
  const std::string what = "s3 get " + settings_.bucket;
  std::function<core::Result<http::ClientRequest>()> build = [&]() { return request("GET", key, {}, ""); };
  auto sent = co_await sendStreamedWithRetries(deps_, build, what, sink);
  if (!sent) co_return sent.error();
  if (sent->response.status != 200) co_return failure(*sent, key, "s3:GetObject");
  co_return infoOf(key, sent->response);
}

boost::asio::awaitable<core::Status> S3BlobStore::remove(std::string key) {
  if (auto ok = checkBlobKey(key); !ok) co_return ok.error();
  // DeleteObject answers 204 for a missing key too: ask first, so a missing
  // object is kNotFound as the interface says.
  auto there = co_await head(key);
  if (!there) co_return there.error();
  const std::string what = "s3 delete " + settings_.bucket;
  std::function<core::Result<http::ClientRequest>()> build = [&]() { return request("DELETE", key, {}, ""); };
  auto sent = co_await sendWithRetries(deps_, build, what);
  if (!sent) co_return sent.error();
  if (sent->response.status != 204 && sent->response.status != 200) co_return failure(*sent, key, "s3:DeleteObject");
  co_return core::okStatus();
}

}  // namespace codecrew::storage
