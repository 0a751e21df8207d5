// ChannelWebSocket: the WebSocket a WebSocket route's handler receives. Its
// outgoing messages go through a StreamChannel (one chunk per message), so
// they share the streamed responses' bounded buffer and drop rule; the
// connection sends them as text frames. Internal to http/.
// Thread-safety: every method may be called from any thread.
#pragma once

#include "http/stream_channel.h"
#include "http/websocket.h"

#include <memory>
#include <utility>

namespace codecrew::http {

class ChannelWebSocket final : public WebSocket {
 public:
  // The channel must have begun (the connection owns the handshake).
  explicit ChannelWebSocket(std::shared_ptr<StreamChannel> channel) : channel_(std::move(channel)) {}
  ~ChannelWebSocket() override { channel_->abandon(); }
  ChannelWebSocket(const ChannelWebSocket&) = delete;
  ChannelWebSocket& operator=(const ChannelWebSocket&) = delete;

  bool send(std::string text) override { return channel_->write(std::move(text)); }
  void close() override { channel_->end(); }
  void closeWithReason(std::uint16_t code, std::string reason) override {
    channel_->endWithClose(code, std::move(reason));
  }
  bool closed() const override { return channel_->closed(); }
  void onClose(std::function<void()> fn) override { channel_->onClose(std::move(fn)); }
  std::size_t bufferedBytes() const override { return channel_->bufferedBytes(); }

 private:
  std::shared_ptr<StreamChannel> channel_;
};

}  // namespace codecrew::http
