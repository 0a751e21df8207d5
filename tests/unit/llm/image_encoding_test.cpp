// Images in user messages, as each provider's wire format takes them:
// Anthropic image blocks (base64 or url source) before the text, Gemini
// inlineData / fileData parts after it, Ollama's "images" array of bare
// base64 (which has no way to send a URL: refused, naming the fix).
#include "llm/providers/anthropic_wire.h"
#include "llm/providers/gemini_wire.h"
#include "llm/providers/ollama_wire.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace codecrew::llm {
namespace {

namespace bj = boost::json;

constexpr const char* kPng = "iVBORw0KGgo=";

ChatRequest imageRequest(bool with_url) {
  ChatRequest r;
  r.model = "vision-1";
  r.messages.push_back(Message::system("Describe images."));
  Message m = Message::user("What is in these?");
  m.images.push_back(ImagePart{"", "image/png", kPng});
  if (with_url) m.images.push_back(ImagePart{"https://img.example.com/cat.jpg", "image/jpeg", ""});
  r.messages.push_back(m);
  return r;
}

TEST(AnthropicWire, EncodesInlineAndUrlImagesAsBlocksBeforeTheText) {
  AnthropicWire wire(Endpoint{"https://api.anthropic.com", "sk-ant-test-0123456789"});
  auto body = wire.encodeBody(imageRequest(true), false);
  EXPECT_EQ(body["system"], "Describe images.");
  auto& messages = body["messages"].as_array();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].at("role"), "user");
  auto& blocks = messages[0].at("content").as_array();
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[0].at("type"), "image");
  EXPECT_EQ(blocks[0].at("source"), bj::parse(R"({"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="})"));
  EXPECT_EQ(blocks[1].at("type"), "image");
  EXPECT_EQ(blocks[1].at("source"), bj::parse(R"({"type":"url","url":"https://img.example.com/cat.jpg"})"));
  EXPECT_EQ(blocks[2], bj::parse(R"({"type":"text","text":"What is in these?"})"));
}

TEST(GeminiWire, EncodesInlineDataAndFileDataParts) {
  GeminiWire wire(Endpoint{"https://generativelanguage.googleapis.com/v1beta", "gm-key-0123456789"});
  auto body = wire.encodeBody(imageRequest(true));
  auto& contents = body["contents"].as_array();
  ASSERT_EQ(contents.size(), 1u);
  EXPECT_EQ(contents[0].at("role"), "user");
  auto& parts = contents[0].at("parts").as_array();
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], bj::parse(R"({"text":"What is in these?"})"));
  EXPECT_EQ(parts[1], bj::parse(R"({"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}})"));
  EXPECT_EQ(parts[2],
            bj::parse(R"({"fileData":{"mimeType":"image/jpeg","fileUri":"https://img.example.com/cat.jpg"}})"));
  EXPECT_NE(bj::serialize(body["systemInstruction"]).find("Describe images."), std::string::npos);
}

TEST(OllamaWire, EncodesImagesAsBareBase64OnTheMessage) {
  OllamaWire wire(Endpoint{"http://127.0.0.1:11434"});
  auto req = wire.encode(imageRequest(false), false);
  ASSERT_TRUE(req.ok()) << req.error().message;
  auto body = bj::parse(req->body).as_object();
  auto& messages = body["messages"].as_array();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[1].at("role"), "user");
  EXPECT_EQ(messages[1].at("content"), "What is in these?");
  EXPECT_EQ(messages[1].at("images"), bj::parse(R"(["iVBORw0KGgo="])"));
  EXPECT_FALSE(messages[0].as_object().contains("images"));
}

// Ollama's API has no image URLs; sending "" as an image would fail upstream
// with an opaque base64 error, so the request is refused before it is sent.
TEST(OllamaWire, RefusesAnImageUrlItCannotSend) {
  OllamaWire wire(Endpoint{"http://127.0.0.1:11434"});
  auto req = wire.encode(imageRequest(true), false);
  ASSERT_FALSE(req.ok());
  EXPECT_EQ(req.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(req.error().message.find("https://img.example.com/cat.jpg"), std::string::npos) << req.error().message;
  EXPECT_NE(req.error().message.find("base64"), std::string::npos) << req.error().message;
}

}  // namespace
}  // namespace codecrew::llm
