// StreamChannel: the queue between a streamed response's writer (a handler,
// on any thread) and the connection that sends it (on the connection's
// strand). The writer side is exposed to handlers as a ResponseStream
// (ChunkedResponseStream, below); the connection drains the queue with
// take() and reports progress with sent(). The channel never touches a
// socket: it asks its StreamSink to wake the connection, to abort it (buffer
// overflow) and to run close callbacks. Internal to http/.
// Thread-safety: every method may be called from any thread.
#pragma once

#include "http/router.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace codecrew::http {

class StreamChannel;

// What a channel needs from the connection that owns it.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  // New data, end or close: the connection should look at the channel again.
  // Writes wake only when they make the queue non-empty (the connection
  // takes the whole queue at once).
  virtual void wake() = 0;
  // The buffer overflowed: close the connection at once (even mid-write).
  virtual void abort(const StreamChannel* channel) = 0;
  // Runs a close callback off the I/O threads (on the blocking pool).
  virtual void runCallback(std::function<void()> fn) = 0;
};

struct StreamHead {
  int status = 200;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
};

// What the connection takes from the channel in one go.
struct StreamBatch {
  std::optional<StreamHead> head;  // once, the first take() after begin()
  std::deque<std::string> chunks;  // in write order
  bool ended = false;              // end() was called (or the writer went away)
  bool abandoned = false;          // the writer went away without end()
  bool failed = false;             // the handler threw before anything was taken
  bool closed = false;             // closed for another reason: stop sending
  std::uint16_t close_code = 0;    // with ended: the WebSocket close code endWithClose gave (0: normal)
  std::string close_reason;        // and its reason
};

class StreamChannel {
 public:
  StreamChannel(std::size_t buffer_limit, std::shared_ptr<StreamSink> sink);

  // Writer side; see ResponseStream for the contracts.
  void begin(StreamHead head);
  bool write(std::string chunk);
  void end();
  // end() for a WebSocket, with the close code and reason its close frame
  // carries (the reason cut to the 123 bytes a close frame has room for).
  void endWithClose(std::uint16_t code, std::string reason);
  bool closed() const;
  void onClose(std::function<void()> fn);
  void onDisconnect(std::function<void()> fn);
  std::size_t bufferedBytes() const;
  // The writer dropped its last handle: ends the stream if it was not ended.
  void abandon();
  // The handler threw: if nothing was taken yet, take() reports `failed` (the
  // connection answers 500); otherwise the connection is aborted.
  void fail();

  // Connection side.
  StreamBatch take();
  // Takes the queued chunks alone, when that is all there is to take (the
  // head was taken; not ended, closed or failed); false (nothing taken)
  // otherwise, and then take() has what the connection must see.
  bool takeChunks(std::deque<std::string>& chunks);
  // `bytes` of taken chunks have been written to the socket.
  void sent(std::size_t bytes);
  // The client went away, the server is stopping, or the handler failed:
  // later writes fail and close callbacks run.
  void close();
  // The connection is done with this channel: it will not be woken again.
  void detach();

 private:
  // What closing hands back to run once mu_ is released: close callbacks
  // (for the sink's pool) and disconnect callbacks (to run in place).
  struct Callbacks {
    std::vector<std::function<void()>> on_close;
    std::vector<std::function<void()>> on_disconnect;
  };
  // Marks the channel closed; returns the callbacks to run. Needs mu_.
  Callbacks closeLocked();
  void runCallbacks(Callbacks callbacks, const std::shared_ptr<StreamSink>& sink);
  void wakeSink();

  const std::size_t buffer_limit_;
  mutable std::mutex mu_;
  std::shared_ptr<StreamSink> sink_;                  // guarded by mu_; null once detached
  std::optional<StreamHead> head_;                    // guarded by mu_
  bool begun_ = false;                                // guarded by mu_
  bool head_taken_ = false;                           // guarded by mu_
  std::deque<std::string> queue_;                     // guarded by mu_
  std::size_t buffered_ = 0;                          // guarded by mu_: queued plus being written
  bool ended_ = false;                                // guarded by mu_
  bool abandoned_ = false;                            // guarded by mu_
  bool failed_ = false;                               // guarded by mu_
  bool closed_ = false;                               // guarded by mu_
  bool disconnected_ = false;                         // guarded by mu_: closed before end()
  std::uint16_t close_code_ = 0;                      // guarded by mu_
  std::string close_reason_;                          // guarded by mu_
  std::vector<std::function<void()>> on_close_;       // guarded by mu_
  std::vector<std::function<void()>> on_disconnect_;  // guarded by mu_; dropped by end()
};

// The ResponseStream a StreamHandler receives. Dropping the last reference
// without end() ends the stream (or, before begin(), makes it a 500).
class ChunkedResponseStream final : public ResponseStream {
 public:
  explicit ChunkedResponseStream(std::shared_ptr<StreamChannel> channel) : channel_(std::move(channel)) {}
  ~ChunkedResponseStream() override { channel_->abandon(); }
  ChunkedResponseStream(const ChunkedResponseStream&) = delete;
  ChunkedResponseStream& operator=(const ChunkedResponseStream&) = delete;

  void begin(int status, const std::string& content_type,
             const std::vector<std::pair<std::string, std::string>>& headers = {}) override {
    channel_->begin(StreamHead{status, content_type, headers});
  }
  bool write(std::string chunk) override { return channel_->write(std::move(chunk)); }
  void end() override { channel_->end(); }
  bool closed() const override { return channel_->closed(); }
  void onClose(std::function<void()> fn) override { channel_->onClose(std::move(fn)); }
  void onDisconnect(std::function<void()> fn) override { channel_->onDisconnect(std::move(fn)); }
  std::size_t bufferedBytes() const override { return channel_->bufferedBytes(); }

 private:
  std::shared_ptr<StreamChannel> channel_;
};

}  // namespace codecrew::http
