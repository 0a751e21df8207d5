// The OpenAI dialect's stream frames, as a client parses them.
#include "gateway/openai_dialect.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace codecrew::gateway {
namespace {

namespace bj = boost::json;

bj::object parseFrame(const std::string& frame) {
  EXPECT_EQ(frame.rfind("data: ", 0), 0u) << frame;
  EXPECT_EQ(frame.substr(frame.size() - 2), "\n\n");
  return bj::parse(frame.substr(6, frame.size() - 8)).as_object();
}

llm::StreamDelta text(std::string t) {
  llm::StreamDelta d;
  d.kind = llm::StreamDelta::Kind::kText;
  d.text = std::move(t);
  return d;
}

TEST(OpenAiStreamRenderer, TextFramesCarryTheChunkHeadAndTheRoleOnlyFirst) {
  OpenAiDialect dialect;
  ParsedCall call;
  call.request.model = "my \"model\"";
  auto renderer = dialect.streamRenderer(call, 1'700'000'000'123);
  auto first = parseFrame(renderer->delta(text("Hello \"quoted\"\n\u00e9")));
  EXPECT_EQ(first.at("object"), "chat.completion.chunk");
  EXPECT_EQ(first.at("created"), 1'700'000'000);
  EXPECT_EQ(first.at("model"), "my \"model\"");
  EXPECT_EQ(std::string(first.at("id").as_string()).rfind("chatcmpl-", 0), 0u);
  const auto& choice = first.at("choices").at(0).as_object();
  EXPECT_EQ(choice.at("index"), 0);
  EXPECT_TRUE(choice.at("finish_reason").is_null());
  EXPECT_EQ(choice.at("delta").at("content"), "Hello \"quoted\"\n\u00e9");
  EXPECT_EQ(choice.at("delta").at("role"), "assistant");

  auto second = parseFrame(renderer->delta(text("more")));
  EXPECT_EQ(second.at("id"), first.at("id"));
  EXPECT_EQ(second.at("choices").at(0).at("delta").as_object().size(), 1u);
  EXPECT_EQ(second.at("choices").at(0).at("delta").at("content"), "more");
  EXPECT_TRUE(renderer->delta(text("")).empty());
}

}  // namespace
}  // namespace codecrew::gateway
