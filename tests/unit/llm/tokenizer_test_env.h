// Shared by the tokenizer tests: where the build put the rank files and the
// committed fixtures are (compile definitions set in src/llm/CMakeLists.txt),
// and one registry per test process so each rank file is read once.
// Thread-safety: tokenizerTestRegistry() is safe from any thread.
#pragma once

#include "llm/tokenizer/tokenizer_registry.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace codecrew::llm::tokenizer::testenv {

inline std::string ranksDir() { return CODECREW_TIKTOKEN_TEST_DIR; }
inline std::string fixturesDir() { return CODECREW_TOKENIZER_FIXTURES; }

inline TokenizerRegistry& registry() {
  static TokenizerRegistry* shared = new TokenizerRegistry(ranksDir());
  return *shared;
}

// The tokenizer of an encoding; fails the calling test if it cannot load.
inline std::shared_ptr<const Tokenizer> tokenizerFor(const std::string& encoding) {
  auto loaded = registry().forEncoding(encoding);
  if (!loaded) {
    ADD_FAILURE() << "cannot load " << encoding << ": " << loaded.error().message;
    return nullptr;
  }
  return *loaded;
}

inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace codecrew::llm::tokenizer::testenv
