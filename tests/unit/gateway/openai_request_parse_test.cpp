// The OpenAI dialect's request parsing: what it keeps outlives the parse.
// The parse tree is built in a scratch arena that is gone when parseRequest
// returns, so every JSON value kept in the request must own its storage.
#include "gateway/openai_dialect.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <string>

namespace codecrew::gateway {
namespace {

namespace bj = boost::json;

TEST(OpenAiRequestParse, KeptValuesOwnTheirStorageAndSurviveTheParse) {
  const std::string long_text(10000, 'x');  // past the scratch buffer: the arena grows
  bj::object body = bj::parse(R"({
    "model": "gpt-4o-mini",
    "messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": ""}],
    "tools": [{"type": "function", "function": {"name": "lookup", "description": "finds things",
               "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}}],
    "response_format": {"type": "json_schema", "json_schema": {"name": "answer", "schema": {"type": "object"}}},
    "stream": true})")
                        .as_object();
  body.at("messages").as_array().at(1).as_object()["content"] = long_text;
  OpenAiDialect dialect;
  auto parsed = dialect.parseRequest(bj::serialize(body));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const auto& request = parsed->request;
  EXPECT_TRUE(parsed->stream);
  ASSERT_EQ(request.messages.size(), 2u);
  EXPECT_EQ(request.messages[1].content, long_text);
  ASSERT_EQ(request.tools.size(), 1u);
  const bj::value& params = request.tools[0].parameters;
  EXPECT_EQ(params.storage().get(), bj::storage_ptr().get()) << "tool parameters share the parse's arena";
  EXPECT_EQ(params.at("properties").at("q").at("type"), "string");
  ASSERT_TRUE(request.response_format);
  const bj::value& schema = request.response_format->schema;
  EXPECT_EQ(schema.storage().get(), bj::storage_ptr().get()) << "the response schema shares the parse's arena";
  EXPECT_EQ(schema.at("type"), "object");
  // Copies made later keep working too.
  auto copy = request;
  EXPECT_EQ(bj::serialize(copy.tools[0].parameters),
            bj::serialize(body.at("tools").at(0).at("function").at("parameters")));
}

TEST(OpenAiRequestParse, InvalidBodiesAreRefused) {
  OpenAiDialect dialect;
  for (std::string_view bad :
       {"", "[]", "{\"model\":\"m\"}", "{\"model\":\"m\",\"messages\":[]}", "{\"messages\":[{}]}",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"nobody\",\"content\":\"x\"}]}", "{"}) {
    EXPECT_FALSE(dialect.parseRequest(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace codecrew::gateway
