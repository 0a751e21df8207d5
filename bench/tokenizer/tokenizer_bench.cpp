// Tokenizer throughput: encode and count on one corpus, for both encodings,
// plus a long one-character run (the case a quadratic merge cannot finish).
// The corpus is the file named by TOKENIZER_BENCH_CORPUS, or else the files
// of tests/data/tokenizer/corpus concatenated and repeated. Rank files come
// from CODECREW_TIKTOKEN_DIR, or else the build's share/tiktoken.
// Reports figures only; run.sh compares them with the npm tokenizers.
#include "llm/tokenizer/tokenizer_registry.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace {

using codecrew::llm::tokenizer::Tokenizer;
using codecrew::llm::tokenizer::TokenizerRegistry;

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string loadCorpus() {
  if (const char* path = std::getenv("TOKENIZER_BENCH_CORPUS"); path != nullptr && *path != '\0') {
    return readFile(path);
  }
  std::string one;
  for (const auto& entry : std::filesystem::directory_iterator(CODECREW_TOKENIZER_CORPUS_DIR)) {
    one += readFile(entry.path());
  }
  std::string corpus;
  for (int k = 0; k < 40; ++k) corpus += one;
  return corpus;
}

std::shared_ptr<const Tokenizer> loadTokenizer(TokenizerRegistry& registry, const std::string& name) {
  auto tok = registry.forEncoding(name);
  if (!tok) {
    std::cerr << "tokenizer_bench: " << tok.error().message << "\n";
    std::exit(1);
  }
  return *tok;
}

void registerFor(const std::shared_ptr<const Tokenizer>& tok, const std::string& corpus) {
  const std::string name = tok->name();
  benchmark::RegisterBenchmark(("encode/" + name).c_str(), [tok, &corpus](benchmark::State& state) {
    size_t tokens = 0;
    for (auto _ : state) {
      auto ids = tok->encode(corpus);
      tokens = ids.size();
      benchmark::DoNotOptimize(ids.data());
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.size()));
    state.counters["tokens"] = static_cast<double>(tokens);
  })->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(("count/" + name).c_str(), [tok, &corpus](benchmark::State& state) {
    size_t tokens = 0;
    for (auto _ : state) benchmark::DoNotOptimize(tokens = tok->count(corpus));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.size()));
    state.counters["tokens"] = static_cast<double>(tokens);
  })->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(("long_run_a_x100000/" + name).c_str(), [tok](benchmark::State& state) {
    const std::string run(100000, 'a');
    size_t tokens = 0;
    for (auto _ : state) benchmark::DoNotOptimize(tokens = tok->count(run));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * run.size()));
    state.counters["tokens"] = static_cast<double>(tokens);
  })->Unit(benchmark::kMillisecond);
}

}  // namespace

int main(int argc, char** argv) {
  const char* env_dir = std::getenv("CODECREW_TIKTOKEN_DIR");
  TokenizerRegistry registry(env_dir != nullptr && *env_dir != '\0' ? env_dir : CODECREW_TIKTOKEN_BUILD_DIR);
  static const std::string corpus = loadCorpus();
  std::cerr << "tokenizer_bench: corpus of " << corpus.size() << " bytes\n";
  for (const char* name : {"cl100k_base", "o200k_base"}) registerFor(loadTokenizer(registry, name), corpus);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
