#include "fake_blob.h"

#include "core/crypto.h"
#include "core/time_format.h"
#include "http/router.h"
#include "http/server.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <deque>
#include <mutex>
#include <set>

namespace codecrew::testing {
namespace {

std::string lowerOf(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return out;
}

std::string b64(const unsigned char* data, std::size_t n) {
  std::string out(4 * ((n + 2) / 3), '\0');
  out.resize(std::size_t(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, int(n))));
  return out;
}

std::string unb64(const std::string& text) {
  std::string out(3 * (text.size() / 4), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), int(text.size()));
  if (n < 0) return "";
  std::size_t pad = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
  out.resize(std::size_t(n) - pad);
  return out;
}

std::string hmacBase64(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), int(key.size()), reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
       &len);
  return b64(mac, len);
}

std::string pctEncode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += char(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string xmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '\'') out += "&apos;";
    else out += c;
  }
  return out;
}

// The string the Blob service signs for Shared Key (2015-02-21 and later),
// written from the request as the service received it.
std::string serviceStringToSign(const http::Request& req, const std::string& account) {
  auto header = [&](const char* name) -> std::string {
    auto v = req.header(name);
    if (!v) return "";
    if (lowerOf(name) == "content-length" && *v == "0") return "";
    return *v;
  };
  std::string s = req.method + "\n";
  for (const char* name : {"Content-Encoding", "Content-Language", "Content-Length", "Content-MD5", "Content-Type",
                           "Date", "If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range"})
    s += header(name) + "\n";
  std::map<std::string, std::string> ms;
  for (const auto& [name, value] : req.headers) {
    auto lower = lowerOf(name);
    if (lower.rfind("x-ms-", 0) != 0) continue;
    std::string folded;
    bool space = false;
    for (char c : value) {
      if (std::isspace(static_cast<unsigned char>(c))) {
        space = true;
        continue;
      }
      if (space && !folded.empty()) folded += ' ';
      space = false;
      folded += c;
    }
    ms[lower] = folded;
  }
  for (const auto& [name, value] : ms) s += name + ":" + value + "\n";
  s += "/" + account + req.target.substr(0, req.target.find('?'));
  std::map<std::string, std::vector<std::string>> params;
  for (const auto& [name, value] : req.query) params[lowerOf(name)].push_back(value);
  for (auto& [name, values] : params) {
    std::sort(values.begin(), values.end());
    s += "\n" + name + ":";
    for (std::size_t i = 0; i < values.size(); ++i) s += (i ? "," : "") + values[i];
  }
  return s;
}

std::string sasStringToSign(const std::map<std::string, std::string>& q, const std::string& account,
                            const std::string& container) {
  auto f = [&](const char* name) -> std::string {
    auto it = q.find(name);
    return it == q.end() ? "" : it->second;
  };
  return f("sp") + "\n" + f("st") + "\n" + f("se") + "\n/blob/" + account + "/" + container + "\n" + f("si") + "\n" +
         f("sip") + "\n" + f("spr") + "\n" + f("sv") + "\n" + f("sr") + "\n" + f("snapshot") + "\n" + f("ses") + "\n" +
         f("rscc") + "\n" + f("rscd") + "\n" + f("rsce") + "\n" + f("rscl") + "\n" + f("rsct");
}

}  // namespace

class FakeBlobService::Impl {
 public:
  explicit Impl(FakeBlobOptions options) : options_(std::move(options)) {
    if (!options_.clock) options_.clock = core::SystemClock::instance();
  }

  core::Status start(const std::string& host, int port) {
    host_ = host;
    auto router = std::make_shared<http::Router>();
    http::RouteOptions raw;
    raw.json_body = false;
    const std::string pattern = "/{account}/{container}/{blob:rest}";
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
  std::string baseUrl() const { return "http://" + host_ + ":" + std::to_string(port()) + "/" + options_.account; }
  const FakeBlobOptions& options() const { return options_; }

  void createContainer(const std::string& name) {
    std::lock_guard lock(mu_);
    containers_[name];
  }
  std::optional<FakeBlob> blob(const std::string& container, const std::string& name) const {
    std::lock_guard lock(mu_);
    auto c = containers_.find(container);
    if (c == containers_.end()) return std::nullopt;
    auto b = c->second.find(name);
    if (b == c->second.end()) return std::nullopt;
    return b->second;
  }
  std::vector<std::string> blobNames(const std::string& container) const {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    if (auto c = containers_.find(container); c != containers_.end())
      for (const auto& [name, b] : c->second) out.push_back(name);
    return out;
  }
  void enqueueFault(FakeBlobFault fault, int count) {
    std::lock_guard lock(mu_);
    for (int i = 0; i < count; ++i) faults_.push_back(fault);
  }
  void denyAction(const std::string& action) {
    std::lock_guard lock(mu_);
    denied_.insert(action);
  }
  std::vector<FakeBlobRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

  std::string makeContainerSas(const std::string& container, const std::string& permissions,
                               const std::string& expiry) const {
    std::map<std::string, std::string> q{{"sv", "2020-12-06"}, {"sr", "c"}, {"sp", permissions}, {"se", expiry}};
    auto sig = hmacBase64(unb64(options_.key), sasStringToSign(q, options_.account, container));
    return "sv=2020-12-06&sr=c&sp=" + pctEncode(permissions) + "&se=" + pctEncode(expiry) + "&sig=" + pctEncode(sig);
  }

 private:
  http::Response error(int status, const std::string& code, const std::string& message,
                       const std::string& detail = "") {
    std::string body = "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code +
                       "</Code><Message>" + xmlEscape(message) + "\nRequestId:" + core::uniqueHex(8) +
                       "\nTime:" + core::formatIso8601(core::SystemClock::instance()->nowMillis()) + "</Message>";
    if (!detail.empty()) body += "<AuthenticationErrorDetail>" + xmlEscape(detail) + "</AuthenticationErrorDetail>";
    body += "</Error>";
    http::Response r = http::Response::text(status, std::move(body), "application/xml");
    r.headers.emplace_back("x-ms-error-code", code);
    return r;
  }

  // The request's authorization: "" when it holds, else the refusal.
  std::optional<http::Response> authorize(const http::Request& req, const std::string& container,
                                          const std::string& action, std::string& how) {
    std::map<std::string, std::string> q;
    for (const auto& [k, v] : req.query) q[k] = v;
    if (auto auth = req.header("Authorization")) {
      how = "shared_key";
      if (!req.header("x-ms-date") && !req.header("Date"))
        return error(403, "AuthenticationFailed", "Server failed to authenticate the request.",
                     "The Date header in the request is missing (x-ms-date or Date is required).");
      if (!req.header("x-ms-version"))
        return error(400, "MissingRequiredHeader",
                     "An HTTP header that's mandatory for this request is not specified.");
      const std::string prefix = "SharedKey " + options_.account + ":";
      if (auth->rfind(prefix, 0) != 0)
        return error(403, "AuthenticationFailed",
                     "Server failed to authenticate the request. Make sure the value of Authorization header is "
                     "formed correctly including the signature.",
                     "The Authorization header is not 'SharedKey " + options_.account + ":<signature>'.");
      const std::string given = auth->substr(prefix.size());
      const std::string to_sign = serviceStringToSign(req, options_.account);
      const std::string expected = hmacBase64(unb64(options_.key), to_sign);
      if (!core::constantTimeEquals(given, expected))
        return error(403, "AuthenticationFailed",
                     "Server failed to authenticate the request. Make sure the value of Authorization header is "
                     "formed correctly including the signature.",
                     "The MAC signature found in the HTTP request '" + given +
                         "' is not the same as any computed signature. Server used following string to sign: '" +
                         to_sign + "'.");
      return std::nullopt;
    }
    if (q.count("sig")) {
      how = "sas";
      const std::string expected = hmacBase64(unb64(options_.key), sasStringToSign(q, options_.account, container));
      if (q["sr"] != "c" || !core::constantTimeEquals(q["sig"], expected))
        return error(403, "AuthenticationFailed",
                     "Server failed to authenticate the request. Make sure the value of Authorization header is "
                     "formed correctly including the signature.",
                     "Signature did not match. String to sign used was " + q["sp"] + "...");
      auto expiry = core::parseIso8601(q["se"]);
      const auto now = options_.clock->nowMillis();
      if (!expiry || *expiry < now)
        return error(403, "AuthenticationFailed",
                     "Server failed to authenticate the request. Make sure the value of Authorization header is "
                     "formed correctly including the signature.",
                     "Signature not valid in the specified time frame: Start [] - Expiry [" + q["se"] +
                         "] - Current [" + core::formatIso8601(now) + "]");
      const char needed = action == "write" ? 'w' : action == "delete" ? 'd' : 'r';
      if (q["sp"].find(needed) == std::string::npos)
        return error(403, "AuthorizationPermissionMismatch",
                     "This request is not authorized to perform this operation using this permission.");
      return std::nullopt;
    }
    how = "none";
    return error(401, "NoAuthenticationInformation",
                 "Server failed to authenticate the request. Please refer to the information in the "
                 "www-authenticate header.");
  }

  http::Response handle(http::Request& req) {
    FakeBlobRequest seen{req.method, req.target, "none", 0, ""};
    http::Response r = serve(req, seen.auth);
    seen.status = r.status;
    if (r.status >= 300)
      for (const auto& [k, v] : r.headers)
        if (k == "x-ms-error-code") seen.error_code = v;
    std::lock_guard lock(mu_);
    requests_.push_back(std::move(seen));
    return r;
  }

  http::Response serve(http::Request& req, std::string& how) {
    std::optional<FakeBlobFault> fault;
    {
      std::lock_guard lock(mu_);
      if (!faults_.empty()) {
        fault = faults_.front();
        faults_.pop_front();
      }
    }
    if (fault) {
      auto r = error(fault->status, fault->code, "The server is busy (a fault the test asked for).");
      if (!fault->retry_after.empty()) r.headers.emplace_back("Retry-After", fault->retry_after);
      return r;
    }
    const std::string account = req.param("account");
    const std::string container = req.param("container");
    const std::string name = req.param("blob");
    if (account != options_.account)
      return error(400, "InvalidUri", "The requested URI does not represent any resource on the server.");
    const std::string action = req.method == "PUT" ? "write" : req.method == "DELETE" ? "delete" : "read";
    if (auto refused = authorize(req, container, action, how)) return *refused;
    std::lock_guard lock(mu_);
    if (denied_.count(action))
      return error(403, "AuthorizationPermissionMismatch",
                   "This request is not authorized to perform this operation using this permission.");
    auto c = containers_.find(container);
    if (c == containers_.end()) return error(404, "ContainerNotFound", "The specified container does not exist.");
    if (req.method == "PUT") {
      auto type = req.header("x-ms-blob-type");
      if (!type)
        return error(400, "MissingRequiredHeader",
                     "An HTTP header that's mandatory for this request is not specified.");
      if (*type != "BlockBlob")
        return error(400, "InvalidHeaderValue", "The value for one of the HTTP headers is not in the correct format.");
      FakeBlob b;
      b.bytes = req.body;
      b.content_type = req.header("Content-Type").value_or("application/octet-stream");
      for (const auto& [k, v] : req.headers) {
        auto lower = lowerOf(k);
        if (lower.rfind("x-ms-meta-", 0) == 0) b.metadata[lower.substr(10)] = v;
      }
      b.etag = "\"0x" + core::sha256Hex(b.bytes).substr(0, 15) + "\"";
      c->second[name] = b;
      http::Response r = http::Response::text(201, "");
      r.headers.emplace_back("ETag", b.etag);
      r.headers.emplace_back("Content-MD5", "");
      return r;
    }
    auto it = c->second.find(name);
    if (it == c->second.end()) return error(404, "BlobNotFound", "The specified blob does not exist.");
    if (req.method == "DELETE") {
      c->second.erase(it);
      return http::Response::text(202, "");
    }
    const FakeBlob& b = it->second;
    http::Response r = http::Response::text(200, b.bytes, b.content_type);
    r.headers.emplace_back("ETag", b.etag);
    r.headers.emplace_back("x-ms-blob-type", "BlockBlob");
    for (const auto& [k, v] : b.metadata) r.headers.emplace_back("x-ms-meta-" + k, v);
    return r;
  }

  FakeBlobOptions options_;
  std::string host_ = "127.0.0.1";
  std::unique_ptr<http::Server> server_;
  mutable std::mutex mu_;
  std::map<std::string, std::map<std::string, FakeBlob>> containers_;  // guarded by mu_
  std::deque<FakeBlobFault> faults_;                                   // guarded by mu_
  std::set<std::string> denied_;                                       // guarded by mu_
  std::vector<FakeBlobRequest> requests_;                              // guarded by mu_
};

FakeBlobService::FakeBlobService(FakeBlobOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
FakeBlobService::~FakeBlobService() { stop(); }
core::Status FakeBlobService::start(const std::string& host, int port) { return impl_->start(host, port); }
void FakeBlobService::stop() { impl_->stop(); }
int FakeBlobService::port() const { return impl_->port(); }
std::string FakeBlobService::baseUrl() const { return impl_->baseUrl(); }
const FakeBlobOptions& FakeBlobService::options() const { return impl_->options(); }
void FakeBlobService::createContainer(const std::string& name) { impl_->createContainer(name); }
std::optional<FakeBlob> FakeBlobService::blob(const std::string& container, const std::string& name) const {
  return impl_->blob(container, name);
}
std::vector<std::string> FakeBlobService::blobNames(const std::string& container) const {
  return impl_->blobNames(container);
}
void FakeBlobService::enqueueFault(FakeBlobFault fault, int count) { impl_->enqueueFault(std::move(fault), count); }
void FakeBlobService::denyAction(const std::string& action) { impl_->denyAction(action); }
std::vector<FakeBlobRequest> FakeBlobService::requests() const { return impl_->requests(); }
std::string FakeBlobService::makeContainerSas(const std::string& container, const std::string& permissions,
                                              const std::string& expiry) const {
  return impl_->makeContainerSas(container, permissions, expiry);
}

}  // namespace codecrew::testing
