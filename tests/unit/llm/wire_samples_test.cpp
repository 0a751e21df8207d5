// Each adapter's encoding of a normalised request and its decoding of the
// handwritten wire samples in tests/data/llm (whole bodies and streams, fed
// in awkward pieces to exercise the framing).
#include "core/http_date.h"
#include "llm/providers/anthropic_wire.h"
#include "llm/providers/gemini_wire.h"
#include "llm/providers/ollama_wire.h"
#include "llm/providers/openai_wire.h"
#include "llm/providers/stream_assembler.h"
#include "llm_test_util.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace codecrew::llm {
namespace {

namespace bj = boost::json;

ChatRequest toolRequest() {
  ChatRequest r;
  r.model = "m-1";
  r.messages.push_back(Message::system("You are terse."));
  r.messages.push_back(Message::user("Read a.txt"));
  Message call = Message::assistant("");
  call.tool_calls.push_back(ToolCall{"call_1", "read_file", R"({"path":"a.txt"})"});
  r.messages.push_back(call);
  r.messages.push_back(Message::toolResult("call_1", "read_file", "hello"));
  r.tools.push_back(
      ToolSpec{"read_file", "Reads a file", bj::parse(R"({"type":"object","properties":{"path":{"type":"string"}}})")});
  r.tool_choice = ToolChoice{ToolChoice::Mode::kTool, "read_file"};
  r.temperature = 0.2;
  r.max_tokens = 256;
  r.stop = {"END"};
  return r;
}

// Feeds a stream body in 7-byte pieces and assembles the result.
struct Streamed {
  core::Status status;
  ChatResponse response;
  std::vector<StreamDelta> deltas;
};

Streamed decodeStream(const WireFormat& wire, const std::string& body) {
  Streamed out;
  auto decoder = wire.streamDecoder();
  StreamAssembler assembler;
  DeltaSink sink = [&](const StreamDelta& d) {
    out.deltas.push_back(d);
    assembler.add(d);
  };
  for (std::size_t i = 0; i < body.size() && out.status.ok(); i += 7)
    out.status = decoder->feed(body.substr(i, 7), sink);
  if (out.status.ok()) out.status = decoder->finish(sink);
  out.response = assembler.result();
  return out;
}

TEST(OpenAiWire, EncodesMessagesToolsAndOptions) {
  OpenAiWire wire(Endpoint{"https://api.example.com/v1/", "sk-test-key-123456"});
  auto req = wire.encode(toolRequest(), true);
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->url, "https://api.example.com/v1/chat/completions");
  EXPECT_EQ(http::findHeader(req->headers, "authorization"), "Bearer sk-test-key-123456");
  auto body = bj::parse(req->body).as_object();
  EXPECT_EQ(body["model"], "m-1");
  auto& messages = body["messages"].as_array();
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[2].at("tool_calls").at(0).at("function").at("name"), "read_file");
  EXPECT_EQ(messages[3].at("role"), "tool");
  EXPECT_EQ(messages[3].at("tool_call_id"), "call_1");
  EXPECT_EQ(body["tools"].at(0).at("function").at("parameters").at("type"), "object");
  EXPECT_EQ(body["tool_choice"].at("function").at("name"), "read_file");
  EXPECT_EQ(body["max_tokens"], 256);
  EXPECT_EQ(body["stop"].at(0), "END");
  EXPECT_EQ(body["stream"], true);
  EXPECT_EQ(body["stream_options"].at("include_usage"), true);
}

TEST(OpenAiWire, AzureUsesDeploymentUrlAndApiKeyHeader) {
  OpenAiWire wire(Endpoint{"https://res.openai.azure.com", "azkey-123456789", "2024-10-21", "prod-4o"},
                  OpenAiWire::Flavor::kAzure);
  auto req = wire.encode(toolRequest(), false);
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->url,
            "https://res.openai.azure.com/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21");
  EXPECT_EQ(http::findHeader(req->headers, "api-key"), "azkey-123456789");
  EXPECT_FALSE(http::findHeader(req->headers, "authorization"));
}

TEST(OpenAiWire, EncodesJsonSchemaResponseFormatAndImages) {
  OpenAiWire wire(Endpoint{"http://x/v1"});
  ChatRequest r;
  r.model = "gpt-4o";
  Message m = Message::user("What is this?");
  m.images.push_back(ImagePart{"", "image/png", "iVBORw0KGgo="});
  r.messages.push_back(m);
  r.response_format = ResponseFormat{ResponseFormat::Kind::kJsonSchema, "answer", bj::parse(R"({"type":"object"})"),
                                     true};
  auto body = wire.encodeBody(r, false);
  EXPECT_EQ(body["response_format"].at("type"), "json_schema");
  EXPECT_EQ(body["response_format"].at("json_schema").at("name"), "answer");
  auto& parts = body["messages"].at(0).at("content").as_array();
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1].at("image_url").at("url"), "data:image/png;base64,iVBORw0KGgo=");
}

TEST(OpenAiWire, DecodesWholeResponseWithToolCallAndCachedUsage) {
  OpenAiWire wire(Endpoint{"http://x/v1"});
  auto r = wire.decodeResponse(test::readData("openai_response.json"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->finish_reason, FinishReason::kToolCalls);
  ASSERT_EQ(r->message.tool_calls.size(), 1u);
  EXPECT_EQ(r->message.tool_calls[0].id, "call_abc123");
  EXPECT_EQ(r->message.tool_calls[0].arguments, R"({"path":"src/main.cpp"})");
  EXPECT_EQ(r->usage.prompt_tokens, 82);
  EXPECT_EQ(r->usage.cached_prompt_tokens, 64);
  EXPECT_EQ(r->usage.total_tokens, 99);
}

TEST(OpenAiWire, DecodesStreamWithToolFragmentsAndUsage) {
  OpenAiWire wire(Endpoint{"http://x/v1"});
  auto s = decodeStream(wire, test::readData("openai_stream.sse"));
  ASSERT_TRUE(s.status.ok()) << s.status.error().message;
  EXPECT_EQ(s.response.message.content, "Let me check.");
  ASSERT_EQ(s.response.message.tool_calls.size(), 2u);
  EXPECT_EQ(s.response.message.tool_calls[0].name, "read_file");
  EXPECT_EQ(s.response.message.tool_calls[0].arguments, R"({"path":"a.txt"})");
  EXPECT_EQ(s.response.message.tool_calls[1].id, "call_2");
  EXPECT_EQ(s.response.usage.total_tokens, 65);
  EXPECT_EQ(s.response.finish_reason, FinishReason::kToolCalls);
  EXPECT_EQ(s.deltas.back().kind, StreamDelta::Kind::kFinish);
}

TEST(OpenAiWire, StreamWithoutDoneIsAnError) {
  OpenAiWire wire(Endpoint{"http://x/v1"});
  auto body = test::readData("openai_stream.sse");
  auto s = decodeStream(wire, body.substr(0, body.find("\"content\":\"check.\"")));
  EXPECT_FALSE(s.status.ok());
}

TEST(AnthropicWire, EncodesSystemApartAndToolBlocks) {
  AnthropicWire wire(Endpoint{"https://api.anthropic.com", "sk-ant-test-0123456789"});
  auto req = wire.encode(toolRequest(), false);
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->url, "https://api.anthropic.com/v1/messages");
  EXPECT_EQ(http::findHeader(req->headers, "x-api-key"), "sk-ant-test-0123456789");
  EXPECT_EQ(http::findHeader(req->headers, "anthropic-version"), "2023-06-01");
  auto body = bj::parse(req->body).as_object();
  EXPECT_EQ(body["system"], "You are terse.");
  auto& messages = body["messages"].as_array();
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[1].at("content").at(0).at("type"), "tool_use");
  EXPECT_EQ(messages[1].at("content").at(0).at("input").at("path"), "a.txt");
  EXPECT_EQ(messages[2].at("role"), "user");
  EXPECT_EQ(messages[2].at("content").at(0).at("type"), "tool_result");
  EXPECT_EQ(messages[2].at("content").at(0).at("tool_use_id"), "call_1");
  EXPECT_EQ(body["tools"].at(0).at("input_schema").at("type"), "object");
  EXPECT_EQ(body["tool_choice"].at("type"), "tool");
  EXPECT_EQ(body["stop_sequences"].at(0), "END");
  EXPECT_EQ(body["max_tokens"], 256);
}

TEST(AnthropicWire, DecodesWholeResponse) {
  AnthropicWire wire(Endpoint{"http://x"});
  auto r = wire.decodeResponse(test::readData("anthropic_response.json"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->message.content, "I'll look at the file.");
  ASSERT_EQ(r->message.tool_calls.size(), 1u);
  EXPECT_EQ(r->message.tool_calls[0].arguments, R"({"path":"README.md"})");
  EXPECT_EQ(r->finish_reason, FinishReason::kToolCalls);
  EXPECT_EQ(r->usage.prompt_tokens, 150);
  EXPECT_EQ(r->usage.cached_prompt_tokens, 30);
  EXPECT_EQ(r->usage.completion_tokens, 45);
}

TEST(AnthropicWire, DecodesStreamWithPingInputJsonDeltaAndCumulativeUsage) {
  AnthropicWire wire(Endpoint{"http://x"});
  auto s = decodeStream(wire, test::readData("anthropic_stream.sse"));
  ASSERT_TRUE(s.status.ok()) << s.status.error().message;
  EXPECT_EQ(s.response.message.content, "Okay, let me check the weather.");
  ASSERT_EQ(s.response.message.tool_calls.size(), 1u);
  EXPECT_EQ(s.response.message.tool_calls[0].id, "toolu_01T1x1fJ34qAmk2tNTrN7Up6");
  EXPECT_EQ(s.response.message.tool_calls[0].arguments, R"({"location": "San Francisco, CA"})");
  EXPECT_EQ(s.response.usage.prompt_tokens, 472);
  EXPECT_EQ(s.response.usage.completion_tokens, 89);
  EXPECT_EQ(s.response.finish_reason, FinishReason::kToolCalls);
}

TEST(AnthropicWire, ErrorEventAfter200FailsTheStream) {
  AnthropicWire wire(Endpoint{"http://x"});
  auto s = decodeStream(wire, test::readData("anthropic_stream_error.sse"));
  ASSERT_FALSE(s.status.ok());
  auto info = classifyFailure(s.status.error());
  EXPECT_EQ(info.kind, FailureKind::kServer);
  EXPECT_TRUE(info.retryable);
  EXPECT_NE(s.status.error().message.find("Overloaded"), std::string::npos);
  EXPECT_EQ(s.response.message.content, "Hel");
}

TEST(GeminiWire, EncodesContentsFunctionCallsAndConfig) {
  GeminiWire wire(Endpoint{"https://generativelanguage.googleapis.com/v1beta", "AIzaTestKey"});
  auto req = wire.encode(toolRequest(), true);
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->url, "https://generativelanguage.googleapis.com/v1beta/models/m-1:streamGenerateContent?alt=sse");
  EXPECT_EQ(http::findHeader(req->headers, "x-goog-api-key"), "AIzaTestKey");
  auto body = bj::parse(req->body).as_object();
  EXPECT_EQ(body["systemInstruction"].at("parts").at(0).at("text"), "You are terse.");
  auto& contents = body["contents"].as_array();
  ASSERT_EQ(contents.size(), 3u);
  EXPECT_EQ(contents[1].at("role"), "model");
  EXPECT_EQ(contents[1].at("parts").at(0).at("functionCall").at("args").at("path"), "a.txt");
  EXPECT_EQ(contents[2].at("parts").at(0).at("functionResponse").at("name"), "read_file");
  EXPECT_EQ(contents[2].at("parts").at(0).at("functionResponse").at("response").at("result"), "hello");
  EXPECT_EQ(body["toolConfig"].at("functionCallingConfig").at("mode"), "ANY");
  EXPECT_EQ(body["generationConfig"].at("maxOutputTokens"), 256);
}

TEST(GeminiWire, DecodesWholeResponseWithFunctionCall) {
  GeminiWire wire(Endpoint{"http://x"});
  auto r = wire.decodeResponse(test::readData("gemini_response.json"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->message.content, "Checking the repository.");
  ASSERT_EQ(r->message.tool_calls.size(), 1u);
  EXPECT_EQ(r->message.tool_calls[0].name, "list_dir");
  EXPECT_EQ(bj::parse(r->message.tool_calls[0].arguments).at("depth"), 2);
  EXPECT_EQ(r->finish_reason, FinishReason::kToolCalls);
  EXPECT_EQ(r->usage.total_tokens, 76);
  EXPECT_EQ(r->usage.cached_prompt_tokens, 10);
}

TEST(GeminiWire, DecodesStream) {
  GeminiWire wire(Endpoint{"http://x"});
  auto s = decodeStream(wire, test::readData("gemini_stream.sse"));
  ASSERT_TRUE(s.status.ok()) << s.status.error().message;
  EXPECT_EQ(s.response.message.content, "The quick brown fox jumps.");
  EXPECT_EQ(s.response.usage.completion_tokens, 6);
  EXPECT_EQ(s.response.finish_reason, FinishReason::kStop);
}

TEST(OllamaWire, EncodesOptionsAndToolArgumentsAsObjects) {
  OllamaWire wire(Endpoint{"http://127.0.0.1:11434"});
  auto req = wire.encode(toolRequest(), false);
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->url, "http://127.0.0.1:11434/api/chat");
  auto body = bj::parse(req->body).as_object();
  EXPECT_EQ(body["stream"], false);
  EXPECT_EQ(body["options"].at("num_predict"), 256);
  EXPECT_EQ(body["messages"].at(2).at("tool_calls").at(0).at("function").at("arguments").at("path"), "a.txt");
}

TEST(OllamaWire, DecodesWholeResponseWithDurations) {
  OllamaWire wire(Endpoint{"http://x"});
  auto r = wire.decodeResponse(test::readData("ollama_response.json"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->message.tool_calls.size(), 1u);
  EXPECT_EQ(r->message.tool_calls[0].arguments, R"({"city":"Tokyo"})");
  EXPECT_EQ(r->usage.prompt_tokens, 26);
  EXPECT_EQ(r->usage.completion_tokens, 282);
  EXPECT_EQ(r->usage.extra.at("eval_duration"), 4535599000);
  EXPECT_EQ(r->finish_reason, FinishReason::kToolCalls);
}

TEST(OllamaWire, DecodesNdjsonStream) {
  OllamaWire wire(Endpoint{"http://x"});
  auto s = decodeStream(wire, test::readData("ollama_stream.ndjson"));
  ASSERT_TRUE(s.status.ok()) << s.status.error().message;
  EXPECT_EQ(s.response.message.content, "The sky is blue");
  EXPECT_EQ(s.response.usage.total_tokens, 308);
  EXPECT_EQ(s.response.finish_reason, FinishReason::kStop);
}

TEST(ProviderError, RetryAfterSecondsAndHttpDate) {
  EXPECT_EQ(core::parseRetryAfter("7", 0), std::chrono::milliseconds(7000));
  EXPECT_EQ(core::parseRetryAfter("1.5", 0), std::chrono::milliseconds(1500));
  // Wed, 21 Oct 2015 07:28:00 GMT = 1445412480 s.
  EXPECT_EQ(core::parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", 1445412470000), std::chrono::milliseconds(10000));
  EXPECT_EQ(core::parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", 1445412490000), std::chrono::milliseconds(0));
  EXPECT_FALSE(core::parseRetryAfter("soon", 0));
}

TEST(ProviderError, HttpStatusesClassify) {
  auto rate = classifyFailure(httpFailure("p", 429, {{"Retry-After", "3"}}, "{}", 0));
  EXPECT_EQ(rate.kind, FailureKind::kRateLimited);
  EXPECT_EQ(rate.retry_after, std::chrono::milliseconds(3000));
  EXPECT_TRUE(rate.retryable);
  auto ctx = classifyFailure(httpFailure(
      "p", 400, {},
      R"({"error":{"message":"This model's maximum context length is 8192 tokens","code":"context_length_exceeded"}})",
      0));
  EXPECT_EQ(ctx.kind, FailureKind::kContextLength);
  EXPECT_FALSE(ctx.retryable);
  EXPECT_EQ(classifyFailure(httpFailure("p", 503, {}, "", 0)).kind, FailureKind::kServer);
  EXPECT_EQ(classifyFailure(httpFailure("p", 401, {}, "", 0)).kind, FailureKind::kAuth);
  EXPECT_EQ(classifyFailure(httpFailure("p", 404, {}, "", 0)).kind, FailureKind::kBadRequest);
}

}  // namespace
}  // namespace codecrew::llm
