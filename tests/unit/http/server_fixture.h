// ServerFixture: a real http::Server on 127.0.0.1, port 0, serving a Router
// the test fills in, plus an HttpClient to talk to it. For the server tests.
// Thread-safety: used from the test's thread (handlers run on the server's).
#pragma once

#include "http/server.h"
#include "support/http_client.h"

#include <gtest/gtest.h>

#include <memory>

namespace codecrew::http {

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
