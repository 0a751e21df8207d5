// POST /v1/responses against the fake upstream: input as a string or items,
// instructions, function tools and their outputs, the stream's events,
// previous_response_id kept per tenant, usage recorded like chat's, and a
// model of another provider translated both ways.
#include "gateway_fixture.h"

#include <set>

namespace codecrew::gateway {
namespace {

namespace bj = boost::json;
using testing::FakeReply;

FakeReply weatherCall() {
  FakeReply r;
  r.text = "";
  r.tool_calls = {{"call_1", "get_weather", R"({"city":"Paris"})"}};
  r.finish = "tool_calls";
  return r;
}

bj::array weatherTool() {
  return bj::array{
      bj::object{{"type", "function"},
                 {"name", "get_weather"},
                 {"description", "Weather of a city"},
                 {"parameters", bj::object{{"type", "object"},
                                           {"properties", bj::object{{"city", bj::object{{"type", "string"}}}}}}}}};
}

// The events of a Responses stream: (event name, data) in order.
std::vector<std::pair<std::string, bj::object>> events(const std::string& body) {
  std::vector<std::pair<std::string, bj::object>> out;
  std::size_t pos = 0;
  while ((pos = body.find("event: ", pos)) != std::string::npos) {
    auto line_end = body.find('\n', pos);
    std::string name = body.substr(pos + 7, line_end - pos - 7);
    auto data = body.find("data: ", line_end);
    auto data_end = body.find('\n', data);
    out.emplace_back(name, bj::parse(body.substr(data + 6, data_end - data - 6)).as_object());
    pos = data_end;
  }
  return out;
}

// The upstream chat request's messages (OpenAI wire).
bj::array sentMessages(const testing::ReceivedRequest& r) { return bj::parse(r.body).at("messages").as_array(); }

TEST_F(GatewayTest, ResponsesAnswersAStringInputWithInstructionsAndUsage) {
  start();
  upstream_.enqueue(FakeReply::text_reply("Bonjour!"));
  auto r = post("/v1/responses", bj::object{{"model", "gpt-4o-mini"},
                                            {"input", "Say hello in French"},
                                            {"instructions", "Be brief."},
                                            {"max_output_tokens", 50}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.json().as_object();
  EXPECT_EQ(v["object"], "response");
  EXPECT_EQ(std::string(v["id"].as_string()).rfind("resp_", 0), 0u);
  EXPECT_EQ(v["status"], "completed");
  EXPECT_EQ(v["model"], "gpt-4o-mini");
  EXPECT_EQ(v["instructions"], "Be brief.");
  EXPECT_EQ(v["max_output_tokens"], 50);
  const auto& item = v["output"].as_array().at(0).as_object();
  EXPECT_EQ(item.at("type"), "message");
  EXPECT_EQ(item.at("role"), "assistant");
  EXPECT_EQ(item.at("content").at(0).at("type"), "output_text");
  EXPECT_EQ(item.at("content").at(0).at("text"), "Bonjour!");
  EXPECT_EQ(v["usage"].at("input_tokens"), 12);
  EXPECT_EQ(v["usage"].at("output_tokens"), 7);
  EXPECT_EQ(v["usage"].at("total_tokens"), 19);

  auto received = upstream_.requests();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].header("Authorization"), "Bearer sk-provider-secret-0123456789");
  auto messages = sentMessages(received[0]);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].at("role"), "system");
  EXPECT_EQ(messages[0].at("content"), "Be brief.");
  EXPECT_EQ(messages[1].at("content"), "Say hello in French");
  EXPECT_EQ(bj::parse(received[0].body).at("max_tokens"), 50);

  // Recorded under the caller's key, priced, like a chat completion.
  gateway_->flushRecords();
  auto usage = get("/v1/usage");
  ASSERT_EQ(usage.status, 200) << usage.body;
  EXPECT_EQ(usage.json().at("total_calls"), 1);
  EXPECT_EQ(usage.json().at("total_tokens_used"), 19);
  EXPECT_GT(usage.json().at("total_cost").to_number<double>(), 0.0);
}

TEST_F(GatewayTest, ResponsesInputItemsCarryFunctionCallsAndTheirOutputs) {
  start();
  upstream_.enqueue(FakeReply::text_reply("It is sunny in Paris."));
  bj::array input{
      bj::object{{"role", "developer"}, {"content", "Use the tools."}},
      bj::object{{"type", "message"},
                 {"role", "user"},
                 {"content", bj::array{bj::object{{"type", "input_text"}, {"text", "Weather in Paris?"}}}}},
      bj::object{{"type", "function_call"},
                 {"id", "fc_1"},
                 {"call_id", "call_9"},
                 {"name", "get_weather"},
                 {"arguments", R"({"city":"Paris"})"}},
      bj::object{{"type", "function_call_output"}, {"call_id", "call_9"}, {"output", "sunny, 21C"}},
  };
  auto r = post("/v1/responses", bj::object{{"model", "gpt-4o-mini"}, {"input", input}, {"tools", weatherTool()}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("output").at(0).at("content").at(0).at("text"), "It is sunny in Paris.");
  auto sent = bj::parse(upstream_.requests().at(0).body).as_object();
  auto messages = sent["messages"].as_array();
  ASSERT_EQ(messages.size(), 4u) << sent;
  EXPECT_EQ(messages[0].at("role"), "system");
  EXPECT_EQ(messages[1].at("content"), "Weather in Paris?");
  EXPECT_EQ(messages[2].at("role"), "assistant");
  EXPECT_EQ(messages[2].at("tool_calls").at(0).at("id"), "call_9");
  EXPECT_EQ(messages[2].at("tool_calls").at(0).at("function").at("name"), "get_weather");
  EXPECT_EQ(messages[3].at("role"), "tool");
  EXPECT_EQ(messages[3].at("tool_call_id"), "call_9");
  EXPECT_EQ(messages[3].at("content"), "sunny, 21C");
  EXPECT_EQ(sent["tools"].at(0).at("function").at("name"), "get_weather");
}

TEST_F(GatewayTest, ResponsesToolCallComesBackAsAFunctionCallItem) {
  start();
  upstream_.enqueue(weatherCall());
  auto r = post("/v1/responses", bj::object{{"model", "gpt-4o-mini"},
                                            {"input", "Weather in Paris?"},
                                            {"tools", weatherTool()},
                                            {"tool_choice", "required"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.json();
  const auto& output = v.at("output").as_array();
  ASSERT_EQ(output.size(), 1u) << r.body;
  EXPECT_EQ(output[0].at("type"), "function_call");
  EXPECT_EQ(output[0].at("call_id"), "call_1");
  EXPECT_EQ(output[0].at("name"), "get_weather");
  EXPECT_EQ(output[0].at("arguments"), R"({"city":"Paris"})");
  EXPECT_EQ(output[0].at("status"), "completed");
  EXPECT_EQ(r.json().at("tool_choice"), "required");
  EXPECT_EQ(bj::parse(upstream_.requests().at(0).body).at("tool_choice"), "required");
}

TEST_F(GatewayTest, ResponsesStreamSendsItsEventsInOrder) {
  start();
  const std::string text = "The quick brown fox jumps over the lazy dog.";
  upstream_.enqueue(FakeReply::text_reply(text));
  auto r = post("/v1/responses", bj::object{{"model", "gpt-4o-mini"}, {"input", "Tell me"}, {"stream", true}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.header("Content-Type").find("text/event-stream"), std::string::npos);
  EXPECT_EQ(r.body.find("[DONE]"), std::string::npos);
  auto evs = events(r.body);
  ASSERT_GE(evs.size(), 8u) << r.body;
  std::vector<std::string> names;
  std::string streamed;
  for (std::size_t i = 0; i < evs.size(); ++i) {
    EXPECT_EQ(evs[i].second.at("type").as_string(), evs[i].first);
    EXPECT_EQ(evs[i].second.at("sequence_number"), static_cast<std::int64_t>(i));
    if (evs[i].first == "response.output_text.delta") streamed += evs[i].second.at("delta").as_string();
    if (names.empty() || names.back() != evs[i].first) names.push_back(evs[i].first);
  }
  EXPECT_EQ(streamed, text);
  std::vector<std::string> want{"response.created",           "response.in_progress",
                                "response.output_item.added", "response.content_part.added",
                                "response.output_text.delta", "response.output_text.done",
                                "response.content_part.done", "response.output_item.done",
                                "response.completed"};
  EXPECT_EQ(names, want) << r.body;
  const auto& created = evs.front().second.at("response").as_object();
  const auto& done = evs.back().second.at("response").as_object();
  EXPECT_EQ(created.at("status"), "in_progress");
  EXPECT_EQ(done.at("id"), created.at("id"));
  EXPECT_EQ(done.at("status"), "completed");
  EXPECT_EQ(done.at("output").at(0).at("content").at(0).at("text"), text.c_str());
  EXPECT_EQ(done.at("usage").at("total_tokens"), 19);
  // The item's id is the same in every event that names it.
  const auto& item_id = evs[2].second.at("item").at("id");
  for (const auto& [name, data] : evs) {
    if (name == "response.output_text.delta") EXPECT_EQ(data.at("item_id"), item_id);
  }
}

TEST_F(GatewayTest, ResponsesStreamedToolCallSendsArgumentDeltas) {
  start();
  upstream_.enqueue(weatherCall());
  auto r = post("/v1/responses", bj::object{{"model", "gpt-4o-mini"},
                                            {"input", "Weather in Paris?"},
                                            {"tools", weatherTool()},
                                            {"stream", true}});
  ASSERT_EQ(r.status, 200) << r.body;
  std::string arguments;
  bool added = false;
  bj::object done_item;
  for (const auto& [name, data] : events(r.body)) {
    if (name == "response.output_item.added" && data.at("item").at("type") == "function_call") {
      added = true;
      EXPECT_EQ(data.at("item").at("name"), "get_weather");
      EXPECT_EQ(data.at("item").at("call_id"), "call_1");
    }
    if (name == "response.function_call_arguments.delta") arguments += data.at("delta").as_string();
    if (name == "response.output_item.done") done_item = data.at("item").as_object();
  }
  EXPECT_TRUE(added) << r.body;
  EXPECT_EQ(arguments, R"({"city":"Paris"})");
  EXPECT_EQ(done_item.at("type"), "function_call");
  EXPECT_EQ(done_item.at("arguments"), R"({"city":"Paris"})");
}

TEST_F(GatewayTest, ResponsesPreviousResponseIdContinuesTheConversationOfItsTenantOnly) {
  start();
  upstream_.enqueue(FakeReply::text_reply("Paris is the capital of France."));
  auto first = post("/v1/responses", bj::object{{"model", "gpt-4o-mini"},
                                                {"input", "What is the capital of France?"},
                                                {"instructions", "Answer in one sentence."}});
  ASSERT_EQ(first.status, 200) << first.body;
  std::string id(first.json().at("id").as_string());

  upstream_.enqueue(FakeReply::text_reply("About two million."));
  auto second = post("/v1/responses", bj::object{{"model", "gpt-4o-mini"},
                                                 {"input", "How many people live there?"},
                                                 {"previous_response_id", id},
                                                 {"stream", true}});
  ASSERT_EQ(second.status, 200) << second.body;
  auto evs = events(second.body);
  ASSERT_FALSE(evs.empty());
  EXPECT_EQ(evs.back().second.at("response").at("previous_response_id"), id.c_str());
  auto messages = sentMessages(upstream_.requests().at(1));
  // The earlier instructions are not carried over (as OpenAI's API does).
  ASSERT_EQ(messages.size(), 3u) << bj::serialize(messages);
  EXPECT_EQ(messages[0].at("content"), "What is the capital of France?");
  EXPECT_EQ(messages[1].at("role"), "assistant");
  EXPECT_EQ(messages[1].at("content"), "Paris is the capital of France.");
  EXPECT_EQ(messages[2].at("content"), "How many people live there?");

  // A chain: the streamed answer was kept too.
  std::string second_id(evs.back().second.at("response").at("id").as_string());
  upstream_.enqueue(FakeReply::text_reply("Yes."));
  auto third = post("/v1/responses",
                    bj::object{{"model", "gpt-4o-mini"}, {"input", "Sure?"}, {"previous_response_id", second_id}});
  ASSERT_EQ(third.status, 200) << third.body;
  EXPECT_EQ(sentMessages(upstream_.requests().at(2)).size(), 5u);

  // Another tenant's key cannot continue it; an unknown id is refused.
  for (const auto& key : {other_key_, key_}) {
    auto refused = post("/v1/responses",
                        bj::object{{"model", "gpt-4o-mini"},
                                   {"input", "and?"},
                                   {"previous_response_id", key == key_ ? std::string("resp_unknown") : id}},
                        key);
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_EQ(refused.json().at("error").at("param"), "previous_response_id");
    EXPECT_EQ(refused.json().at("error").at("type"), "invalid_request_error");
  }
  EXPECT_EQ(upstream_.requests().size(), 3u);
}

TEST_F(GatewayTest, ResponsesItemReferencesNameEarlierOutputItems) {
  start();
  upstream_.enqueue(weatherCall());
  auto first = post("/v1/responses",
                    bj::object{{"model", "gpt-4o-mini"}, {"input", "Weather in Paris?"}, {"tools", weatherTool()}});
  ASSERT_EQ(first.status, 200) << first.body;
  std::string item_id(first.json().at("output").at(0).at("id").as_string());

  // As the Vercel AI SDK sends a tool loop's next step: the prompt, the
  // call by reference, and its output.
  upstream_.enqueue(FakeReply::text_reply("Sunny."));
  bj::array input{bj::object{{"role", "user"}, {"content", "Weather in Paris?"}},
                  bj::object{{"type", "item_reference"}, {"id", item_id}},
                  bj::object{{"type", "function_call_output"}, {"call_id", "call_1"}, {"output", "sunny"}}};
  auto second = post("/v1/responses", bj::object{{"model", "gpt-4o-mini"}, {"input", input}, {"tools", weatherTool()}});
  ASSERT_EQ(second.status, 200) << second.body;
  auto messages = sentMessages(upstream_.requests().at(1));
  ASSERT_EQ(messages.size(), 3u) << bj::serialize(messages);
  EXPECT_EQ(messages[1].at("role"), "assistant");
  EXPECT_EQ(messages[1].at("tool_calls").at(0).at("id"), "call_1");
  EXPECT_EQ(messages[1].at("tool_calls").at(0).at("function").at("arguments"), R"({"city":"Paris"})");
  EXPECT_EQ(messages[2].at("tool_call_id"), "call_1");

  // An item of another tenant, or none, is refused.
  input[1].as_object()["id"] = "fc_unknown_0";
  auto unknown = post("/v1/responses", bj::object{{"model", "gpt-4o-mini"}, {"input", input}});
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  input[1].as_object()["id"] = item_id;
  auto other = post("/v1/responses", bj::object{{"model", "gpt-4o-mini"}, {"input", input}}, other_key_);
  EXPECT_EQ(other.status, 400) << other.body;
  EXPECT_EQ(upstream_.requests().size(), 2u);
}

TEST_F(GatewayTest, ResponsesStoreFalseKeepsNothing) {
  start();
  upstream_.enqueue(FakeReply::text_reply("ok"));
  auto r = post("/v1/responses", bj::object{{"model", "gpt-4o-mini"}, {"input", "hi"}, {"store", false}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("store"), false);
  auto next = post("/v1/responses", bj::object{{"model", "gpt-4o-mini"},
                                               {"input", "again"},
                                               {"previous_response_id", r.json().at("id")}});
  EXPECT_EQ(next.status, 400) << next.body;
}

TEST_F(GatewayTest, ResponsesReachesAnAnthropicModelTranslated) {
  start();
  upstream_.enqueue(FakeReply::text_reply("From Claude."));
  auto r = post("/v1/responses",
                bj::object{{"model", "claude-3-5-haiku"}, {"input", "hello"}, {"instructions", "be kind"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("output").at(0).at("content").at(0).at("text"), "From Claude.");
  auto sent = upstream_.requests().at(0);
  EXPECT_EQ(sent.target, "/v1/messages");
  EXPECT_EQ(bj::parse(sent.body).at("system"), "be kind");
}

TEST_F(GatewayTest, ResponsesCutAtMaxOutputTokensIsIncomplete) {
  start();
  FakeReply cut = FakeReply::text_reply("Once upon a");
  cut.finish = "length";
  upstream_.enqueue(cut);
  auto whole = post("/v1/responses", bj::object{{"model", "gpt-4o-mini"}, {"input", "A story"}});
  ASSERT_EQ(whole.status, 200) << whole.body;
  EXPECT_EQ(whole.json().at("status"), "incomplete");
  EXPECT_EQ(whole.json().at("incomplete_details").at("reason"), "max_output_tokens");
  upstream_.enqueue(cut);
  auto streamed = post("/v1/responses", bj::object{{"model", "gpt-4o-mini"}, {"input", "A story"}, {"stream", true}});
  auto evs = events(streamed.body);
  ASSERT_FALSE(evs.empty()) << streamed.body;
  EXPECT_EQ(evs.back().first, "response.incomplete");
  EXPECT_EQ(evs.back().second.at("response").at("status"), "incomplete");
}

TEST_F(GatewayTest, ResponsesStreamThatFailsAfterItBeganEndsWithResponseFailed) {
  start();
  FakeReply broken = FakeReply::text_reply("This answer will be cut off somewhere in the middle of it.");
  broken.error_after_200 = true;
  upstream_.enqueue(broken);
  auto r = post("/v1/responses", bj::object{{"model", "gpt-4o-mini"}, {"input", "hi"}, {"stream", true}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto evs = events(r.body);
  ASSERT_FALSE(evs.empty()) << r.body;
  EXPECT_EQ(evs.front().first, "response.created");
  EXPECT_EQ(evs.back().first, "response.failed") << r.body;
  EXPECT_EQ(evs.back().second.at("response").at("status"), "failed");
  EXPECT_FALSE(evs.back().second.at("response").at("error").at("message").as_string().empty());
}

TEST_F(GatewayTest, ResponsesRefusesBadRequestsInOpenAiShape) {
  start();
  struct Case {
    bj::object body;
    std::string param;
  };
  std::vector<Case> cases{
      {bj::object{{"input", "hi"}}, "model"},
      {bj::object{{"model", "gpt-4o-mini"}}, "input"},
      {bj::object{{"model", "gpt-4o-mini"}, {"input", 42}}, "input"},
      {bj::object{{"model", "gpt-4o-mini"}, {"input", "hi"}, {"tools", bj::array{bj::object{{"type", "web_search"}}}}},
       "tools"},
      {bj::object{{"model", "gpt-4o-mini"}, {"input", bj::array{bj::object{{"type", "computer_call"}}}}}, "input"},
      {bj::object{{"model", "gpt-4o-mini"}, {"input", "hi"}, {"max_output_tokens", 0}}, "max_output_tokens"},
  };
  for (const auto& c : cases) {
    auto r = post("/v1/responses", c.body);
    EXPECT_EQ(r.status, 400) << bj::serialize(c.body) << " -> " << r.body;
    EXPECT_EQ(r.json().at("error").at("type"), "invalid_request_error") << r.body;
    EXPECT_EQ(r.json().at("error").at("param"), c.param.c_str()) << r.body;
  }
  auto unknown = post("/v1/responses", bj::object{{"model", "no-such-model"}, {"input", "hi"}});
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(unknown.json().at("error").at("code"), "model_not_found");
  EXPECT_TRUE(upstream_.requests().empty());
}

}  // namespace
}  // namespace codecrew::gateway
