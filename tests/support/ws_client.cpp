#include "support/ws_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>

#include <stdexcept>

namespace codecrew::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
constexpr auto kTimeout = std::chrono::seconds(10);

}  // namespace

struct WsClient::State {
  int port = 0;
  asio::io_context io;
  websocket::stream<beast::tcp_stream> ws{io};
  beast::flat_buffer buffer;
  bool reading = false;
  bool read_done = false;
  beast::error_code read_ec;
  bool closed = false;

  // Runs the io_context until done() or the deadline.
  template <typename Done>
  bool runUntil(Done done, std::chrono::steady_clock::time_point deadline) {
    io.restart();
    while (!done() && std::chrono::steady_clock::now() < deadline)
      io.run_one_for(deadline - std::chrono::steady_clock::now());
    return done();
  }
};

WsClient::WsClient(int port) : state_(std::make_unique<State>()) { state_->port = port; }
WsClient::~WsClient() = default;

WsClient::Handshake WsClient::connect(const std::string& target, const HeaderList& headers) {
  auto& s = *state_;
  s.ws.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(s.port)));
  s.ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
    for (const auto& [name, value] : headers) req.set(name, value);
  }));
  websocket::response_type res;
  bool done = false;
  beast::error_code ec;
  s.ws.async_handshake(res, "127.0.0.1", target, [&](beast::error_code e) {
    ec = e;
    done = true;
  });
  if (!s.runUntil([&] { return done; }, std::chrono::steady_clock::now() + kTimeout))
    throw std::runtime_error("websocket handshake timed out");
  if (ec && ec != websocket::error::upgrade_declined) throw std::runtime_error("handshake failed: " + ec.message());
  Handshake out{static_cast<int>(res.result_int()), res.body()};
  if (out.status != 101) s.closed = true;
  return out;
}

void WsClient::send(const std::string& text) {
  auto& s = *state_;
  bool done = false;
  beast::error_code ec;
  s.ws.text(true);
  s.ws.async_write(asio::buffer(text), [&](beast::error_code e, std::size_t) {
    ec = e;
    done = true;
  });
  if (!s.runUntil([&] { return done; }, std::chrono::steady_clock::now() + kTimeout))
    throw std::runtime_error("websocket write timed out");
  if (ec) throw std::runtime_error("websocket write failed: " + ec.message());
}

std::optional<std::string> WsClient::read(std::chrono::milliseconds timeout) {
  auto& s = *state_;
  if (s.closed) return std::nullopt;
  if (!s.reading) {
    s.reading = true;
    s.read_done = false;
    s.ws.async_read(s.buffer, [&s](beast::error_code e, std::size_t) {
      s.read_ec = e;
      s.read_done = true;
    });
  }
  if (!s.runUntil([&] { return s.read_done; }, std::chrono::steady_clock::now() + timeout)) return std::nullopt;
  s.reading = false;
  if (s.read_ec) {
    s.closed = true;
    return std::nullopt;
  }
  std::string text = beast::buffers_to_string(s.buffer.data());
  s.buffer.consume(s.buffer.size());
  return text;
}

bool WsClient::closed() const { return state_->closed; }
int WsClient::closeCode() const { return static_cast<int>(state_->ws.reason().code); }
std::string WsClient::closeReason() const { return std::string(state_->ws.reason().reason.c_str()); }

}  // namespace codecrew::testing
