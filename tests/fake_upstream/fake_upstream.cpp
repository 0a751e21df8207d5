#include "fake_upstream.h"

#include "fake_embeddings.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <deque>
#include <mutex>
#include <optional>
#include <thread>

namespace codecrew::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace bj = boost::json;
using tcp = asio::ip::tcp;

std::string ReceivedRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (beast::iequals(k, name)) return v;
  }
  return "";
}

namespace {

std::optional<WireKind> kindOf(std::string_view path) {
  if (path.ends_with("/chat/completions")) return WireKind::kOpenAi;
  if (path.ends_with("/v1/messages")) return WireKind::kAnthropic;
  if (path.find(":generateContent") != std::string_view::npos ||
      path.find(":streamGenerateContent") != std::string_view::npos)
    return WireKind::kGemini;
  if (path.ends_with("/api/chat")) return WireKind::kOllama;
  if (bedrockModelOfPath(std::string(path))) return WireKind::kBedrock;
  return std::nullopt;
}

std::string statusLine(int status) {
  auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
  return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason.empty() ? "Status" : reason) + "\r\n";
}

const std::string kOllamaTags = [] {
  bj::array models;
  for (const char* name : kFakeOllamaModels) models.push_back(bj::object{{"name", name}, {"model", name}});
  return bj::serialize(bj::object{{"models", std::move(models)}});
}();

std::string wholeResponse(int status, const std::string& type, const std::string& body,
                          const std::vector<std::string>& extra = {}) {
  std::string out = statusLine(status) + "Content-Type: " + type +
                    "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: keep-alive\r\n";
  for (const auto& h : extra) out += h + "\r\n";
  return out + "\r\n" + body;
}

std::string chunk(std::string_view data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return std::string(size) + std::string(data) + "\r\n";
}

}  // namespace

class FakeUpstream::Impl {
 public:
  explicit Impl(FakeUpstreamOptions options) : options_(std::move(options)), acceptor_(io_) {}

  core::Status start() {
    boost::system::error_code ec;
    tcp::endpoint ep(asio::ip::make_address(options_.host, ec), static_cast<unsigned short>(options_.port));
    if (ec) return core::Error::unavailable("bad host " + options_.host);
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return core::Error::unavailable("fake upstream cannot listen: " + ec.message());
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(io_, accept(), asio::detached);
    for (int i = 0; i < std::max(1, options_.threads); ++i) threads_.emplace_back([this] { io_.run(); });
    return core::okStatus();
  }

  void stop() {
    std::call_once(stopped_, [this] {
      asio::post(io_, [this] {
        boost::system::error_code ec;
        acceptor_.close(ec);
      });
      io_.stop();
      for (auto& t : threads_) t.join();
    });
  }

  int port() const { return port_; }

  void enqueue(FakeReply r) {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(r));
  }
  void setDefault(FakeReply r) {
    std::lock_guard lock(mu_);
    default_ = std::move(r);
  }
  std::vector<ReceivedRequest> requests() const {
    std::lock_guard lock(mu_);
    return received_;
  }
  void reset() {
    std::lock_guard lock(mu_);
    queue_.clear();
    received_.clear();
    aborted_streams_ = 0;
    peak_waiting_ = waiting_;
    default_ = FakeReply{};
  }
  std::size_t peakConcurrent() const {
    std::lock_guard lock(mu_);
    return peak_waiting_;
  }
  void setAwsAccount(FakeAwsAccount account) {
    std::lock_guard lock(mu_);
    options_.aws = std::move(account);
  }
  std::size_t rejectedSignatures() const {
    std::lock_guard lock(mu_);
    return rejected_signatures_;
  }

 private:
  asio::awaitable<void> accept() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      socket.set_option(tcp::no_delay(true), ec);
      asio::co_spawn(asio::make_strand(io_), session(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> session(tcp::socket socket) {
    beast::flat_buffer buffer;
    for (;;) {
      boost::system::error_code ec;
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(64 << 20);
      co_await bhttp::async_read(socket, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      bool keep = co_await handle(socket, parser.release());
      if (!keep) break;
    }
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
  }

  asio::awaitable<bool> write(tcp::socket& socket, const std::string& data) {
    boost::system::error_code ec;
    co_await asio::async_write(socket, asio::buffer(data), asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }

  asio::awaitable<void> pause(int ms) {
    if (ms <= 0) co_return;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(std::chrono::milliseconds(ms));
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }

  asio::awaitable<bool> control(tcp::socket& socket, const bhttp::request<bhttp::string_body>& req) {
    std::string target(req.target());
    boost::system::error_code ec;
    auto body = bj::parse(req.body().empty() ? "null" : req.body(), ec);
    if (target == "/_fake/replies" && !ec) {
      if (body.is_array()) {
        for (const auto& r : body.as_array()) enqueue(fakeReplyFromJson(r));
      } else {
        enqueue(fakeReplyFromJson(body));
      }
    } else if (target == "/_fake/default" && !ec) {
      setDefault(fakeReplyFromJson(body));
    } else if (target == "/_fake/aws" && !ec && body.is_object()) {
      FakeAwsAccount account;
      const auto& o = body.as_object();
      auto str = [&](const char* k, std::string& out) {
        if (const auto* x = o.if_contains(k); x && x->is_string()) out = std::string(x->as_string());
      };
      str("access_key_id", account.access_key_id);
      str("secret_access_key", account.secret_access_key);
      str("session_token", account.session_token);
      str("region", account.region);
      str("service", account.service);
      if (const auto* x = o.if_contains("token_expired"); x && x->is_bool()) account.token_expired = x->as_bool();
      if (const auto* x = o.if_contains("max_skew_seconds"); x && x->is_int64())
        account.max_skew_seconds = static_cast<int>(x->as_int64());
      setAwsAccount(std::move(account));
    } else if (target == "/_fake/reset") {
      reset();
    } else if (target == "/_fake/stats") {
      std::lock_guard lock(mu_);
      bj::object stats{{"requests", received_.size()},
                       {"aborted_streams", aborted_streams_},
                       {"peak_concurrent", peak_waiting_}};
      co_return co_await write(socket, wholeResponse(200, "application/json", bj::serialize(stats)));
    } else if (target == "/_fake/requests") {
      bj::array out;
      for (const auto& r : requests())
        out.push_back(
            bj::object{{"target", r.target}, {"kind", wireKindName(r.kind)}, {"stream", r.stream}, {"body", r.body}});
      co_return co_await write(socket, wholeResponse(200, "application/json", bj::serialize(out)));
    } else {
      co_return co_await write(socket, wholeResponse(404, "application/json", R"({"error":"unknown control path"})"));
    }
    co_return co_await write(socket, wholeResponse(200, "application/json", R"({"ok":true})"));
  }

  FakeReply next() {
    std::lock_guard lock(mu_);
    if (queue_.empty()) return default_;
    FakeReply r = std::move(queue_.front());
    queue_.pop_front();
    return r;
  }

  asio::awaitable<bool> handle(tcp::socket& socket, bhttp::request<bhttp::string_body> req) {
    std::string target(req.target());
    if (target.starts_with("/_fake/")) co_return co_await control(socket, req);
    std::string path = target.substr(0, target.find('?'));
    if (path.ends_with("/v1/messages/count_tokens") && req.method() == bhttp::verb::post)
      co_return co_await countTokens(socket, req);
    if (req.method() == bhttp::verb::get) {
      if (auto list = modelList(path)) co_return co_await write(socket, wholeResponse(200, "application/json", *list));
    }
    auto bedrock_model = bedrockModelOfPath(path);
    if (bedrock_model || std::string_view(req[bhttp::field::authorization]).starts_with("AWS4-HMAC-SHA256")) {
      std::vector<std::pair<std::string, std::string>> headers;
      for (const auto& f : req) headers.emplace_back(f.name_string(), f.value());
      FakeAwsAccount account;
      {
        std::lock_guard lock(mu_);
        account = options_.aws;
      }
      if (auto refused = verifyAwsSignature(account, std::string(req.method_string()), target, headers, req.body())) {
        {
          std::lock_guard lock(mu_);
          ++rejected_signatures_;
        }
        std::vector<std::string> error_header{"x-amzn-ErrorType: " + refused->error_type};
        std::string refusal = wholeResponse(refused->status, "application/json", bedrockErrorBody(refused->message),
                                            error_header);
        co_return co_await write(socket, refusal);
      }
    }
    auto embedding = embeddingKindOf(path);
    auto kind = embedding ? embedding : kindOf(path);
    if (!kind || req.method() != bhttp::verb::post)
      co_return co_await write(socket, wholeResponse(404, "application/json", R"({"error":"not found"})"));
    ReceivedRequest received{std::string(req.method_string()), target, {}, req.body(), *kind, false};
    for (const auto& f : req) received.headers.emplace_back(f.name_string(), f.value());
    boost::system::error_code ec;
    auto body = bj::parse(req.body(), ec);
    const bj::object* o = ec ? nullptr : body.if_object();
    std::string model = "fake-model";
    if (o && o->contains("model") && (*o).at("model").is_string()) model = std::string(o->at("model").as_string());
    if (*kind == WireKind::kBedrock) {
      model = *bedrock_model;
      received.stream = path.ends_with("/converse-stream");
    } else if (*kind == WireKind::kGemini && !embedding) {
      auto at = path.find("/models/");
      if (at != std::string::npos) model = path.substr(at + 8, path.find(':', at) - at - 8);
      received.stream = path.find(":streamGenerateContent") != std::string::npos;
    } else if (o && !embedding) {
      const auto* s = o->if_contains("stream");
      received.stream = s ? s->is_bool() && s->as_bool() : *kind == WireKind::kOllama;
    }
    {
      std::lock_guard lock(mu_);
      received_.push_back(received);
    }
    FakeReply reply = next();
    {
      std::lock_guard lock(mu_);
      peak_waiting_ = std::max(peak_waiting_, ++waiting_);
    }
    co_await pause(reply.latency_ms >= 0 ? reply.latency_ms : options_.latency_ms);
    {
      std::lock_guard lock(mu_);
      --waiting_;
    }
    if (reply.hang) {
      co_await pause(3'600'000);
      co_return false;
    }
    if (embedding && reply.status == 200) {
      std::string out = reply.malformed ? R"({"data": [)" : renderEmbeddings(*kind, body, reply, model);
      co_return co_await write(socket, wholeResponse(200, "application/json", out));
    }
    co_return co_await answer(socket, *kind, received.stream, reply, model);
  }

  // The model lists of the kinds' list endpoints (not recorded as requests).
  static std::optional<std::string> modelList(const std::string& path) {
    if (path == "/v1/models")  // OpenAI's and Anthropic's
      return R"({"object":"list","data":[{"id":"gpt-4o-mini","object":"model"},)"
             R"({"id":"fake-large","object":"model","type":"model"}],"has_more":false})";
    if (path == "/v1beta/models")
      return R"({"models":[{"name":"models/gemini-2.0-flash","supportedGenerationMethods":["generateContent"]},)"
             R"({"name":"models/gemini-fake-pro","supportedGenerationMethods":["generateContent","countTokens"]},)"
             R"({"name":"models/text-embedding-004","supportedGenerationMethods":["embedContent"]}]})";
    if (path == "/api/tags") return kOllamaTags;
    return std::nullopt;
  }

  // Anthropic's count_tokens: {"input_tokens": the request body's size in
  // bytes}, or the next reply's error status.
  asio::awaitable<bool> countTokens(tcp::socket& socket, const bhttp::request<bhttp::string_body>& req) {
    ReceivedRequest received{"POST", std::string(req.target()), {}, req.body(), WireKind::kAnthropic, false};
    for (const auto& f : req) received.headers.emplace_back(f.name_string(), f.value());
    {
      std::lock_guard lock(mu_);
      received_.push_back(received);
    }
    FakeReply reply = next();
    if (reply.status != 200)
      co_return co_await write(socket,
                               wholeResponse(reply.status, "application/json",
                                             renderError(WireKind::kAnthropic, reply.status, reply.error_message)));
    std::string body = R"({"input_tokens":)" + std::to_string(req.body().size()) + "}";
    co_return co_await write(socket, wholeResponse(200, "application/json", body));
  }

  asio::awaitable<bool> answer(tcp::socket& socket, WireKind kind, bool stream, const FakeReply& reply,
                               const std::string& model) {
    if (reply.status != 200) {
      std::vector<std::string> extra;
      if (!reply.retry_after.empty()) extra.push_back("Retry-After: " + reply.retry_after);
      if (kind == WireKind::kBedrock)
        extra.push_back(
            "x-amzn-ErrorType: " + (reply.error_type.empty() ? bedrockErrorType(reply.status) : reply.error_type) +
            ":http://internal.amazon.com/coral/com.amazon.bedrock/");
      co_return co_await write(socket, wholeResponse(reply.status, "application/json",
                                                     renderError(kind, reply.status, reply.error_message), extra));
    }
    if (!stream) {
      std::string body = reply.malformed ? R"({"id": "broken", "choices": [)" : renderWhole(kind, reply, model);
      co_return co_await write(socket, wholeResponse(200, "application/json", body));
    }
    auto frames = renderStream(kind, reply, model);
    std::string head = statusLine(200) + "Content-Type: " + streamContentType(kind) +
                       "\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n";
    if (!co_await write(socket, head)) co_return false;
    std::size_t cut_at = frames.size() / 2;
    for (std::size_t i = 0; i < frames.size(); ++i) {
      if (i > 0) co_await pause(reply.chunk_delay_ms);
      if (reply.cut_stream && i == cut_at) {
        const auto& f = frames[i];
        char size[32];
        std::snprintf(size, sizeof size, "%zx\r\n", f.size());
        co_await write(socket, std::string(size) + f.substr(0, f.size() / 2));
        co_return false;
      }
      if (reply.malformed && i == cut_at && kind == WireKind::kBedrock) {
        std::string bad = frames[i];
        bad[bad.size() - 1] = static_cast<char>(bad[bad.size() - 1] ^ 0x5a);  // the message CRC no longer matches
        if (!co_await write(socket, chunk(bad))) co_return false;
        continue;
      }
      if (reply.malformed && i == cut_at) {
        std::string bad = kind == WireKind::kOllama ? "{\"message\": {\"content\": \n" : "data: {\"choices\": [\n\n";
        if (!co_await write(socket, chunk(bad))) co_return false;
        continue;
      }
      if (reply.error_after_200 && i == cut_at) {
        std::string error_frame = kind == WireKind::kBedrock && !reply.error_type.empty()
                                      ? bedrockStreamException(reply.error_type, reply.error_message)
                                      : renderStreamError(kind, reply.error_message);
        co_await write(socket, chunk(error_frame) + chunk(""));
        co_return true;
      }
      if (!co_await write(socket, chunk(frames[i]))) {
        std::lock_guard lock(mu_);
        ++aborted_streams_;
        co_return false;
      }
    }
    co_return co_await write(socket, chunk(""));
  }

  FakeUpstreamOptions options_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
  std::once_flag stopped_;
  int port_ = 0;
  mutable std::mutex mu_;
  std::deque<FakeReply> queue_;            // guarded by mu_
  FakeReply default_;                      // guarded by mu_
  std::vector<ReceivedRequest> received_;  // guarded by mu_
  std::size_t aborted_streams_ = 0;        // guarded by mu_: streams whose reader went away
  std::size_t waiting_ = 0;                // guarded by mu_: requests in their latency now
  std::size_t peak_waiting_ = 0;           // guarded by mu_: the most at once
  std::size_t rejected_signatures_ = 0;    // guarded by mu_
};

FakeUpstream::FakeUpstream(FakeUpstreamOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
FakeUpstream::~FakeUpstream() { stop(); }
core::Status FakeUpstream::start() { return impl_->start(); }
void FakeUpstream::stop() { impl_->stop(); }
int FakeUpstream::port() const { return impl_->port(); }
std::string FakeUpstream::baseUrl() const { return "http://127.0.0.1:" + std::to_string(port()); }
void FakeUpstream::enqueue(FakeReply reply) { impl_->enqueue(std::move(reply)); }
void FakeUpstream::setDefault(FakeReply reply) { impl_->setDefault(std::move(reply)); }
std::vector<ReceivedRequest> FakeUpstream::requests() const { return impl_->requests(); }
void FakeUpstream::reset() { impl_->reset(); }
std::size_t FakeUpstream::peakConcurrent() const { return impl_->peakConcurrent(); }
void FakeUpstream::setAwsAccount(FakeAwsAccount account) { impl_->setAwsAccount(std::move(account)); }
std::size_t FakeUpstream::rejectedSignatures() const { return impl_->rejectedSignatures(); }

}  // namespace codecrew::testing
