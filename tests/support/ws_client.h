// WsClient: a small blocking WebSocket client for tests, to 127.0.0.1, with
// a timeout on every operation so a broken server fails a test instead of
// hanging it. Transport failures throw std::runtime_error.
// Thread-safety: one client per thread.
#pragma once

#include "support/http_client.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace codecrew::testing {

class WsClient {
 public:
  struct Handshake {
    int status = 0;  // 101 when upgraded, else the refusing response's status
    std::string body;
  };

  explicit WsClient(int port);
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // Sends the upgrade request for target with the extra headers.
  Handshake connect(const std::string& target, const HeaderList& headers = {});
  // Sends one text message.
  void send(const std::string& text);
  // The next text message; nullopt on timeout or when the socket closed.
  std::optional<std::string> read(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // True once the server closed the socket.
  bool closed() const;
  // The code and reason of the server's close frame (0 and "" before one came).
  int closeCode() const;
  std::string closeReason() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace codecrew::testing
