#include "http/stream_channel.h"

#include <stdexcept>

namespace codecrew::http {

StreamChannel::StreamChannel(std::size_t buffer_limit, std::shared_ptr<StreamSink> sink)
    : buffer_limit_(buffer_limit), sink_(std::move(sink)) {}

void StreamChannel::begin(StreamHead head) {
  {
    std::lock_guard lock(mu_);
    if (begun_) throw std::logic_error("ResponseStream::begin called twice");
    begun_ = true;
    if (closed_ || ended_) return;
    head_ = std::move(head);
  }
  wakeSink();
}

bool StreamChannel::write(std::string chunk) {
  std::shared_ptr<StreamSink> sink;
  Callbacks callbacks;
  bool overflow = false;
  bool was_empty = false;
  {
    std::lock_guard lock(mu_);
    if (!begun_) throw std::logic_error("ResponseStream::write called before begin");
    if (closed_ || ended_) return false;
    if (chunk.empty()) return true;  // an empty chunk would end a chunked body
    sink = sink_;
    was_empty = queue_.empty();
    overflow = buffered_ + chunk.size() > buffer_limit_;
    if (overflow) {
      callbacks = closeLocked();
    } else {
      buffered_ += chunk.size();
      queue_.push_back(std::move(chunk));
    }
  }
  if (overflow) {
    if (sink) sink->abort(this);
    runCallbacks(std::move(callbacks), sink);
    return false;
  }
  // Only the write that makes the queue non-empty wakes the connection: it
  // takes the whole queue at once, so later writes ride on that wake.
  if (sink && was_empty) sink->wake();
  return true;
}

void StreamChannel::end() {
  std::shared_ptr<StreamSink> sink;
  Callbacks callbacks;
  {
    std::lock_guard lock(mu_);
    if (closed_ || ended_) return;
    if (!begun_) {
      begun_ = true;
      head_ = StreamHead{200, "text/plain; charset=utf-8", {}};
    }
    ended_ = true;
    callbacks.on_close = std::move(on_close_);
    on_close_.clear();
    on_disconnect_.clear();
    sink = sink_;
  }
  if (sink) sink->wake();
  runCallbacks(std::move(callbacks), sink);
}

void StreamChannel::endWithClose(std::uint16_t code, std::string reason) {
  constexpr std::size_t kMaxCloseReason = 123;
  if (reason.size() > kMaxCloseReason) reason.resize(kMaxCloseReason);
  {
    std::lock_guard lock(mu_);
    if (closed_ || ended_) return;
    close_code_ = code;
    close_reason_ = std::move(reason);
  }
  end();
}

void StreamChannel::abandon() {
  std::shared_ptr<StreamSink> sink;
  Callbacks callbacks;
  {
    std::lock_guard lock(mu_);
    if (closed_ || ended_) return;
    ended_ = true;
    abandoned_ = true;
    callbacks.on_close = std::move(on_close_);
    on_close_.clear();
    on_disconnect_.clear();
    sink = sink_;
  }
  if (sink) sink->wake();
  runCallbacks(std::move(callbacks), sink);
}

void StreamChannel::fail() {
  std::shared_ptr<StreamSink> sink;
  Callbacks callbacks;
  bool taken = false;
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    sink = sink_;
    taken = head_taken_;
    if (taken) {
      callbacks = closeLocked();
    } else {
      failed_ = true;
      ended_ = true;
      queue_.clear();
      callbacks.on_close = std::move(on_close_);
      on_close_.clear();
      callbacks.on_disconnect = std::move(on_disconnect_);
      on_disconnect_.clear();
      disconnected_ = true;
    }
  }
  if (sink) {
    if (taken) {
      sink->abort(this);
    } else {
      sink->wake();
    }
  }
  runCallbacks(std::move(callbacks), sink);
}

bool StreamChannel::closed() const {
  std::lock_guard lock(mu_);
  return closed_ || ended_;
}

void StreamChannel::onDisconnect(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    if (!closed_ && !ended_) {
      on_disconnect_.push_back(std::move(fn));
      return;
    }
    if (!disconnected_) return;  // it ended: nothing to do on a disconnect
  }
  fn();
}

void StreamChannel::onClose(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    if (!closed_ && !ended_) {
      on_close_.push_back(std::move(fn));
      return;
    }
  }
  fn();
}

std::size_t StreamChannel::bufferedBytes() const {
  std::lock_guard lock(mu_);
  return buffered_;
}

StreamBatch StreamChannel::take() {
  std::lock_guard lock(mu_);
  StreamBatch batch;
  batch.closed = closed_;
  batch.failed = failed_;
  if (closed_ || failed_) return batch;
  if (head_ && !head_taken_) {
    batch.head = head_;
    head_taken_ = true;
  }
  batch.chunks.swap(queue_);
  batch.ended = ended_;
  batch.abandoned = abandoned_;
  if (ended_) {
    batch.close_code = close_code_;
    batch.close_reason = close_reason_;
  }
  return batch;
}

bool StreamChannel::takeChunks(std::deque<std::string>& chunks) {
  std::lock_guard lock(mu_);
  if (closed_ || failed_ || ended_ || !head_taken_) return false;
  chunks.swap(queue_);
  return true;
}

void StreamChannel::sent(std::size_t bytes) {
  std::lock_guard lock(mu_);
  buffered_ = bytes > buffered_ ? 0 : buffered_ - bytes;
}

void StreamChannel::close() {
  std::shared_ptr<StreamSink> sink;
  Callbacks callbacks;
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    callbacks = closeLocked();
    sink = sink_;
  }
  if (sink) sink->wake();
  runCallbacks(std::move(callbacks), sink);
}

void StreamChannel::detach() {
  std::shared_ptr<StreamSink> sink;
  Callbacks callbacks;
  {
    std::lock_guard lock(mu_);
    if (!closed_) callbacks = closeLocked();
    sink.swap(sink_);
  }
  runCallbacks(std::move(callbacks), sink);
}

StreamChannel::Callbacks StreamChannel::closeLocked() {
  closed_ = true;
  queue_.clear();
  buffered_ = 0;
  Callbacks callbacks{std::move(on_close_), std::move(on_disconnect_)};
  on_close_.clear();
  on_disconnect_.clear();
  if (!ended_) disconnected_ = true;
  return callbacks;
}

void StreamChannel::runCallbacks(Callbacks callbacks, const std::shared_ptr<StreamSink>& sink) {
  for (auto& fn : callbacks.on_disconnect) fn();
  for (auto& fn : callbacks.on_close) {
    if (sink) {
      sink->runCallback(std::move(fn));
    } else {
      fn();
    }
  }
}

void StreamChannel::wakeSink() {
  std::shared_ptr<StreamSink> sink;
  {
    std::lock_guard lock(mu_);
    sink = sink_;
  }
  if (sink) sink->wake();
}

}  // namespace codecrew::http
