// Cassettes: recording any provider to JSONL (header with origin, requests,
// responses, stream chunks with timing, errors), replaying by agent/step/call
// index, the strict prompt check naming the first mismatch, and the replay
// command's summary.
#include "llm/cassette/cassette.h"
#include "app/replay_command.h"
#include "llm/cassette/recording_provider.h"
#include "llm/cassette/replay_provider.h"
#include "llm/providers/stream_assembler.h"
#include "llm/types_json.h"
#include "llm_test_util.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <fstream>
#include <sstream>

namespace codecrew::llm {
namespace {

ChatRequest ask(const std::string& text) {
  ChatRequest r;
  r.model = "m";
  r.messages = {Message::system("sys"), Message::user(text)};
  return r;
}

CallOptions at(const std::string& agent, const std::string& step, int index) {
  CallOptions o;
  o.agent = agent;
  o.step = step;
  o.call_index = index;
  return o;
}

TEST(Cassette, RecordsAndReplaysChatsStreamsAndErrors) {
  testing::TempDir dir;
  auto path = dir.str() + "/run.jsonl";
  auto inner = std::make_shared<test::ScriptedProvider>("openai");
  inner->pushText("plan: three steps", 40, 12);
  inner->pushText("streamed code");
  inner->pushError(FailureKind::kRateLimited, 429);
  {
    auto writer = CassetteWriter::create(path, CassetteHeader{1, "recorded", "2026-11-21T10:00:00Z", "unit test"});
    ASSERT_TRUE(writer.ok());
    RecordingProvider recorder(inner, writer.value(), core::SystemClock::instance());
    ASSERT_TRUE(test::run(recorder.chat(ask("plan it"), at("planner", "PLANNING", 0))).ok());
    std::vector<StreamDelta> live;
    auto streamed = test::run(
        recorder.stream(ask("code it"), at("coder", "BUILD", 0), [&](const StreamDelta& d) { live.push_back(d); }));
    ASSERT_TRUE(streamed.ok());
    EXPECT_EQ(live.size(), 1u);
    EXPECT_FALSE(test::run(recorder.chat(ask("again"), at("coder", "BUILD", 1))).ok());
  }
  auto cassette = Cassette::load(path);
  ASSERT_TRUE(cassette.ok()) << cassette.error().message;
  EXPECT_EQ(cassette->header.origin, "recorded");
  ASSERT_EQ(cassette->entries.size(), 3u);
  EXPECT_EQ(cassette->entries[1].mode, "stream");
  EXPECT_EQ(cassette->entries[1].chunks.size(), 1u);
  ASSERT_TRUE(cassette->entries[2].error);

  ReplayProvider replay(cassette.value(), {true});
  auto plan = test::run(replay.chat(ask("plan it"), at("planner", "PLANNING", 0)));
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(plan->message.content, "plan: three steps");
  EXPECT_EQ(plan->usage.prompt_tokens, 40);
  std::vector<StreamDelta> replayed;
  auto code = test::run(
      replay.stream(ask("code it"), at("coder", "BUILD", 0), [&](const StreamDelta& d) { replayed.push_back(d); }));
  ASSERT_TRUE(code.ok());
  ASSERT_EQ(replayed.size(), 1u);
  EXPECT_EQ(replayed[0].text, "streamed code");
  auto failed = test::run(replay.chat(ask("again"), at("coder", "BUILD", 1)));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(classifyFailure(failed.error()).kind, FailureKind::kRateLimited);
}

TEST(Cassette, AnEntryWithoutChunksStreamsItsResponseAsAModelWould) {
  CassetteEntry entry;
  entry.agent = "coder";
  entry.step = "BUILD";
  entry.mode = "stream";
  ChatResponse answer;
  answer.message.content = "Counts the words\nin  a file.";
  answer.message.tool_calls = {{"call_1", "write_file", R"({"path":"wc.py"})"}};
  answer.usage.prompt_tokens = 30;
  answer.usage.completion_tokens = 9;
  answer.finish_reason = FinishReason::kToolCalls;
  answer.raw_finish_reason = "tool_calls";
  entry.response = answer;
  Cassette cassette;
  cassette.entries.push_back(entry);
  ReplayProvider replay(cassette, {});
  std::vector<StreamDelta> deltas;
  auto got = test::run(
      replay.stream(ask("code it"), at("coder", "BUILD", 0), [&](const StreamDelta& d) { deltas.push_back(d); }));
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->message.content, answer.message.content);
  std::vector<std::string> pieces;
  std::size_t at_tool = 0, at_usage = 0, at_finish = 0;
  for (std::size_t i = 0; i < deltas.size(); ++i) {
    const auto& d = deltas[i];
    if (d.kind == StreamDelta::Kind::kText) pieces.push_back(d.text);
    if (d.kind == StreamDelta::Kind::kToolCall) {
      at_tool = i;
      EXPECT_EQ(d.tool_id, "call_1");
      EXPECT_EQ(d.tool_name, "write_file");
      EXPECT_EQ(d.arguments_fragment, R"({"path":"wc.py"})");
    }
    if (d.kind == StreamDelta::Kind::kUsage) {
      at_usage = i;
      EXPECT_EQ(d.usage.completion_tokens, 9);
    }
    if (d.kind == StreamDelta::Kind::kFinish) {
      at_finish = i;
      EXPECT_EQ(d.finish_reason, FinishReason::kToolCalls);
    }
  }
  EXPECT_EQ(pieces, (std::vector<std::string>{"Counts ", "the ", "words\n", "in  ", "a ", "file."}));
  EXPECT_EQ(at_tool, pieces.size());
  EXPECT_EQ(at_usage, at_tool + 1);
  EXPECT_EQ(at_finish, deltas.size() - 1);
  // What a StreamAssembler builds from them is the recorded answer.
  StreamAssembler assembler;
  for (const auto& d : deltas) assembler.add(d);
  ChatResponse assembled = assembler.result();
  EXPECT_EQ(assembled.message.content, answer.message.content);
  ASSERT_EQ(assembled.message.tool_calls.size(), 1u);
  EXPECT_EQ(assembled.message.tool_calls[0].arguments, answer.message.tool_calls[0].arguments);
  EXPECT_EQ(assembled.usage.completion_tokens, 9);
}

TEST(Cassette, StrictReplayNamesTheFirstMismatch) {
  Cassette cassette;
  CassetteEntry e;
  e.agent = "coder";
  e.step = "BUILD";
  e.request = ask("write main.cpp");
  e.prompt_hash = promptHash(e.request);
  e.response = ChatResponse{};
  cassette.entries.push_back(e);
  ReplayProvider strict(cassette, {true});
  auto r = test::run(strict.chat(ask("write util.cpp"), at("coder", "BUILD", 0)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message.find("messages[1].content"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("agent 'coder', step 'BUILD', call 0"), std::string::npos);

  ReplayProvider lenient(cassette, {false});
  EXPECT_TRUE(test::run(lenient.chat(ask("write util.cpp"), at("coder", "BUILD", 0))).ok());
  auto missing = test::run(lenient.chat(ask("x"), at("coder", "BUILD", 1)));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("no recorded call"), std::string::npos);
}

TEST(Cassette, HandwrittenCassetteParsesAndSummarises) {
  std::string path = std::string(CODECREW_LLM_TEST_DATA) + "/replay_cassette.jsonl";
  auto cassette = Cassette::load(path);
  ASSERT_TRUE(cassette.ok()) << cassette.error().message;
  EXPECT_EQ(cassette->header.origin, "handwritten");
  std::ostringstream out, err;
  EXPECT_EQ(app::runReplayCommand(path, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("origin: handwritten"), std::string::npos);
  EXPECT_NE(out.str().find("2 call(s)"), std::string::npos) << out.str();
}

TEST(Cassette, BadCassettesAreRejectedWithTheLine) {
  EXPECT_FALSE(Cassette::parse("").ok());
  auto no_header = Cassette::parse(R"({"type":"call"})");
  ASSERT_FALSE(no_header.ok());
  EXPECT_NE(no_header.error().message.find("line 1"), std::string::npos);
  auto bad_origin = Cassette::parse(R"({"type":"header","version":1,"origin":"guessed"})");
  EXPECT_FALSE(bad_origin.ok());
  std::ostringstream out, err;
  EXPECT_EQ(app::runReplayCommand("/nonexistent/cassette.jsonl", out, err), 1);
  EXPECT_FALSE(err.str().empty());
}

TEST(TypesJson, RequestRoundTripsExactly) {
  ChatRequest r = ask("hello");
  r.tools.push_back(ToolSpec{"t", "d", boost::json::parse(R"({"type":"object"})")});
  r.tool_choice = ToolChoice{ToolChoice::Mode::kRequired, ""};
  r.temperature = 0.5;
  r.max_tokens = 10;
  r.stop = {"x"};
  r.response_format = ResponseFormat{ResponseFormat::Kind::kJsonSchema, "s", boost::json::parse("{}"), false};
  Message m = Message::assistant("");
  m.tool_calls.push_back(ToolCall{"id1", "t", "{}"});
  r.messages.push_back(m);
  auto back = chatRequestFromJson(toJson(r));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(toJson(back.value()), toJson(r));
  EXPECT_EQ(promptHash(back.value()), promptHash(r));
  ChatRequest other = r;
  other.model = "another";
  EXPECT_EQ(promptHash(other), promptHash(r));
}

}  // namespace
}  // namespace codecrew::llm
