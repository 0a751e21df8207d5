// ServerFixture: a real http::Server on 127.0.0.1, port 0, serving a Router
// the test fills in, plus an HttpClient to talk to it (and RawConnection for
// raw bytes). For the server tests.
// Thread-safety: used from the test's thread (handlers run on the server's).
#pragma once

#include "http/server.h"
#include "support/http_client.h"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <sys/socket.h>
#include <sys/time.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace codecrew::http {

// A plain blocking TCP connection, for bytes no HTTP client would send
// (pipelined requests, bodies split across writes). Reads give up after 10 s.
class RawConnection {
 public:
  explicit RawConnection(unsigned short port) : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    timeval timeout{10, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  void send(std::string_view bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes.data(), bytes.size())); }
  // Reads until `marker` has arrived (or the peer closes, or 10 s pass); returns all read so far.
  std::string readUntil(std::string_view marker) {
    char buf[4096];
    boost::system::error_code ec;
    while (read_.find(marker) == std::string::npos && !ec)
      read_.append(buf, socket_.read_some(boost::asio::buffer(buf), ec));
    return std::exchange(read_, {});
  }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  std::string read_;
};

class ServerFixture : public ::testing::Test {
 protected:
  // Starts the server with the routes added to router_ so far.
  void startServer() {
    options_.host = "127.0.0.1";
    options_.port = 0;
    if (options_.io_threads == 0) options_.io_threads = 2;
    if (options_.blocking_threads == 0) options_.blocking_threads = 4;
    server_ = std::make_unique<Server>(options_, router_);
    auto status = server_->start();
    ASSERT_TRUE(status.ok()) << status.error().message;
    ASSERT_GT(server_->port(), 0);
    client_ = std::make_unique<testing::HttpClient>("127.0.0.1", server_->port());
  }

  std::unique_ptr<testing::HttpClient> newClient() const {
    return std::make_unique<testing::HttpClient>("127.0.0.1", server_->port());
  }

  void TearDown() override {
    client_.reset();
    if (server_) server_->stop();
  }

  ServerOptions options_;
  std::shared_ptr<Router> router_ = std::make_shared<Router>();
  std::unique_ptr<Server> server_;
  std::unique_ptr<testing::HttpClient> client_;
};

}  // namespace codecrew::http
