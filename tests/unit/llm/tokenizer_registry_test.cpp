// Models to encodings, estimates for unknown models, the shared cache, where
// rank files are looked for, and the `tokens count` command.
#include "app/tokens_command.h"
#include "llm/tokenizer/ranks_location.h"
#include "support/temp_dir.h"
#include "tokenizer_test_env.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include <sstream>
#include <thread>

namespace codecrew::llm::tokenizer {
namespace {

TEST(TokenizerRegistry, ModelsMapToTheirEncodings) {
  for (const char* m :
       {"gpt-4o", "gpt-4o-mini", "gpt-4o-2024-08-06", "chatgpt-4o-latest", "gpt-4.1", "gpt-4.1-nano", "o1", "o1-mini",
        "o3", "o3-mini", "o4-mini", "gpt-5", "openai/gpt-4o", "ft:gpt-4o-mini-2024-07-18:acme::abc123"}) {
    EXPECT_EQ(encodingForModel(m), "o200k_base") << m;
  }
  for (const char* m :
       {"gpt-4", "gpt-4-turbo", "gpt-4-0613", "gpt-3.5-turbo", "gpt-3.5-turbo-16k", "gpt-35-turbo",
        "text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002", "ft:gpt-3.5-turbo-0613:org::x"}) {
    EXPECT_EQ(encodingForModel(m), "cl100k_base") << m;
  }
  for (const char* m : {"claude-sonnet-4", "llama3.1:8b", "gemini-2.0-flash", "gpt-4oo", "o10", ""}) {
    EXPECT_FALSE(encodingForModel(m).has_value()) << m;
  }
}

TEST(TokenizerRegistry, UnknownModelsGetAnEstimateThatSaysSo) {
  TokenizerRegistry registry(testenv::ranksDir());
  auto count = registry.countForModel("claude-sonnet-4", "abcdefghi");
  ASSERT_TRUE(count.ok());
  EXPECT_TRUE(count->estimate);
  EXPECT_EQ(count->tokens, 3u);
  EXPECT_EQ(count->encoding, "");
  EXPECT_EQ(estimateTokens(""), 0u);
  EXPECT_EQ(estimateTokens("abcd"), 1u);

  auto exact = registry.countForModel("gpt-4o", "hello world");
  ASSERT_TRUE(exact.ok());
  EXPECT_FALSE(exact->estimate);
  EXPECT_EQ(exact->encoding, "o200k_base");
  EXPECT_EQ(exact->tokens, 2u);

  EXPECT_EQ(registry.forModel("mistral-large").error().code, core::ErrorCode::kNotFound);
}

TEST(TokenizerRegistry, LoadsEachEncodingOnceAcrossThreads) {
  TokenizerRegistry registry(testenv::ranksDir());
  std::vector<const Tokenizer*> seen(8, nullptr);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&, t] {
      auto tok = registry.forEncoding(t % 2 == 0 ? "cl100k_base" : "o200k_base");
      if (tok.ok()) seen[t] = tok->get();
    });
  }
  for (auto& th : threads) th.join();
  for (size_t t = 0; t < seen.size(); ++t) {
    ASSERT_NE(seen[t], nullptr);
    EXPECT_EQ(seen[t], seen[t % 2]);
  }
  EXPECT_NE(seen[0], seen[1]);
}

TEST(TokenizerRegistry, AFailedLoadIsNotCached) {
  codecrew::testing::TempDir dir;
  TokenizerRegistry registry(dir.path());
  EXPECT_EQ(registry.forEncoding("cl100k_base").error().code, core::ErrorCode::kNotFound);
  dir.write("cl100k_base.tiktoken", testenv::readFile(testenv::ranksDir() + "/cl100k_base.tiktoken"));
  EXPECT_TRUE(registry.forEncoding("cl100k_base").ok());
}

TEST(TokenizerRanksLocation, EnvThenConfigThenBesideTheBinary) {
  const auto config = boost::json::parse(R"({"tokenizer": {"ranks_dir": "/from/config"}})").as_object();
  EXPECT_EQ(resolveRanksDir(&config, {{"CODECREW_TIKTOKEN_DIR", "/from/env"}}), "/from/env");
  EXPECT_EQ(resolveRanksDir(&config, {}), "/from/config");
  // The test binary sits in <build>/tests/ and the build writes <build>/share/tiktoken/.
  EXPECT_EQ(std::filesystem::weakly_canonical(resolveRanksDir(nullptr, {})),
            std::filesystem::weakly_canonical(testenv::ranksDir()));
  EXPECT_EQ(ranksFile("/d", "o200k_base"), "/d/o200k_base.tiktoken");
}

struct CommandRun {
  int code;
  std::string out;
  std::string err;
};

CommandRun runCommand(app::TokensCountOptions options, const std::string& stdin_text) {
  if (options.ranks_dir.empty()) options.ranks_dir = testenv::ranksDir();
  std::istringstream in(stdin_text);
  std::ostringstream out;
  std::ostringstream err;
  const int code = app::runTokensCount(options, in, out, err);
  return {code, out.str(), err.str()};
}

TEST(TokensCountCommand, CountsStandardInputAndFiles) {
  const std::string text = "The quick brown fox jumps over the lazy dog.\n";
  const auto o200k = testenv::tokenizerFor("o200k_base");
  const auto cl100k = testenv::tokenizerFor("cl100k_base");
  ASSERT_TRUE(o200k && cl100k);

  auto r = runCommand({}, text);
  EXPECT_EQ(r.code, app::kTokensOk);
  EXPECT_EQ(r.out, std::to_string(o200k->count(text)) + "\n");

  codecrew::testing::TempDir dir;
  const auto file = dir.write("in.txt", text + text).string();
  r = runCommand({.encoding = "cl100k_base", .input = file}, "");
  EXPECT_EQ(r.code, app::kTokensOk);
  EXPECT_EQ(r.out, std::to_string(cl100k->count(text + text)) + "\n");

  r = runCommand({.model = "gpt-4"}, text);
  EXPECT_EQ(r.out, std::to_string(cl100k->count(text)) + "\n");
}

TEST(TokensCountCommand, EstimatesUnknownModelsAndSaysSo) {
  const auto r = runCommand({.model = "claude-sonnet-4"}, "12345678");
  EXPECT_EQ(r.code, app::kTokensOk);
  EXPECT_EQ(r.out, "2\n");
  EXPECT_NE(r.err.find("estimate"), std::string::npos);
}

TEST(TokensCountCommand, RejectsBadOptionsAndMissingFiles) {
  EXPECT_EQ(runCommand({.encoding = "o200k_base", .model = "gpt-4o"}, "x").code, app::kTokensUsage);
  EXPECT_EQ(runCommand({.encoding = "p50k_base"}, "x").code, app::kTokensUsage);
  const auto missing = runCommand({.input = "/nonexistent/file.txt"}, "");
  EXPECT_EQ(missing.code, app::kTokensFailed);
  EXPECT_NE(missing.err.find("/nonexistent/file.txt"), std::string::npos);
  codecrew::testing::TempDir empty;
  EXPECT_EQ(runCommand({.ranks_dir = empty.str()}, "x").code, app::kTokensFailed);
}

}  // namespace
}  // namespace codecrew::llm::tokenizer
