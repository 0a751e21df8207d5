// OpenAI forwarding's wire: the tree-less JSON member walk and rewrite
// (escapes, whitespace, key order, nesting, invalid text), the forwarded
// request body, whole answers and the forwarded stream decoder.
#include "llm/providers/openai_forwarding_wire.h"
#include "llm/provider_error.h"
#include "llm/providers/forwarded_stream_decoder.h"
#include "llm/providers/json_members.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <vector>

namespace codecrew::llm {
namespace {

namespace bj = boost::json;

std::vector<std::pair<std::string, std::string>> members(std::string_view text, bool* valid = nullptr) {
  std::vector<std::pair<std::string, std::string>> out;
  bool ok = json::forEachMember(text, [&](std::string_view name, std::string_view value) {
    out.emplace_back(name, value);
    return true;
  });
  if (valid) *valid = ok;
  return out;
}

TEST(JsonMembers, ListsTopLevelMembersWithTheirExactValueBytes) {
  bool valid = false;
  auto m = members(" {\"b\" : [1, {\"model\":\"x\"}] ,\"model\":\t\"gpt\\u002d4\" , \"n\":-1.5e+3,\"t\":true}\n",
                   &valid);
  ASSERT_TRUE(valid);
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[0], (std::pair<std::string, std::string>{"b", "[1, {\"model\":\"x\"}]"}));
  EXPECT_EQ(m[1], (std::pair<std::string, std::string>{"model", "\"gpt\\u002d4\""}));
  EXPECT_EQ(m[2], (std::pair<std::string, std::string>{"n", "-1.5e+3"}));
  EXPECT_EQ(m[3], (std::pair<std::string, std::string>{"t", "true"}));
}

TEST(JsonMembers, DecodesEscapedNames) {
  auto m = members(R"({"mod\u0065l":"a","\ud83d\ude00":1,"a\"b\\c\/\n":2})");
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].first, "model");
  EXPECT_EQ(m[1].first, "\xF0\x9F\x98\x80");
  EXPECT_EQ(m[2].first, "a\"b\\c/\n");
}

TEST(JsonMembers, RefusesInvalidText) {
  for (std::string_view bad : {"", "[]", "\"x\"", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":01}", "{\"a\":1.}",
                               "{\"a\":\"\\x\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":\"line\nbreak\"}", "{\"a\":tru}",
                               "{\"a\":1} x", "{\"a\":[1,]}", "{a:1}", "{\"a\":1 \"b\":2}", "{\"a\":\"open}"}) {
    bool valid = true;
    members(bad, &valid);
    EXPECT_FALSE(valid) << bad;
  }
  std::string deep = "{\"a\":" + std::string(300, '[') + std::string(300, ']') + "}";
  bool valid = true;
  members(deep, &valid);
  EXPECT_FALSE(valid) << "nesting past kMaxJsonDepth";
}

TEST(JsonMembers, AgreesWithBoostJsonOnWhatIsValid) {
  for (std::string_view text :
       {"{}", " { } ", R"({"a":{"b":{"c":[[],[{}],"\"}"]}}})", R"({"e":1E5,"f":-0,"g":0.25e-2})",
        R"({"s":"\u00e9\ud83d\ude00 \t"})", R"({"a":null,"b":false})"}) {
    boost::system::error_code ec;
    bj::parse(text, ec);
    bool valid = false;
    members(text, &valid);
    EXPECT_EQ(valid, !ec) << text;
  }
}

TEST(JsonMembers, LongStringsEndWhereTheyEndAtEveryOffset) {
  // Plain runs are scanned 16 bytes at a time: a quote, a backslash or a
  // control character must stop the scan wherever it falls in a block or the
  // tail after it, and high bytes (UTF-8) must not.
  for (std::size_t at = 0; at < 48; ++at) {
    std::string plain(at, 'a');
    plain += "\xc3\xa9";  // é, bytes above 0x7F
    for (std::string_view stop : {"\\\"", "\\n", "\\u0041", "\\\\"}) {
      std::string value = "\"" + plain + std::string(stop) + std::string(40 - at % 40, 'b') + "\"";
      auto m = members("{\"s\":" + value + ",\"n\":1}");
      ASSERT_EQ(m.size(), 2u) << at << " " << stop;
      EXPECT_EQ(m[0].second, value) << at << " " << stop;
      EXPECT_EQ(bj::parse(value).as_string(), *json::stringValue(value)) << at << " " << stop;
    }
    for (char control : {'\n', '\t', '\x01', '\x1f'}) {
      std::string text = "{\"s\":\"" + plain + control + "tail long enough to span a block\"}";
      bool valid = true;
      members(text, &valid);
      EXPECT_FALSE(valid) << at << " control " << int(control);
    }
    bool valid = true;
    members("{\"s\":\"" + plain + std::string(at, 'c'), &valid);  // never closed
    EXPECT_FALSE(valid) << at;
  }
}

TEST(JsonMembers, ReplaceRewritesOnlyTheTopLevelMember) {
  const std::string body =
      R"({"messages":[{"role":"user","content":"use \"model\": \"gpt-4o\" please","model":"inner"}],)"
      "\n  \"model\" :  \"fast\" ,\"temperature\":0.5}";
  auto out = json::replaceMember(body, "model", R"("gpt-4o-mini")");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, R"({"messages":[{"role":"user","content":"use \"model\": \"gpt-4o\" please","model":"inner"}],)"
                  "\n  \"model\" :  \"gpt-4o-mini\" ,\"temperature\":0.5}");
  auto parsed = bj::parse(*out).as_object();
  EXPECT_EQ(parsed["model"], "gpt-4o-mini");
  EXPECT_EQ(parsed["messages"].at(0).at("model"), "inner");
}

TEST(JsonMembers, ReplaceFindsAnEscapedNameAndEveryDuplicate) {
  auto out = json::replaceMember(R"({"mod\u0065l":"a","x":1,"model":"b"})", "model", "\"c\"");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, R"({"mod\u0065l":"c","x":1,"model":"c"})");
  auto none = json::replaceMember(R"({"x":{"model":"a"}})", "model", "\"c\"");
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, R"({"x":{"model":"a"}})");
  EXPECT_FALSE(json::replaceMember(R"({"model":"a")", "model", "\"c\""));
}

TEST(JsonMembers, StringValueDecodes) {
  EXPECT_EQ(json::stringValue(R"("gpt-4o")"), "gpt-4o");
  EXPECT_EQ(json::stringValue(R"("a\u0041\n")"), "aA\n");
  EXPECT_FALSE(json::stringValue("12"));
  EXPECT_FALSE(json::stringValue(R"("a" )"));
}

OpenAiRequest body(std::string text, std::string model, bool stream_options = false, bool wants_usage = false) {
  return OpenAiRequest{std::move(text), std::move(model), wants_usage, stream_options};
}

TEST(OpenAiForwarding, TheBodyIsForwardedAsItIsForTheSameModel) {
  const std::string text =
      "{ \"model\": \"gpt-4o-mini\",\n \"messages\": [{\"role\":\"user\",\"content\":\"hi\"}], \"seed\": 7 }";
  auto out = forwardedRequestBody(body(text, "gpt-4o-mini"), "gpt-4o-mini", false);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out.value(), text);
}

TEST(OpenAiForwarding, AnAliasChangesOnlyTheModel) {
  const std::string text = R"({"model":"fast","messages":[{"role":"user","content":"model: fast"}]})";
  auto out = forwardedRequestBody(body(text, "fast"), "gpt-4o-mini", false);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out.value(), R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"model: fast"}]})");
}

TEST(OpenAiForwarding, AStreamAsksForUsageUnlessTheCallerSaidSomething) {
  const std::string text = "{\"model\":\"m\",\"messages\":[],\"stream\":true}\n";
  auto out = forwardedRequestBody(body(text, "m"), "m", true);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out.value(),
            "{\"model\":\"m\",\"messages\":[],\"stream\":true,\"stream_options\":{\"include_usage\":true}}\n");
  EXPECT_TRUE(OpenAiForwardingWire::canForward(body(text, "m"), true));
  EXPECT_TRUE(OpenAiForwardingWire::canForward(body(text, "m", true, true), true));
  EXPECT_FALSE(OpenAiForwardingWire::canForward(body(text, "m", true, false), true));
  EXPECT_TRUE(OpenAiForwardingWire::canForward(body(text, "m", true, false), false));
  const std::string with_usage = R"({"model":"m","stream":true,"stream_options":{"include_usage":true}})";
  auto kept = forwardedRequestBody(body(with_usage, "m", true, true), "m", true);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept.value(), with_usage);
}

TEST(OpenAiForwarding, AWholeAnswerIsKeptAsItIsWithItsUsageAndFinishRead) {
  const std::string answer =
      R"({"id":"x","model":"gpt-4o-mini-2024","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},)"
      R"("finish_reason":"length"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}} )";
  auto out = OpenAiForwardingWire::decodeAnswer(answer, body("", "gpt-4o-mini"), "gpt-4o-mini");
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->body, answer);
  EXPECT_FALSE(out->streamed);
  EXPECT_TRUE(out->usage.reported);
  EXPECT_EQ(out->usage.total_tokens, 5);
  EXPECT_EQ(out->finish_reason, FinishReason::kLength);
  auto renamed = OpenAiForwardingWire::decodeAnswer(answer, body("", "fast"), "gpt-4o-mini");
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(bj::parse(renamed->body).at("model"), "fast");
  auto decoded = OpenAiForwardingWire::readAnswer(answer, false, nullptr);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->message.content, "hi");
  EXPECT_EQ(decoded->finish_reason, FinishReason::kLength);
  auto tree = bj::parse(answer).as_object();
  auto from_tree = OpenAiForwardingWire::readAnswer("not read", false, &tree);
  ASSERT_TRUE(from_tree.ok());
  EXPECT_EQ(from_tree->message.content, "hi");
}

TEST(OpenAiForwarding, AMalformedWholeAnswerIsRetryable) {
  for (std::string bad : {R"({"id":"broken","choices":[)", R"({"id":"x","choices":[]})", R"({"id":"x"})"}) {
    auto out = OpenAiForwardingWire::decodeAnswer(bad, body("", "m"), "m");
    ASSERT_FALSE(out.ok()) << bad;
    EXPECT_EQ(classifyFailure(out.error()).kind, FailureKind::kMalformed) << bad;
  }
}

const std::string kFrames[] = {
    "data: {\"id\":\"c\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}],\"usage\":null}\n\n",
    ": keep-alive\n\n",
    "data: {\"id\":\"c\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo \\\"finish_reason\\\":\"},\"finish_reason\":null}],\"usage\":null}\r\n\r\n",
    "data: {\"id\":\"c\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n",
    "data: {\"id\":\"c\",\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":3,\"total_tokens\":7}}\n\n",
    "data: [DONE]\n\n"};

struct Fed {
  core::Status status;
  std::string forwarded;
  ForwardedAnswer answer;
};

Fed feedInPieces(ForwardedStreamDecoder& decoder, const std::string& text, std::size_t piece) {
  Fed out;
  FrameSink sink = [&](std::string_view frame) { out.forwarded.append(frame); };
  for (std::size_t i = 0; i < text.size() && out.status.ok(); i += piece)
    out.status = decoder.feed(text.substr(i, piece), sink);
  if (out.status.ok()) out.status = decoder.finish();
  decoder.readInto(out.answer);
  return out;
}

TEST(OpenAiForwarding, AStreamIsForwardedFrameByFrameAsItIs) {
  std::string all;
  for (const auto& f : kFrames) all += f;
  for (std::size_t piece : {std::size_t{1}, std::size_t{7}, all.size()}) {
    ForwardedStreamDecoder decoder("", false);
    auto fed = feedInPieces(decoder, all, piece);
    ASSERT_TRUE(fed.status.ok()) << fed.status.error().message;
    EXPECT_EQ(fed.forwarded, all) << "pieces of " << piece;
    EXPECT_TRUE(fed.answer.streamed);
    EXPECT_EQ(fed.answer.usage.total_tokens, 7);
    EXPECT_EQ(fed.answer.usage.prompt_tokens, 4);
    EXPECT_EQ(fed.answer.finish_reason, FinishReason::kStop);
  }
  auto decoded = OpenAiForwardingWire::readAnswer(all, true, nullptr);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->message.content, "Hello \"finish_reason\":");
}

TEST(OpenAiForwarding, AUsageFrameTheCallerDidNotAskForIsLeftOut) {
  std::string all, expected;
  for (const auto& f : kFrames) {
    all += f;
    if (f.find("\"choices\":[]") == std::string::npos) expected += f;
  }
  auto decoder = OpenAiForwardingWire::streamDecoder(body("", "gpt-4o-mini"), "gpt-4o-mini");
  auto fed = feedInPieces(decoder, all, 5);
  ASSERT_TRUE(fed.status.ok());
  EXPECT_EQ(fed.forwarded, expected);
  EXPECT_EQ(fed.answer.usage.total_tokens, 7) << "read for the record all the same";
}

TEST(OpenAiForwarding, AnAliasedStreamCarriesTheCallersModel) {
  auto decoder = OpenAiForwardingWire::streamDecoder(body("", "fast", true, true), "gpt-4o-mini");
  auto fed = feedInPieces(decoder, kFrames[0] + kFrames[5], 9);
  ASSERT_TRUE(fed.status.ok());
  auto first = fed.forwarded.substr(6, fed.forwarded.find("\n\n") - 6);
  EXPECT_EQ(bj::parse(first).at("model"), "fast");
  EXPECT_NE(first.find("\"content\":\"Hel\""), std::string::npos);
}

TEST(OpenAiForwarding, AnErrorEventOrAMalformedFrameFailsTheStreamUnforwarded) {
  ForwardedStreamDecoder decoder("", false);
  auto fed = feedInPieces(decoder, kFrames[0] + "data: {\"error\":{\"message\":\"overloaded\"}}\n\n", 11);
  ASSERT_FALSE(fed.status.ok());
  EXPECT_NE(fed.status.error().message.find("overloaded"), std::string::npos);
  EXPECT_EQ(fed.forwarded, kFrames[0]);
  ForwardedStreamDecoder broken("", false);
  auto bad = feedInPieces(broken, "data: {\"id\":\n\n", 4);
  ASSERT_FALSE(bad.status.ok());
  EXPECT_EQ(classifyFailure(bad.status.error()).kind, FailureKind::kMalformed);
  EXPECT_TRUE(bad.forwarded.empty());
}

TEST(OpenAiForwarding, AStreamCutBeforeItsEndFails) {
  ForwardedStreamDecoder decoder("", false);
  auto fed = feedInPieces(decoder, kFrames[0], 3);
  EXPECT_FALSE(fed.status.ok());
}

TEST(OpenAiForwarding, TheRequestGoesAsItIsWithOpenAisTargetAndHeaders) {
  OpenAiForwardingWire wire(Endpoint{"http://up/v1/", "k-123", "", "", {{"X-Title", "codecrew"}}});
  const auto request = body(R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"user":"u1"})",
                            "gpt-4o-mini");
  auto sent = wire.encode(request, "gpt-4o-mini", true);
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(sent->method, "POST");
  EXPECT_EQ(sent->url, "http://up/v1/chat/completions");
  EXPECT_EQ(http::findHeader(sent->headers, "Authorization"), "Bearer k-123");
  EXPECT_EQ(http::findHeader(sent->headers, "Accept"), "text/event-stream");
  EXPECT_EQ(http::findHeader(sent->headers, "X-Title"), "codecrew");
  EXPECT_EQ(sent->body, forwardedRequestBody(request, "gpt-4o-mini", true).value());
  EXPECT_FALSE(wire.encode(body("not json", "m"), "other", false).ok());
}

}  // namespace
}  // namespace codecrew::llm
