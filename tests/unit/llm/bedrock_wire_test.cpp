// Amazon Bedrock's Converse wire: the request body and its signature, the
// response, every stop reason, the event stream split anywhere, exception
// frames, and the errors a user can act on (bedrockFailure).
#include "llm/providers/bedrock_wire.h"
#include "fake_bedrock.h"
#include "llm/provider_error.h"
#include "llm/providers/stream_assembler.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace codecrew::llm {
namespace {

namespace bj = boost::json;
using testing::FakeAwsAccount;
using testing::FakeReply;
using testing::FakeToolCall;

constexpr core::Millis kAugust2015 = 1'440'938'160'000;  // 2015-08-30T12:36:00Z

BedrockWire wireFor(const FakeAwsAccount& account, const std::string& region = "us-east-1") {
  cloud::aws::AwsCredentials credentials{account.access_key_id, account.secret_access_key, account.session_token};
  return BedrockWire(Endpoint{"http://127.0.0.1:9/", "", "", "", {}}, BedrockAuth{credentials, region},
                     std::make_shared<core::FakeClock>(kAugust2015));
}

ChatRequest toolConversation() {
  ChatRequest r;
  r.model = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
  r.messages = {Message::system("be brief"), Message::user("read two files")};
  Message call = Message::assistant("reading");
  call.tool_calls = {{"tu_1", "read_file", R"({"path":"a.txt"})"}, {"tu_2", "read_file", R"({"path":"b.txt"})"}};
  r.messages.push_back(call);
  r.messages.push_back(Message::toolResult("tu_1", "read_file", "A"));
  r.messages.push_back(Message::toolResult("tu_2", "read_file", "B"));
  r.tools = {
      ToolSpec{"read_file", "Reads a file", bj::parse(R"({"type":"object","properties":{"path":{"type":"string"}}})")}};
  r.tool_choice = ToolChoice{ToolChoice::Mode::kTool, "read_file"};
  r.temperature = 0.2;
  r.max_tokens = 512;
  r.stop = {"END"};
  return r;
}

TEST(BedrockWire, EncodesConverseWithSystemToolsAndInferenceConfig) {
  FakeAwsAccount account;
  auto wire = wireFor(account);
  auto body = wire.encodeBody(toolConversation());
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(bj::value(body.value()), bj::parse(R"({
    "messages": [
      {"role": "user", "content": [{"text": "read two files"}]},
      {"role": "assistant", "content": [
        {"text": "reading"},
        {"toolUse": {"toolUseId": "tu_1", "name": "read_file", "input": {"path": "a.txt"}}},
        {"toolUse": {"toolUseId": "tu_2", "name": "read_file", "input": {"path": "b.txt"}}}]},
      {"role": "user", "content": [
        {"toolResult": {"toolUseId": "tu_1", "content": [{"text": "A"}], "status": "success"}},
        {"toolResult": {"toolUseId": "tu_2", "content": [{"text": "B"}], "status": "success"}}]}],
    "system": [{"text": "be brief"}],
    "inferenceConfig": {"maxTokens": 512, "temperature": 0.2, "stopSequences": ["END"]},
    "toolConfig": {
      "tools": [{"toolSpec": {"name": "read_file", "description": "Reads a file",
                              "inputSchema": {"json": {"type": "object", "properties": {"path": {"type": "string"}}}}}}],
      "toolChoice": {"tool": {"name": "read_file"}}}})"));
}

// The model comes from the caller (a /v1 request's "model"): it is one path
// segment of the URL, whatever it holds, so it cannot name another API path.
TEST(BedrockWire, AModelIdIsOneEncodedPathSegment) {
  FakeAwsAccount account;
  auto wire = wireFor(account);
  ChatRequest r;
  r.model = "../../guardrail/x?y=1#z";
  r.messages = {Message::user("hi")};
  auto request = wire.encode(r, false);
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->url, "http://127.0.0.1:9/model/..%2F..%2Fguardrail%2Fx%3Fy%3D1%23z/converse");
}

TEST(BedrockWire, WithoutDeclaredToolsToolTurnsGoAsTextAndTheServiceAcceptsThem) {
  auto wire = wireFor(FakeAwsAccount{});
  auto r = toolConversation();
  EXPECT_FALSE(testing::validateConverseBody(bj::serialize(wire.encodeBody(r).value())));
  r.tools.clear();
  r.tool_choice.reset();
  auto body = wire.encodeBody(r);
  ASSERT_TRUE(body.ok());
  EXPECT_FALSE(body->contains("toolConfig"));
  EXPECT_EQ(body->at("messages").at(1), bj::parse(R"({"role": "assistant", "content": [{"text":
      "reading\n[called tool read_file with {\"path\":\"a.txt\"}]\n[called tool read_file with {\"path\":\"b.txt\"}]"}]})"));
  EXPECT_EQ(body->at("messages").at(2).at("content").at(0), bj::parse(R"({"text": "[result of tool read_file]\nA"})"));
  EXPECT_FALSE(testing::validateConverseBody(bj::serialize(body.value())));
}

TEST(BedrockWire, AConversationOpeningWithTheAssistantGetsAUserTurnFirst) {
  auto wire = wireFor(FakeAwsAccount{});
  ChatRequest r;
  r.model = "amazon.nova-lite-v1:0";
  r.messages = {Message::system("s"), Message::assistant("I said this first"), Message::user("and then?")};
  auto body = wire.encodeBody(r);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(body->at("messages").at(0), bj::parse(R"j({"role":"user","content":[{"text":"(continue)"}]})j"));
  EXPECT_EQ(body->at("messages").as_array().size(), 3u);
  EXPECT_FALSE(testing::validateConverseBody(bj::serialize(body.value())));
}

TEST(BedrockFake, RefusesConversationsTheServiceRefuses) {
  auto opens_with_assistant = testing::validateConverseBody(
      R"({"messages":[{"role":"assistant","content":[{"text":"x"}]}]})");
  ASSERT_TRUE(opens_with_assistant);
  EXPECT_EQ(opens_with_assistant->error_type, "ValidationException");
  EXPECT_TRUE(testing::validateConverseBody(
      R"({"messages":[{"role":"user","content":[{"text":"a"}]},{"role":"user","content":[{"text":"b"}]}]})"));
  auto tools = testing::validateConverseBody(
      R"({"messages":[{"role":"user","content":[{"toolResult":{"toolUseId":"t","content":[{"text":"r"}]}}]}]})");
  ASSERT_TRUE(tools);
  EXPECT_NE(tools->message.find("toolConfig"), std::string::npos);
  EXPECT_TRUE(testing::validateConverseBody(R"({"messages":[]})"));
}

TEST(BedrockWire, ToolChoiceWords) {
  auto wire = wireFor(FakeAwsAccount{});
  auto r = toolConversation();
  r.tool_choice = ToolChoice{ToolChoice::Mode::kRequired, ""};
  EXPECT_EQ(wire.encodeBody(r)->at("toolConfig").at("toolChoice"), bj::parse(R"({"any":{}})"));
  r.tool_choice = ToolChoice{ToolChoice::Mode::kAuto, ""};
  EXPECT_EQ(wire.encodeBody(r)->at("toolConfig").at("toolChoice"), bj::parse(R"({"auto":{}})"));
  r.tool_choice = ToolChoice{ToolChoice::Mode::kNone, ""};
  EXPECT_FALSE(wire.encodeBody(r)->at("toolConfig").as_object().contains("toolChoice"));
}

TEST(BedrockWire, ImagesGoInlineAndUrlsAreRefused) {
  auto wire = wireFor(FakeAwsAccount{});
  ChatRequest r;
  r.model = "amazon.nova-lite-v1:0";
  Message m = Message::user("what is this");
  m.images = {ImagePart{"", "image/png", "iVBORw0KGgo="}, ImagePart{"data:image/jpg;base64,/9j/4AA=", "", ""}};
  r.messages = {m};
  auto body = wire.encodeBody(r);
  ASSERT_TRUE(body.ok());
  const auto& content = body->at("messages").at(0).at("content").as_array();
  EXPECT_EQ(content.at(1), bj::parse(R"({"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}})"));
  EXPECT_EQ(content.at(2), bj::parse(R"({"image":{"format":"jpeg","source":{"bytes":"/9j/4AA="}}})"));
  r.messages[0].images = {ImagePart{"https://example.com/cat.png", "", ""}};
  EXPECT_FALSE(wire.encodeBody(r).ok());
}

TEST(BedrockWire, EncodeSignsTheRequestAsTheServiceVerifiesIt) {
  FakeAwsAccount account;
  account.session_token = "session-token-of-the-test";
  auto wire = wireFor(account);
  auto request = wire.encode(toolConversation(), true);
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request->url, "http://127.0.0.1:9/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream");
  EXPECT_EQ(http::findHeader(request->headers, "x-amz-date"), "20150830T123600Z");
  EXPECT_EQ(http::findHeader(request->headers, "x-amz-security-token"), "session-token-of-the-test");
  auto authorization = http::findHeader(request->headers, "authorization").value_or("");
  EXPECT_TRUE(authorization.starts_with(
      "AWS4-HMAC-SHA256 Credential=AKIAFAKEBEDROCK00001/20150830/us-east-1/bedrock/aws4_request, "
      "SignedHeaders=accept;content-type;host;x-amz-date;x-amz-security-token, Signature="))
      << authorization;
  std::string target = request->url.substr(std::string("http://127.0.0.1:9").size());
  EXPECT_FALSE(testing::verifyAwsSignature(account, "POST", target, request->headers, request->body));
  // A byte changed in the body no longer verifies.
  auto refused = testing::verifyAwsSignature(account, "POST", target, request->headers, request->body + " ");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->error_type, "InvalidSignatureException");
  EXPECT_EQ(wire.encode(toolConversation(), false)->url,
            "http://127.0.0.1:9/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse");
}

TEST(BedrockWire, DecodesTextToolUseAndUsage) {
  auto wire = wireFor(FakeAwsAccount{});
  FakeReply reply = FakeReply::text_reply("let me look");
  reply.tool_calls = {FakeToolCall{"tu_9", "read_file", R"({"path":"x"})"}};
  reply.prompt_tokens = 30;
  reply.cached_tokens = 10;
  reply.completion_tokens = 5;
  auto r = wire.decodeResponse(testing::bedrockWhole(reply));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->message.content, "let me look");
  ASSERT_EQ(r->message.tool_calls.size(), 1u);
  EXPECT_EQ(r->message.tool_calls[0].id, "tu_9");
  EXPECT_EQ(bj::parse(r->message.tool_calls[0].arguments), bj::parse(R"({"path":"x"})"));
  EXPECT_EQ(r->finish_reason, FinishReason::kToolCalls);
  EXPECT_EQ(r->raw_finish_reason, "tool_use");
  EXPECT_EQ(r->usage.prompt_tokens, 30);
  EXPECT_EQ(r->usage.cached_prompt_tokens, 10);
  EXPECT_EQ(r->usage.completion_tokens, 5);
  EXPECT_FALSE(wire.decodeResponse(R"({"stopReason":"end_turn"})").ok());
}

TEST(BedrockWire, EveryStopReason) {
  auto wire = wireFor(FakeAwsAccount{});
  const std::pair<std::string, FinishReason> cases[] = {
      {"end_turn", FinishReason::kStop},
      {"stop_sequence", FinishReason::kStop},
      {"max_tokens", FinishReason::kLength},
      {"tool_use", FinishReason::kToolCalls},
      {"guardrail_intervened", FinishReason::kContentFilter},
      {"content_filtered", FinishReason::kContentFilter},
      {"something_new", FinishReason::kUnknown},
  };
  for (const auto& [word, reason] : cases) {
    FakeReply reply;
    reply.finish = word;
    auto r = wire.decodeResponse(testing::bedrockWhole(reply));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->finish_reason, reason) << word;
    EXPECT_EQ(r->raw_finish_reason, word);
    EXPECT_EQ(bedrockFinishReason(word), reason);
  }
}

std::string streamBytes(const FakeReply& reply) {
  std::string out;
  for (const auto& f : testing::bedrockStream(reply)) out += f;
  return out;
}

TEST(BedrockWire, StreamDecodesTheSameAtEverySplit) {
  auto wire = wireFor(FakeAwsAccount{});
  FakeReply reply = FakeReply::text_reply("streamed words, a few of them");
  reply.tool_calls = {FakeToolCall{"tu_1", "grep", R"({"pattern":"main","path":"src"})"}};
  reply.prompt_tokens = 40;
  reply.completion_tokens = 9;
  auto bytes = streamBytes(reply);
  for (std::size_t split = 1; split < bytes.size(); split += 7) {
    auto decoder = wire.streamDecoder();
    StreamAssembler assembler;
    DeltaSink sink = [&](const StreamDelta& d) { assembler.add(d); };
    ASSERT_TRUE(decoder->feed(std::string_view(bytes).substr(0, split), sink).ok());
    ASSERT_TRUE(decoder->feed(std::string_view(bytes).substr(split), sink).ok());
    ASSERT_TRUE(decoder->finish(sink).ok());
    auto r = assembler.result();
    EXPECT_EQ(r.message.content, "streamed words, a few of them");
    ASSERT_EQ(r.message.tool_calls.size(), 1u);
    EXPECT_EQ(r.message.tool_calls[0].name, "grep");
    EXPECT_EQ(r.message.tool_calls[0].id, "tu_1");
    EXPECT_EQ(bj::parse(r.message.tool_calls[0].arguments), bj::parse(R"({"pattern":"main","path":"src"})"));
    EXPECT_EQ(r.finish_reason, FinishReason::kToolCalls);
    EXPECT_EQ(r.usage.prompt_tokens, 40);
    EXPECT_EQ(r.usage.completion_tokens, 9);
  }
}

TEST(BedrockWire, StreamWithoutMessageStopOrWithABadFrameFails) {
  auto wire = wireFor(FakeAwsAccount{});
  auto frames = testing::bedrockStream(FakeReply::text_reply("short"));
  DeltaSink sink = [](const StreamDelta&) {};
  auto cut = wire.streamDecoder();
  ASSERT_TRUE(cut->feed(frames[0] + frames[1], sink).ok());
  auto finished = cut->finish(sink);
  ASSERT_FALSE(finished.ok());
  EXPECT_EQ(classifyFailure(finished.error()).kind, FailureKind::kNetwork);

  auto corrupted = wire.streamDecoder();
  std::string bad = frames[1];
  bad[bad.size() - 2] = static_cast<char>(bad[bad.size() - 2] ^ 1);
  ASSERT_TRUE(corrupted->feed(frames[0], sink).ok());
  auto fed = corrupted->feed(bad, sink);
  ASSERT_FALSE(fed.ok());
  EXPECT_NE(fed.error().message.find("CRC"), std::string::npos);
}

TEST(BedrockWire, ExceptionFramesAreTheCallsError) {
  auto wire = wireFor(FakeAwsAccount{}, "eu-west-1");
  DeltaSink sink = [](const StreamDelta&) {};
  auto throttled = wire.streamDecoder()->feed(testing::bedrockStreamException("throttlingException",
                                                                              "Too many tokens, please wait"),
                                              sink);
  ASSERT_FALSE(throttled.ok());
  EXPECT_EQ(classifyFailure(throttled.error()).kind, FailureKind::kRateLimited);
  EXPECT_TRUE(classifyFailure(throttled.error()).retryable);
  auto model_error = wire.streamDecoder()->feed(testing::bedrockStreamException("modelStreamErrorException",
                                                                                "model failed"),
                                                sink);
  ASSERT_FALSE(model_error.ok());
  EXPECT_EQ(classifyFailure(model_error.error()).kind, FailureKind::kServer);
  auto invalid = wire.streamDecoder()->feed(testing::bedrockStreamException("validationException", "bad input"), sink);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(classifyFailure(invalid.error()).kind, FailureKind::kBadRequest);
  EXPECT_NE(invalid.error().message.find("bad input"), std::string::npos);
}

core::Error failureOf(const std::string& type, int status, const std::string& message, bool stream = false) {
  http::Headers headers{{"x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/"}};
  return bedrockFailure("bedrock", status, headers, testing::bedrockErrorBody(message), 0,
                        BedrockCallContext{"anthropic.claude-3-5-haiku-20241022-v1:0", "eu-west-1", stream});
}

TEST(BedrockErrors, ThrottlingIsARateLimitRetriedWithBackoff) {
  for (const char* type : {"ThrottlingException", "ServiceQuotaExceededException", "ModelNotReadyException"}) {
    auto e = failureOf(type, 429, "Too many requests");
    auto info = classifyFailure(e);
    EXPECT_EQ(info.kind, FailureKind::kRateLimited) << type;
    EXPECT_TRUE(info.retryable);
  }
}

TEST(BedrockErrors, AccessDeniedNamesTheActionAndTheModel) {
  auto whole = failureOf("AccessDeniedException", 403,
                         "You don't have access to the model with the specified model ID.");
  EXPECT_EQ(classifyFailure(whole).kind, FailureKind::kAuth);
  EXPECT_NE(whole.message.find("bedrock:InvokeModel on model anthropic.claude-3-5-haiku-20241022-v1:0"),
            std::string::npos)
      << whole.message;
  EXPECT_NE(whole.message.find("region eu-west-1"), std::string::npos);
  auto streamed = failureOf("AccessDeniedException", 403, "denied", true);
  EXPECT_NE(streamed.message.find("bedrock:InvokeModelWithResponseStream"), std::string::npos);
}

TEST(BedrockErrors, CredentialProblemsSayWhichOne) {
  auto expired = failureOf("ExpiredTokenException", 403, "The security token included in the request is expired");
  EXPECT_EQ(classifyFailure(expired).kind, FailureKind::kAuth);
  EXPECT_NE(expired.message.find("the AWS credentials have expired"), std::string::npos);
  auto unknown = failureOf("UnrecognizedClientException", 403,
                           "The security token included in the request is invalid.");
  EXPECT_NE(unknown.message.find("the AWS credentials are not valid"), std::string::npos);
  auto region = failureOf("InvalidSignatureException", 403, "Credential should be scoped to a valid region. ");
  EXPECT_NE(region.message.find("signed for another region: region eu-west-1"), std::string::npos) << region.message;
  auto skew = failureOf("InvalidSignatureException", 403,
                        "Signature expired: 20150830T123600Z is now earlier than 20150830T125100Z");
  EXPECT_NE(skew.message.find("clock is off"), std::string::npos) << skew.message;
  auto secret = failureOf("InvalidSignatureException", 403, "The request signature we calculated does not match");
  EXPECT_NE(secret.message.find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
  EXPECT_FALSE(classifyFailure(secret).retryable);
}

TEST(BedrockErrors, AnUnknownModelIsNotAvailableInTheRegion) {
  auto invalid = failureOf("ValidationException", 400, "The provided model identifier is invalid.");
  EXPECT_EQ(classifyFailure(invalid).kind, FailureKind::kBadRequest);
  EXPECT_NE(invalid.message.find("model anthropic.claude-3-5-haiku-20241022-v1:0 is not available in region eu-west-1"),
            std::string::npos)
      << invalid.message;
  auto missing = failureOf("ResourceNotFoundException", 404, "Could not resolve the foundation model");
  EXPECT_NE(missing.message.find("is not available in region eu-west-1"), std::string::npos);
  auto too_long = failureOf("ValidationException", 400, "Input is too long for requested model.");
  EXPECT_EQ(classifyFailure(too_long).kind, FailureKind::kContextLength);
}

TEST(BedrockErrors, ServerSideFailuresAreRetryable) {
  for (const char* type : {"InternalServerException", "ServiceUnavailableException", "ModelErrorException"}) {
    auto e = failureOf(type, type[0] == 'M' ? 424 : 500, "oops");
    EXPECT_EQ(classifyFailure(e).kind, FailureKind::kServer) << type;
    EXPECT_TRUE(classifyFailure(e).retryable);
  }
}

TEST(BedrockErrors, TheTypeMayComeFromTheBody) {
  auto e = bedrockFailure("bedrock", 400, {},
                          R"({"__type":"com.amazon.coral.service#ExpiredTokenException","message":"expired"})", 0,
                          BedrockCallContext{"m", "us-east-1", false});
  EXPECT_NE(e.message.find("have expired"), std::string::npos);
}

}  // namespace
}  // namespace codecrew::llm
