// Amazon Bedrock against the real binary and the fake upstream's Bedrock,
// which verifies the SigV4 signature of every request: AWS credentials, a
// region and AWS_ENDPOINT_URL_BEDROCK_RUNTIME alone run a built-in crew end
// to end (recorded with --record, then replayed with no AWS at all); the
// gateway's OpenAI and Anthropic dialects reach a Bedrock model, whole and
// streamed; and half a key pair or a missing region stop start-up with a
// message naming the variable.
#include "fake_upstream.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace codecrew::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

// Only the AWS variables of `aws` set among the provider variables.
std::map<std::string, std::string> bedrockAwsOnly(std::map<std::string, std::string> aws) {
  std::map<std::string, std::string> env = {{"OPENAI_API_KEY", ""},
                                            {"OPENAI_BASE_URL", ""},
                                            {"ANTHROPIC_API_KEY", ""},
                                            {"ANTHROPIC_BASE_URL", ""},
                                            {"GEMINI_API_KEY", ""},
                                            {"GROQ_API_KEY", ""},
                                            {"OPENROUTER_API_KEY", ""},
                                            {"AZURE_OPENAI_ENDPOINT", ""},
                                            {"AZURE_OPENAI_API_KEY", ""},
                                            {"OLLAMA_HOST", ""},
                                            {"CODECREW_MODEL", ""},
                                            {"CODECREW_CREWS_DIR", ""},
                                            {"AWS_ACCESS_KEY_ID", ""},
                                            {"AWS_SECRET_ACCESS_KEY", ""},
                                            {"AWS_SESSION_TOKEN", ""},
                                            {"AWS_REGION", ""},
                                            {"AWS_DEFAULT_REGION", ""},
                                            {"AWS_ENDPOINT_URL", ""},
                                            {"AWS_ENDPOINT_URL_BEDROCK_RUNTIME", ""},
                                            {"CODECREW_LOG_LEVEL", "info"}};
  for (auto& [k, v] : aws) env[k] = v;
  return env;
}

std::map<std::string, std::string> bedrockFakeAws(const FakeUpstream& upstream, const FakeAwsAccount& account) {
  return bedrockAwsOnly({{"AWS_ACCESS_KEY_ID", account.access_key_id},
                         {"AWS_SECRET_ACCESS_KEY", account.secret_access_key},
                         {"AWS_SESSION_TOKEN", account.session_token},
                         {"AWS_REGION", account.region},
                         {"AWS_ENDPOINT_URL_BEDROCK_RUNTIME", upstream.baseUrl()}});
}

std::string writeBedrockConfig(const TempDir& dir, const std::string& text = "") {
  auto path = (dir.path() / "codecrew.toml").string();
  std::ofstream(path) << text;
  return path;
}

FakeAwsAccount bedrockAccount() {
  FakeAwsAccount a;
  a.session_token = "IQoJb3JpZ2luX2VjEXAMPLE-session-token";
  a.region = "eu-west-1";
  a.max_skew_seconds = 300;  // the binary signs with the real time
  return a;
}

json::array bedrockRecordedCalls(const std::string& data, const std::string& config,
                                 const std::map<std::string, std::string>& env) {
  ServerProcess dev(CODECREW_BINARY, data, {"--dev", "--no-engine", "--config", config}, env);
  HttpClient c("127.0.0.1", dev.port());
  auto workflows = c.request("GET", "/workflows").json();
  auto wf = workflows.at("workflows").at(0).at("id").as_int64();
  return c.request("GET", "/workflows/" + std::to_string(wf) + "/llm-calls?page_size=200")
      .json()
      .at("calls")
      .as_array();
}

TEST(Bedrock, AwsCredentialsAloneRunACrewRecordedThenReplayedWithoutAws) {
  FakeUpstream upstream;
  ASSERT_TRUE(upstream.start().ok());
  upstream.setAwsAccount(bedrockAccount());
  upstream.setDefault(FakeReply::text_reply(
      R"({"verdict": "approve", "summary": "Small and clear.", "comments": [{"path": "a.py", "comment": "fine"}]})"));
  TempDir dir;
  const auto config = writeBedrockConfig(dir);
  const auto cassette = (dir.path() / "bedrock.cassette.jsonl").string();
  const auto env = bedrockFakeAws(upstream, bedrockAccount());
  auto recorded = runCommand(CODECREW_BINARY,
                             {"run", "Review the code", "--repo", (dir.path() / "repo").string(), "--crew", "review",
                              "--data-dir", (dir.path() / "var").string(), "--config", config, "--no-ask", "--record",
                              cassette},
                             env);
  ASSERT_EQ(recorded.exit_code, 0) << recorded.out << recorded.err;
  EXPECT_EQ(upstream.rejectedSignatures(), 0u);
  auto requests = upstream.requests();
  ASSERT_FALSE(requests.empty());
  for (const auto& r : requests) {
    EXPECT_EQ(r.kind, WireKind::kBedrock);
    EXPECT_EQ(r.target.rfind("/model/amazon.nova-pro-v1%3A0/", 0), 0u) << r.target;
    EXPECT_EQ(r.header("X-Amz-Security-Token"), bedrockAccount().session_token);
  }
  auto calls = bedrockRecordedCalls((dir.path() / "var").string(), config, env);
  ASSERT_EQ(calls.size(), requests.size());
  for (const auto& c : calls) {
    EXPECT_EQ(c.at("provider").as_string(), "bedrock");
    EXPECT_EQ(c.at("model").as_string(), "amazon.nova-pro-v1:0");
    EXPECT_GT(c.at("total_tokens").as_int64(), 0);
    EXPECT_GT(c.at("cost").to_number<double>(), 0) << json::serialize(c);  // priced from the built-in table
  }
  std::ifstream in(cassette);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find(R"("provider":"bedrock")"), std::string::npos);
  EXPECT_EQ(text.str().find(bedrockAccount().secret_access_key), std::string::npos);
  EXPECT_EQ(text.str().find(bedrockAccount().session_token), std::string::npos);

  // Replayed with no AWS configured at all: the same run, and not one request.
  const auto seen = upstream.requests().size();
  auto replayed = runCommand(CODECREW_BINARY,
                             {"run", "Review the code", "--repo", (dir.path() / "repo2").string(), "--crew", "review",
                              "--data-dir", (dir.path() / "var2").string(), "--config", config, "--no-ask", "--replay",
                              cassette},
                             bedrockAwsOnly({}));
  EXPECT_EQ(replayed.exit_code, 0) << replayed.out << replayed.err;
  EXPECT_EQ(upstream.requests().size(), seen);
}

TEST(Bedrock, TheGatewayDialectsReachABedrockModel) {
  FakeUpstream upstream;
  ASSERT_TRUE(upstream.start().ok());
  upstream.setAwsAccount(bedrockAccount());
  TempDir dir;
  fs::create_directories(dir.path() / "var");
  ServerProcess server(CODECREW_BINARY, (dir.path() / "var").string(), {"--dev", "--config", writeBedrockConfig(dir)},
                       bedrockFakeAws(upstream, bedrockAccount()));
  HttpClient c("127.0.0.1", server.port());

  upstream.enqueue(FakeReply::text_reply("OpenAI dialect, Bedrock model."));
  auto openai = c.request("POST", "/v1/chat/completions",
                          R"({"model": "bedrock/amazon.nova-lite-v1:0",
                              "messages": [{"role": "user", "content": "hi"}]})");
  ASSERT_EQ(openai.status, 200) << openai.body;
  EXPECT_EQ(openai.json().at("choices").at(0).at("message").at("content").as_string(),
            "OpenAI dialect, Bedrock model.");

  upstream.enqueue(FakeReply::text_reply("streamed to an OpenAI client"));
  auto openai_stream = c.request("POST", "/v1/chat/completions",
                                 R"({"model": "bedrock/amazon.nova-lite-v1:0", "stream": true,
                                     "messages": [{"role": "user", "content": "hi"}]})");
  ASSERT_EQ(openai_stream.status, 200) << openai_stream.body;
  EXPECT_NE(openai_stream.body.find("data: [DONE]"), std::string::npos);
  std::string streamed;
  for (std::size_t at = 0; (at = openai_stream.body.find("\"content\":\"", at)) != std::string::npos;) {
    at += 11;
    streamed += openai_stream.body.substr(at, openai_stream.body.find('"', at) - at);
  }
  EXPECT_EQ(streamed, "streamed to an OpenAI client");

  upstream.enqueue(FakeReply::text_reply("Anthropic dialect, Bedrock model."));
  auto anthropic = c.request("POST", "/v1/messages",
                             R"({"model": "bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0", "max_tokens": 100,
                                 "messages": [{"role": "user", "content": "hi"}]})");
  ASSERT_EQ(anthropic.status, 200) << anthropic.body;
  EXPECT_EQ(anthropic.json().at("content").at(0).at("text").as_string(), "Anthropic dialect, Bedrock model.");

  upstream.enqueue(FakeReply::text_reply("streamed to an Anthropic client"));
  auto anthropic_stream = c.request("POST", "/v1/messages",
                                    R"({"model": "bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0",
                                        "max_tokens": 100, "stream": true,
                                        "messages": [{"role": "user", "content": "hi"}]})");
  ASSERT_EQ(anthropic_stream.status, 200) << anthropic_stream.body;
  EXPECT_NE(anthropic_stream.body.find("event: message_stop"), std::string::npos) << anthropic_stream.body;
  EXPECT_NE(anthropic_stream.body.find("text_delta"), std::string::npos);

  auto requests = upstream.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].target, "/model/amazon.nova-lite-v1%3A0/converse");
  EXPECT_EQ(requests[1].target, "/model/amazon.nova-lite-v1%3A0/converse-stream");
  EXPECT_EQ(requests[2].target, "/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse");
  EXPECT_EQ(requests[3].target, "/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream");
  EXPECT_EQ(upstream.rejectedSignatures(), 0u);

  // Embeddings through Titan: one InvokeModel call per input.
  auto embeddings = c.request("POST", "/v1/embeddings",
                              R"({"model": "bedrock/amazon.titan-embed-text-v2:0", "input": ["one", "two"]})");
  ASSERT_EQ(embeddings.status, 200) << embeddings.body;
  EXPECT_EQ(embeddings.json().at("data").as_array().size(), 2u);
  EXPECT_EQ(upstream.requests().size(), 6u);
  EXPECT_EQ(upstream.requests().back().target, "/model/amazon.titan-embed-text-v2%3A0/invoke");
  EXPECT_EQ(upstream.rejectedSignatures(), 0u);

  // A throttled model is a 429 the client can act on, not a 500.
  for (int i = 0; i < 3; ++i) upstream.enqueue(FakeReply::error(429, "Too many requests, please wait"));
  auto throttled = c.request("POST", "/v1/chat/completions",
                             R"({"model": "bedrock/amazon.nova-lite-v1:0",
                                 "messages": [{"role": "user", "content": "hi"}]})");
  EXPECT_NE(throttled.status, 200);
  server.terminate();
  auto log = server.stderrText();
  EXPECT_EQ(log.find(bedrockAccount().secret_access_key), std::string::npos);
  EXPECT_EQ(log.find(bedrockAccount().session_token), std::string::npos);
}

TEST(Bedrock, DoctorSaysWhereTheCredentialsAndRegionCameFrom) {
  TempDir dir;
  auto doctor = runCommand(CODECREW_BINARY, {"doctor", "--config", writeBedrockConfig(dir)},
                           bedrockAwsOnly({{"AWS_ACCESS_KEY_ID", "AKIAFAKEBEDROCK00001"},
                                           {"AWS_SECRET_ACCESS_KEY", "fakeBedrockSecretKey/0123456789abcdefghij"},
                                           {"AWS_DEFAULT_REGION", "eu-central-1"}}));
  EXPECT_EQ(doctor.exit_code, 0) << doctor.out << doctor.err;
  EXPECT_NE(doctor.out.find(
                "bedrock      found    AWS credentials from AWS_ACCESS_KEY_ID (environment), region "
                "eu-central-1 (from AWS_DEFAULT_REGION), https://bedrock-runtime.eu-central-1.amazonaws.com"),
            std::string::npos)
      << doctor.out;
  EXPECT_NE(doctor.out.find("amazon.nova-pro-v1:0"), std::string::npos);
  EXPECT_EQ(doctor.out.find("fakeBedrockSecretKey"), std::string::npos);
}

TEST(Bedrock, HalfAKeyPairOrNoRegionStopsStartUpNamingTheVariable) {
  TempDir dir;
  auto half = runCommand(CODECREW_BINARY, {"doctor", "--config", writeBedrockConfig(dir)},
                         bedrockAwsOnly({{"AWS_ACCESS_KEY_ID", "AKIAFAKEBEDROCK00001"}, {"AWS_REGION", "us-east-1"}}));
  EXPECT_NE(half.exit_code, 0);
  EXPECT_NE((half.out + half.err).find("AWS_SECRET_ACCESS_KEY"), std::string::npos) << half.out << half.err;

  auto no_region = runCommand(CODECREW_BINARY,
                              {"doctor", "--config", writeBedrockConfig(dir, "[providers.aws]\nkind = \"bedrock\"\n")},
                              bedrockAwsOnly({{"AWS_ACCESS_KEY_ID", "AKIAFAKEBEDROCK00001"},
                                              {"AWS_SECRET_ACCESS_KEY", "fakeBedrockSecretKey/0123456789abcdefghij"}}));
  EXPECT_NE(no_region.exit_code, 0);
  EXPECT_NE((no_region.out + no_region.err).find("AWS_REGION"), std::string::npos) << no_region.out << no_region.err;
  EXPECT_EQ((no_region.out + no_region.err).find("fakeBedrockSecretKey"), std::string::npos);
}

}  // namespace
}  // namespace codecrew::testing
