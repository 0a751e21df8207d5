#include "server_fixture.h"

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace codecrew::http {
namespace {

using namespace std::chrono_literals;
using Read = testing::HttpStreamReader::Read;

// Hands the stream of the last streamed request to the test thread.
class StreamSlot {
 public:
  void put(std::shared_ptr<ResponseStream> s) {
    std::lock_guard lock(mu_);
    promise_.set_value(std::move(s));
  }
  std::shared_ptr<ResponseStream> get() {
    auto f = promise_.get_future();
    if (f.wait_for(10s) != std::future_status::ready) throw std::runtime_error("no stream arrived");
    return f.get();
  }

 private:
  std::mutex mu_;
  std::promise<std::shared_ptr<ResponseStream>> promise_;
};

class ServerStreamTest : public ServerFixture {
 protected:
  void SetUp() override {
    router_->addStream("GET", "/events", [this](Request&, std::shared_ptr<ResponseStream> s) {
      s->begin(200, "text/event-stream", {{"Cache-Control", "no-cache"}});
      slot_.put(std::move(s));
    });
    router_->addStream("GET", "/inline", [this](Request&, std::shared_ptr<ResponseStream> s) {
      // Writes while the handler still runs: each chunk must reach the client
      // before the handler goes on.
      s->begin(200, "text/plain");
      s->write("first");
      if (first_seen_.get_future().wait_for(10s) != std::future_status::ready) return;
      s->write("second");
      s->end();
    });
    router_->addStream("GET", "/throws",
                       [](Request&, std::shared_ptr<ResponseStream>) { throw std::runtime_error("stream boom"); });
    router_->addStream("GET", "/abandons", [](Request&, std::shared_ptr<ResponseStream>) {});
    router_->add("GET", "/plain", [](Request&) { return Response::text(200, "plain"); });
  }

  StreamSlot slot_;
  std::promise<void> first_seen_;
};

TEST_F(ServerStreamTest, ChunksArriveOneByOneAndTheConnectionIsReused) {
  startServer();
  auto reader = client_->stream("GET", "/events", "", {{"X-Request-Id", "sse-1"}});
  EXPECT_EQ(reader.status(), 200);
  EXPECT_EQ(reader.headers().at("Content-Type"), "text/event-stream");
  EXPECT_EQ(reader.headers().at("X-Request-Id"), "sse-1");
  EXPECT_EQ(reader.headers().at("Cache-Control"), "no-cache");
  auto stream = slot_.get();
  std::string chunk;
  for (int i = 0; i < 3; ++i) {
    std::string event = "data: " + std::to_string(i) + "\n\n";
    ASSERT_TRUE(stream->write(event));
    ASSERT_EQ(reader.readChunk(chunk, 10s), Read::kData);
    EXPECT_EQ(chunk, event);
  }
  EXPECT_EQ(reader.readChunk(chunk, 50ms), Read::kTimeout);  // nothing more yet
  stream->end();
  EXPECT_EQ(reader.readChunk(chunk, 10s), Read::kEnd);
  EXPECT_TRUE(stream->closed());
  EXPECT_FALSE(stream->write("late"));
  EXPECT_EQ(client_->request("GET", "/plain").body, "plain");
  EXPECT_EQ(client_->connects(), 1);
}

TEST_F(ServerStreamTest, WritesFromARunningHandlerAreFlushedAtOnce) {
  startServer();
  auto reader = client_->stream("GET", "/inline");
  std::string chunk;
  ASSERT_EQ(reader.readChunk(chunk, 10s), Read::kData);
  EXPECT_EQ(chunk, "first");
  first_seen_.set_value();
  ASSERT_EQ(reader.readChunk(chunk, 10s), Read::kData);
  EXPECT_EQ(chunk, "second");
  EXPECT_EQ(reader.readChunk(chunk, 10s), Read::kEnd);
}

TEST_F(ServerStreamTest, ReadLineSpansChunks) {
  startServer();
  auto reader = client_->stream("GET", "/events");
  auto stream = slot_.get();
  ASSERT_TRUE(stream->write("event: a\nda"));
  ASSERT_TRUE(stream->write("ta: 1\n\n"));
  EXPECT_EQ(reader.readLine(10s), "event: a");
  EXPECT_EQ(reader.readLine(10s), "data: 1");
  EXPECT_EQ(reader.readLine(10s), "");
  stream->end();
  EXPECT_EQ(reader.readLine(10s), std::nullopt);
  EXPECT_TRUE(reader.ended());
}

TEST_F(ServerStreamTest, ClientDisconnectIsObserved) {
  startServer();
  auto reader = client_->stream("GET", "/events");
  auto stream = slot_.get();
  std::promise<void> closed;
  stream->onClose([&] { closed.set_value(); });
  ASSERT_FALSE(stream->closed());
  reader.close();
  ASSERT_EQ(closed.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(stream->closed());
  EXPECT_FALSE(stream->write("data: gone\n\n"));
}

TEST_F(ServerStreamTest, APipelinedRequestIsNotTakenForADisconnect) {
  // The disconnect watch wakes when the socket turns readable; bytes waiting
  // there are the client's next request, not its going away.
  startServer();
  RawConnection raw(server_->port());
  raw.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\nGET /plain HTTP/1.1\r\nHost: t\r\n\r\n");
  auto stream = slot_.get();
  std::this_thread::sleep_for(200ms);  // time for the watch to look at the waiting bytes
  EXPECT_FALSE(stream->closed());
  EXPECT_TRUE(stream->write("data: one\n\n"));
  stream->end();
  std::string got = raw.readUntil("\r\n\r\nplain");
  EXPECT_NE(got.find("data: one"), std::string::npos) << got;
  EXPECT_NE(got.find("\r\n\r\nplain"), std::string::npos) << got;
}

TEST_F(ServerStreamTest, OverflowClosesAStalledReaderWithoutBlockingTheWriter) {
  options_.stream_buffer_limit = 64 * 1024;
  startServer();
  auto reader = client_->stream("GET", "/events");
  auto stream = slot_.get();
  std::promise<void> closed;
  stream->onClose([&] { closed.set_value(); });
  const std::string chunk(16 * 1024, 'z');
  // Phase 1: the reader reads nothing, so once the socket buffers are full
  // the queued bytes stop draining.
  bool stalled = false;
  for (int i = 0; i < 4000 && !stalled; ++i) {
    ASSERT_TRUE(stream->write(chunk));
    auto deadline = std::chrono::steady_clock::now() + 500ms;
    while (stream->bufferedBytes() > 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
    stalled = stream->bufferedBytes() > 0;
  }
  ASSERT_TRUE(stalled);
  // Phase 2: unsent bytes pile up to the limit and the write is refused
  // instead of waiting for the reader.
  bool refused = false;
  for (int i = 0; i < 100 && !refused; ++i) refused = !stream->write(chunk);
  EXPECT_TRUE(refused);
  EXPECT_TRUE(stream->closed());
  EXPECT_EQ(closed.get_future().wait_for(10s), std::future_status::ready);
  std::string data;
  Read last = Read::kData;
  while (last == Read::kData) last = reader.readChunk(data, 10s);
  EXPECT_EQ(last, Read::kClosed);
}

TEST_F(ServerStreamTest, WritesPastWhatTheSocketTakesArriveWholeAndInOrder) {
  // Written from another thread while the reader waits: the socket takes
  // part of a chunk, the rest goes out after it, before later chunks.
  startServer();
  auto reader = client_->stream("GET", "/events");
  auto stream = slot_.get();
  std::string expected;
  for (int i = 0; i < 30; ++i) {
    std::string chunk(64 * 1024, static_cast<char>('a' + i % 26));
    chunk += std::to_string(i);
    expected += chunk;
    ASSERT_TRUE(stream->write(std::move(chunk)));
  }
  std::this_thread::sleep_for(100ms);  // the socket buffers fill while nothing is read
  std::string got, data;
  while (got.size() < expected.size() && reader.readChunk(data, 10s) == Read::kData) got += data;
  EXPECT_EQ(got.size(), expected.size());
  EXPECT_TRUE(got == expected);
  ASSERT_TRUE(stream->write("data: after\n\n"));
  ASSERT_EQ(reader.readChunk(data, 10s), Read::kData);
  EXPECT_EQ(data, "data: after\n\n");
  stream->end();
  EXPECT_EQ(reader.readChunk(data, 10s), Read::kEnd);
}

TEST_F(ServerStreamTest, HandlerExceptionBeforeAnyOutputIsA500) {
  startServer();
  auto r = client_->request("GET", "/throws", "", {{"X-Request-Id", "sb-1"}});
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.json().at("error").at("message"), "internal error (request id sb-1)");
  EXPECT_EQ(client_->request("GET", "/plain").status, 200);
  EXPECT_EQ(client_->connects(), 1);
}

TEST_F(ServerStreamTest, HandlerThatNeverBeginsIsA500) {
  startServer();
  EXPECT_EQ(client_->request("GET", "/abandons").status, 500);
}

TEST_F(ServerStreamTest, StopClosesOpenStreams) {
  startServer();
  auto reader = client_->stream("GET", "/events");
  auto stream = slot_.get();
  std::promise<void> closed;
  stream->onClose([&] { closed.set_value(); });
  server_->stop();
  EXPECT_EQ(closed.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(stream->closed());
  std::string data;
  EXPECT_EQ(reader.readChunk(data, 10s), Read::kClosed);
}

}  // namespace
}  // namespace codecrew::http
