#include "storage/azure_blob_store.h"

#include "cloud/azure/shared_key.h"
#include "core/crypto.h"
#include "core/http_date.h"
#include "core/percent_encoding.h"
#include "http/client/url.h"
#include "storage/blob_keys.h"

#include <charconv>

namespace codecrew::storage {
namespace {

std::uint64_t contentLength(const http::ClientResponse& r) {
  auto v = r.header("content-length");
  std::uint64_t n = 0;
  if (v) std::from_chars(v->data(), v->data() + v->size(), n);
  return n;
}

std::string unquoted(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

// The SAS token's query as decoded (name, value) pairs are not needed: the
// token is appended as it is, already encoded.
std::string withSas(std::string url, const std::string& sas) {
  if (sas.empty()) return url;
  return url + (url.find('?') == std::string::npos ? "?" : "&") + sas;
}

}  // namespace

AzureBlobStore::AzureBlobStore(AzureBlobSettings settings, BlobHttpDeps deps)
    : settings_(std::move(settings)), deps_(std::move(deps)) {
  while (!settings_.endpoint.empty() && settings_.endpoint.back() == '/') settings_.endpoint.pop_back();
  if (auto url = http::parseUrl(settings_.endpoint)) {
    endpoint_path_ = url->target == "/" ? "" : url->target;
    while (!endpoint_path_.empty() && endpoint_path_.back() == '/') endpoint_path_.pop_back();
  }
}

std::string AzureBlobStore::uri(std::string_view key) const {
  return "azure://" + settings_.account + "/" + settings_.container + "/" + settings_.prefix + std::string(key);
}

core::Result<http::ClientRequest> AzureBlobStore::request(const std::string& method, const std::string& key,
                                                          http::Headers headers, std::string body) const {
  const std::string path = "/" + settings_.container + "/" + core::percentEncode(settings_.prefix + key, true);
  http::ClientRequest req;
  req.method = method;
  req.url = withSas(settings_.endpoint + path, settings_.key.empty() ? settings_.sas : "");
  headers.emplace_back("x-ms-date", core::formatHttpDate(deps_.clock->nowMillis()));
  headers.emplace_back("x-ms-version", settings_.api_version);
  if (!settings_.key.empty()) {
    http::Headers signed_headers = headers;
    if (!body.empty() || method == "PUT") signed_headers.emplace_back("Content-Length", std::to_string(body.size()));
    auto to_sign = cloud::azure::sharedKeyStringToSign(settings_.account, method, endpoint_path_ + path, {},
                                                       signed_headers);
    auto auth = cloud::azure::sharedKeyAuthorization(settings_.account, settings_.key, to_sign);
    if (!auth) return auth.error();
    headers.emplace_back("Authorization", *auth);
  }
  req.headers = std::move(headers);
  req.body = std::move(body);
  req.timeouts = {.connect = std::chrono::seconds(10),
                  .first_byte = std::chrono::seconds(60),
                  .idle = std::chrono::seconds(60),
                  .total = std::chrono::seconds(600)};
  return req;
}

BlobInfo AzureBlobStore::infoOf(const std::string& key, const http::ClientResponse& r) const {
  BlobInfo info;
  info.key = key;
  info.uri = uri(key);
  info.size = contentLength(r);
  info.etag = unquoted(r.header("etag").value_or(""));
  info.content_type = r.header("content-type").value_or("");
  info.sha256 = r.header("x-ms-meta-sha256").value_or("");
  return info;
}

core::Error AzureBlobStore::failure(const RetriedResponse& rr, const std::string& key,
                                    const std::string& action) const {
  const auto& r = rr.response;
  std::string code = r.header("x-ms-error-code").value_or("");
  if (code.empty()) code = xmlElement(r.body, "Code");
  std::string message = xmlElement(r.body, "Message");
  if (auto nl = message.find('\n'); nl != std::string::npos) message = message.substr(0, nl);
  const std::string where = "container " + settings_.container + " of storage account " + settings_.account;
  const std::string said = code.empty() ? "HTTP " + std::to_string(r.status) : code;
  const std::string object = settings_.prefix + key;
  if (code == "BlobNotFound" || (code.empty() && r.status == 404 && action != "write"))
    return core::Error::notFound("no blob " + object + " in " + where);
  if (code == "ContainerNotFound")
    return {core::ErrorCode::kFailedPrecondition,
            "the " + where + " does not exist: create it (az storage container create --name " + settings_.container +
                " --account-name " + settings_.account + ") or set [artifacts] bucket to an existing container",
            nullptr};
  if (code == "AuthenticationFailed" || code == "InvalidAuthenticationInfo" || code == "NoAuthenticationInformation" ||
      r.status == 401) {
    std::string detail = xmlElement(r.body, "AuthenticationErrorDetail");
    bool expired = detail.find("xpir") != std::string::npos || message.find("xpir") != std::string::npos;
    if (!settings_.key.empty())
      return core::Error::unauthenticated("Azure Blob Storage refused the account key of " + settings_.account + " (" +
                                          said + "): check AZURE_STORAGE_KEY" + (detail.empty() ? "" : ": " + detail));
    return core::Error::unauthenticated(
        std::string("Azure Blob Storage refused the SAS token for ") + settings_.account + " (" + said + ")" +
        (expired ? ": the token has expired; issue a new AZURE_STORAGE_SAS_TOKEN" : ": check AZURE_STORAGE_SAS_TOKEN") +
        (detail.empty() ? "" : " (" + detail + ")"));
  }
  if (code.starts_with("Authorization") || r.status == 403) {
    const std::string data_action = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/" + action;
    std::string how = settings_.key.empty() ? " (a SAS token needs the '" + action.substr(0, 1) + "' permission)" : "";
    return core::Error::permissionDenied("Azure Blob Storage refused to " + action + " " + object + " in " + where +
                                         " (" + said + "): the identity lacks " + data_action + how);
  }
  if (code == "ServerBusy" || code == "OperationTimedOut" || r.status == 503 || r.status == 429)
    return {core::ErrorCode::kResourceExhausted,
            "Azure Blob Storage is throttling the " + where + " (" + said + ") still after " +
                std::to_string(rr.attempts) + " tries",
            nullptr};
  if (r.status >= 500)
    return core::Error::unavailable("Azure Blob Storage failed (" + said + ") after " + std::to_string(rr.attempts) +
                                    " tries" + (message.empty() ? "" : ": " + message));
  return {core::ErrorCode::kFailedPrecondition,
          "Azure Blob Storage refused to " + action + " " + object + " in " + where + " (" + said + ")" +
              (message.empty() ? "" : ": " + message),
          nullptr};
}

boost::asio::awaitable<core::Result<BlobInfo>> AzureBlobStore::put(std::string key, std::string bytes,
                                                                   std::string content_type) {
  if (auto ok = checkBlobKey(key); !ok) co_return ok.error();
  const std::string sha = core::sha256Hex(bytes);
  const std::string type = content_type.empty() ? contentTypeOf(key) : content_type;
  http::Headers headers{{"x-ms-blob-type", "BlockBlob"}, {"Content-Type", type}, {"x-ms-meta-sha256", sha}};
  const std::string what = "azure put " + settings_.container;
  auto build = [&]() { return request("PUT", key, headers, bytes); };
  auto sent = co_await sendWithRetries(deps_, build, what);
  if (!sent) co_return sent.error();
  if (sent->response.status != 201 && sent->response.status != 200) co_return failure(*sent, key, "write");
  BlobInfo info = infoOf(key, sent->response);
  info.sha256 = sha;
  info.size = bytes.size();
  info.content_type = type;
  co_return info;
}

boost::asio::awaitable<core::Result<BlobInfo>> AzureBlobStore::head(std::string key) {
  if (auto ok = checkBlobKey(key); !ok) co_return ok.error();
  const std::string what = "azure head " + settings_.container;
  auto build = [&]() { return request("HEAD", key, {}, ""); };
  auto sent = co_await sendWithRetries(deps_, build, what);
  if (!sent) co_return sent.error();
  if (sent->response.status != 200) co_return failure(*sent, key, "read");
  co_return infoOf(key, sent->response);
}

boost::asio::awaitable<core::Result<BlobInfo>> AzureBlobStore::get(std::string key, BlobChunkSink sink) {
  if (auto ok = checkBlobKey(key); !ok) co_return ok.error();
  const std::string what = "azure get " + settings_.container;
  std::function<core::Result<http::ClientRequest>()> build = [&]() { return request("GET", key, {}, ""); };
  auto sent = co_await sendStreamedWithRetries(deps_, build, what, sink);
  if (!sent) co_return sent.error();
  if (sent->response.status != 200) co_return failure(*sent, key, "read");
  co_return infoOf(key, sent->response);
}

boost::asio::awaitable<core::Status> AzureBlobStore::remove(std::string key) {
  if (auto ok = checkBlobKey(key); !ok) co_return ok.error();
  const std::string what = "azure delete " + settings_.container;
  auto build = [&]() { return request("DELETE", key, {}, ""); };
  auto sent = co_await sendWithRetries(deps_, build, what);
  if (!sent) co_return sent.error();
  if (sent->response.status != 202 && sent->response.status != 200) co_return failure(*sent, key, "delete");
  co_return core::okStatus();
}

}  // namespace codecrew::storage
