#include "support/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

#include <deque>
#include <functional>
#include <stdexcept>

namespace codecrew::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

template <typename Message>
HttpHeaders headersOf(const Message& msg) {
  HttpHeaders out;
  for (const auto& field : msg) {
    auto [it, inserted] = out.emplace(std::string(field.name_string()), std::string(field.value()));
    if (!inserted) it->second += ", " + std::string(field.value());
  }
  return out;
}

bool peerClosed(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == bhttp::error::partial_message;
}

}  // namespace

boost::json::value HttpResult::json() const { return boost::json::parse(body); }

std::string HttpResult::header(std::string_view name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

struct HttpClient::Connection {
  std::string host;
  int port = 0;
  asio::io_context io;
  tcp::socket socket{io};
  beast::flat_buffer buffer;
  int connects = 0;
  std::chrono::milliseconds timeout{10000};

  void open() {
    closeSocket();
    tcp::resolver resolver(io);
    asio::connect(socket, resolver.resolve(host, std::to_string(port)));
    socket.set_option(tcp::no_delay(true));
    buffer.clear();
    ++connects;
  }

  void closeSocket() {
    beast::error_code ec;
    socket.shutdown(tcp::socket::shutdown_both, ec);
    socket.close(ec);
  }

  // Runs one asynchronous operation to completion or until `limit` passes
  // (then cancels it and reports timed_out).
  template <typename Start>
  beast::error_code run(Start&& start, std::chrono::milliseconds limit) {
    beast::error_code result;
    bool done = false;
    start([&](beast::error_code ec, std::size_t) {
      result = ec;
      done = true;
    });
    io.restart();
    io.run_for(limit);
    if (done) return result;
    beast::error_code ignored;
    socket.cancel(ignored);
    io.restart();
    io.run();
    return asio::error::timed_out;
  }

  beast::error_code writeBytes(std::string_view bytes) {
    return run([&](auto handler) { asio::async_write(socket, asio::buffer(bytes.data(), bytes.size()), handler); },
               timeout);
  }

  template <typename Message>
  beast::error_code writeMessage(Message& msg) {
    return run([&](auto handler) { bhttp::async_write(socket, msg, handler); }, timeout);
  }

  beast::error_code readResponse(bhttp::response_parser<bhttp::string_body>& parser) {
    return run([&](auto handler) { bhttp::async_read(socket, buffer, parser, handler); }, timeout);
  }

  HttpResult finish(bhttp::response_parser<bhttp::string_body>& parser) {
    auto& res = parser.get();
    HttpResult out{static_cast<int>(res.result_int()), headersOf(res), std::move(res.body())};
    if (!res.keep_alive()) closeSocket();
    return out;
  }
};

HttpClient::HttpClient(std::string host, int port) : connection_(std::make_shared<Connection>()) {
  connection_->host = std::move(host);
  connection_->port = port;
}

HttpClient::~HttpClient() = default;

namespace {

bhttp::request<bhttp::string_body> makeRequest(const std::string& host, std::string_view method,
                                               std::string_view target, std::string body, const HeaderList& headers) {
  bhttp::request<bhttp::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(bhttp::field::host, host);
  req.set(bhttp::field::user_agent, "codecrew-test-client");
  bool has_type = false;
  for (const auto& [name, value] : headers) {
    if (beast::iequals(name, "Host")) {
      req.set(bhttp::field::host, value);  // a test's Host replaces the default one
      continue;
    }
    req.insert(name, value);
    has_type = has_type || beast::iequals(name, "Content-Type");
  }
  if (!body.empty() && !has_type) req.set(bhttp::field::content_type, "application/json");
  req.body() = std::move(body);
  req.keep_alive(true);
  req.prepare_payload();
  return req;
}

}  // namespace

HttpResult HttpClient::request(std::string_view method, std::string_view target, std::string body,
                               const HeaderList& headers) {
  auto& c = *connection_;
  auto req = makeRequest(c.host, method, target, std::move(body), headers);
  for (int attempt = 0;; ++attempt) {
    bool reused = c.socket.is_open();
    if (!reused) c.open();
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(boost::none);
    if (method == "HEAD") parser.skip(true);
    beast::error_code ec = c.writeMessage(req);
    if (!ec) ec = c.readResponse(parser);
    if (!ec) return c.finish(parser);
    c.closeSocket();
    // The server may have closed an idle keep-alive connection: retry once.
    if (reused && attempt == 0 && peerClosed(ec) && !parser.got_some()) continue;
    throw std::runtime_error("HTTP " + std::string(method) + " " + std::string(target) + " failed: " + ec.message());
  }
}

HttpResult HttpClient::sendRaw(std::string_view bytes) {
  auto& c = *connection_;
  if (!c.socket.is_open()) c.open();
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(boost::none);
  beast::error_code write_ec = c.writeBytes(bytes);
  // Read even if the write failed: the server may answer and close early.
  beast::error_code ec = c.readResponse(parser);
  if (ec) {
    c.closeSocket();
    throw std::runtime_error("raw request failed: write: " + write_ec.message() + ", read: " + ec.message());
  }
  return c.finish(parser);
}

int HttpClient::connects() const { return connection_->connects; }

void HttpClient::close() { connection_->closeSocket(); }

void HttpClient::setTimeout(std::chrono::milliseconds timeout) { connection_->timeout = timeout; }

struct HttpStreamReader::State {
  std::shared_ptr<HttpClient::Connection> connection;
  bhttp::response_parser<bhttp::string_body> parser;
  HttpHeaders headers;
  int status = 0;
  std::string partial;             // the chunk being received
  std::deque<std::string> chunks;  // complete chunks not yet returned
  std::string text;                // data for readLine not yet returned
  bool ended = false;
  bool failed = false;
  // The parser keeps a reference to the callback: it lives as long as the parser.
  std::function<std::size_t(std::uint64_t, std::string_view, beast::error_code&)> on_chunk =
      [this](std::uint64_t remain, std::string_view body, beast::error_code& ec) {
        partial.append(body);
        if (remain == body.size()) {
          chunks.push_back(std::move(partial));
          partial.clear();
          ec = bhttp::error::end_of_chunk;
        }
        return body.size();
      };

  State() {
    parser.body_limit(boost::none);
    parser.on_chunk_body(on_chunk);
  }

  // Reads more of the body; false on timeout or failure.
  bool readMore(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    auto& c = *connection;
    beast::error_code ec = c.run([&](auto handler) { bhttp::async_read_some(c.socket, c.buffer, parser, handler); },
                                 left);
    if (ec == asio::error::timed_out) return false;
    if (ec && ec != bhttp::error::end_of_chunk) {
      failed = true;
      c.closeSocket();
      return false;
    }
    if (parser.is_done()) {
      ended = true;
      if (!parser.chunked() && !parser.get().body().empty()) chunks.push_back(std::move(parser.get().body()));
      if (!parser.get().keep_alive()) c.closeSocket();
    }
    return true;
  }
};

HttpStreamReader HttpClient::stream(std::string_view method, std::string_view target, std::string body,
                                    const HeaderList& headers) {
  auto& c = *connection_;
  if (!c.socket.is_open()) c.open();
  auto req = makeRequest(c.host, method, target, std::move(body), headers);
  auto state = std::make_unique<HttpStreamReader::State>();
  state->connection = connection_;
  beast::error_code ec = c.writeMessage(req);
  if (!ec)
    ec = c.run([&](auto handler) { bhttp::async_read_header(c.socket, c.buffer, state->parser, handler); }, c.timeout);
  if (ec) {
    c.closeSocket();
    throw std::runtime_error("HTTP stream " + std::string(target) + " failed: " + ec.message());
  }
  state->status = static_cast<int>(state->parser.get().result_int());
  state->headers = headersOf(state->parser.get());
  if (state->parser.is_done()) state->ended = true;
  return HttpStreamReader(std::move(state));
}

HttpStreamReader::HttpStreamReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
HttpStreamReader::HttpStreamReader(HttpStreamReader&&) noexcept = default;
HttpStreamReader& HttpStreamReader::operator=(HttpStreamReader&&) noexcept = default;
HttpStreamReader::~HttpStreamReader() = default;

int HttpStreamReader::status() const { return state_->status; }
const HttpHeaders& HttpStreamReader::headers() const { return state_->headers; }
bool HttpStreamReader::ended() const { return state_->ended && state_->chunks.empty(); }

HttpStreamReader::Read HttpStreamReader::readChunk(std::string& out, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (state_->chunks.empty()) {
    if (state_->ended) return Read::kEnd;
    if (state_->failed) return Read::kClosed;
    if (!state_->readMore(deadline) && state_->chunks.empty())
      return state_->failed ? Read::kClosed : (state_->ended ? Read::kEnd : Read::kTimeout);
  }
  out = std::move(state_->chunks.front());
  state_->chunks.pop_front();
  return Read::kData;
}

std::optional<std::string> HttpStreamReader::readLine(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    auto newline = state_->text.find('\n');
    if (newline != std::string::npos) {
      std::string line = state_->text.substr(0, newline);
      state_->text.erase(0, newline + 1);
      return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    std::string chunk;
    if (left.count() <= 0 || readChunk(chunk, left) != Read::kData) return std::nullopt;
    state_->text += chunk;
  }
}

std::string HttpStreamReader::readAll(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  std::string all = std::move(state_->text);
  state_->text.clear();
  std::string chunk;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0 || readChunk(chunk, left) != Read::kData) return all;
    all += chunk;
  }
}

void HttpStreamReader::close() {
  state_->connection->closeSocket();
  state_->failed = true;
}

}  // namespace codecrew::testing
