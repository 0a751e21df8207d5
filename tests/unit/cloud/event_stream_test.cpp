#include "cloud/aws/event_stream.h"

#include <gtest/gtest.h>

namespace codecrew::cloud::aws {
namespace {

std::string fromHex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

EventStreamMessage sampleMessage() {
  EventStreamMessage m;
  m.headers = {{":event-type", EventStreamHeaderType::kString, "contentBlockDelta"},
               {":content-type", EventStreamHeaderType::kString, "application/json"},
               {":message-type", EventStreamHeaderType::kString, "event"}};
  m.payload = R"({"contentBlockIndex":0,"delta":{"text":"Hello"},"p":"abcd"})";
  return m;
}

std::vector<EventStreamMessage> decodeAll(std::string_view bytes, std::size_t piece, core::Status* finish = nullptr) {
  EventStreamDecoder decoder;
  std::vector<EventStreamMessage> out;
  for (std::size_t at = 0; at < bytes.size(); at += piece) {
    auto fed = decoder.feed(bytes.substr(at, piece), [&](EventStreamMessage m) {
      out.push_back(std::move(m));
      return core::okStatus();
    });
    EXPECT_TRUE(fed.ok()) << fed.error().message;
  }
  if (finish) *finish = decoder.finish();
  return out;
}

// A frame published with the aws-c-event-stream test vectors (as quoted in
// the README of emblica/aws-event-stream-parser-rs): one header
// content-type: application/json and the payload {'foo':'bar'}.
TEST(EventStream, DecodesAPublishedFrame) {
  auto bytes = fromHex(
      "0000003d0000002007fd83960c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e7b27666f6f273a27626172"
      "277d8d9c08b1");
  core::Status finish;
  auto messages = decodeAll(bytes, bytes.size(), &finish);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(finish.ok());
  EXPECT_EQ(messages[0].header("content-type"), "application/json");
  EXPECT_EQ(messages[0].payload, "{'foo':'bar'}");
  // And the encoder writes those very bytes.
  EventStreamMessage m;
  m.headers = {{"content-type", EventStreamHeaderType::kString, "application/json"}};
  m.payload = "{'foo':'bar'}";
  EXPECT_EQ(encodeEventStreamMessage(m), bytes);
}

TEST(EventStream, RoundTripsSplitAtEveryByteBoundary) {
  auto one = encodeEventStreamMessage(sampleMessage());
  auto two = one + encodeEventStreamMessage(EventStreamMessage{{}, ""});
  for (std::size_t split = 1; split < two.size(); ++split) {
    EventStreamDecoder decoder;
    std::vector<EventStreamMessage> got;
    auto sink = [&](EventStreamMessage m) {
      got.push_back(std::move(m));
      return core::okStatus();
    };
    ASSERT_TRUE(decoder.feed(std::string_view(two).substr(0, split), sink).ok());
    ASSERT_TRUE(decoder.feed(std::string_view(two).substr(split), sink).ok());
    ASSERT_TRUE(decoder.finish().ok());
    ASSERT_EQ(got.size(), 2u) << split;
    EXPECT_EQ(got[0].header(":event-type"), "contentBlockDelta");
    EXPECT_EQ(got[0].payload, sampleMessage().payload);
    EXPECT_TRUE(got[1].headers.empty());
    EXPECT_TRUE(got[1].payload.empty());
  }
  auto bytewise = decodeAll(two, 1);
  EXPECT_EQ(bytewise.size(), 2u);
}

TEST(EventStream, RejectsACorruptedPreludeCrc) {
  auto bytes = encodeEventStreamMessage(sampleMessage());
  bytes[9] = static_cast<char>(bytes[9] ^ 0x01);
  EventStreamDecoder decoder;
  auto fed = decoder.feed(bytes, [](EventStreamMessage) { return core::okStatus(); });
  ASSERT_FALSE(fed.ok());
  EXPECT_NE(fed.error().message.find("prelude CRC"), std::string::npos);
  EXPECT_FALSE(decoder.feed("more", [](EventStreamMessage) { return core::okStatus(); }).ok());
}

TEST(EventStream, RejectsACorruptedPayloadByTheMessageCrc) {
  auto bytes = encodeEventStreamMessage(sampleMessage());
  bytes[bytes.size() - 10] = static_cast<char>(bytes[bytes.size() - 10] ^ 0x20);
  EventStreamDecoder decoder;
  int delivered = 0;
  auto fed = decoder.feed(bytes, [&](EventStreamMessage) {
    ++delivered;
    return core::okStatus();
  });
  ASSERT_FALSE(fed.ok());
  EXPECT_NE(fed.error().message.find("message CRC"), std::string::npos);
  EXPECT_EQ(delivered, 0);
}

TEST(EventStream, RejectsAnOversizeLengthBeforeWaitingForIt) {
  std::string prelude;
  auto put = [&](std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) prelude.push_back(static_cast<char>(v >> shift));
  };
  put(static_cast<std::uint32_t>(kEventStreamMaxMessage + 1));
  put(0);
  put(eventStreamCrc32(prelude));
  EventStreamDecoder decoder;
  auto fed = decoder.feed(prelude, [](EventStreamMessage) { return core::okStatus(); });
  ASSERT_FALSE(fed.ok());
  EXPECT_NE(fed.error().message.find("out of bounds"), std::string::npos);
}

TEST(EventStream, TruncatedInputIsAnErrorAtFinish) {
  auto bytes = encodeEventStreamMessage(sampleMessage());
  core::Status finish;
  auto messages = decodeAll(std::string_view(bytes).substr(0, bytes.size() - 3), 7, &finish);
  EXPECT_TRUE(messages.empty());
  ASSERT_FALSE(finish.ok());
  EXPECT_NE(finish.error().message.find("ended inside a message"), std::string::npos);
}

TEST(EventStream, ParsesEveryHeaderType) {
  EventStreamMessage m;
  m.headers = {{"t", EventStreamHeaderType::kBoolTrue, ""},
               {"f", EventStreamHeaderType::kBoolFalse, ""},
               {"b", EventStreamHeaderType::kByte, std::string(1, '\x07')},
               {"s", EventStreamHeaderType::kInt16, std::string(2, '\x01')},
               {"i", EventStreamHeaderType::kInt32, std::string(4, '\x02')},
               {"l", EventStreamHeaderType::kInt64, std::string(8, '\x03')},
               {"y", EventStreamHeaderType::kBytes, "raw"},
               {"ts", EventStreamHeaderType::kTimestamp, std::string(8, '\x04')},
               {"u", EventStreamHeaderType::kUuid, std::string(16, '\x05')},
               {":message-type", EventStreamHeaderType::kString, "event"}};
  m.payload = "{}";
  auto got = decodeAll(encodeEventStreamMessage(m), 3);
  ASSERT_EQ(got.size(), 1u);
  ASSERT_EQ(got[0].headers.size(), m.headers.size());
  for (std::size_t i = 0; i < m.headers.size(); ++i) {
    EXPECT_EQ(got[0].headers[i].name, m.headers[i].name);
    EXPECT_EQ(got[0].headers[i].type, m.headers[i].type);
    EXPECT_EQ(got[0].headers[i].value, m.headers[i].value);
  }
  EXPECT_EQ(got[0].header(":message-type"), "event");
  EXPECT_EQ(got[0].header("y"), "raw");
}

TEST(EventStream, ASinkErrorStopsDecoding) {
  auto bytes = encodeEventStreamMessage(sampleMessage()) + encodeEventStreamMessage(sampleMessage());
  EventStreamDecoder decoder;
  int seen = 0;
  auto fed = decoder.feed(bytes, [&](EventStreamMessage) -> core::Status {
    ++seen;
    return core::Error::invalidArgument("stop");
  });
  EXPECT_FALSE(fed.ok());
  EXPECT_EQ(seen, 1);
}

}  // namespace
}  // namespace codecrew::cloud::aws
