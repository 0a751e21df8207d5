// TokenizerRegistry: which encoding a model uses, and a cache of loaded
// encodings so each rank file is read once per process. Models with no known
// encoding get an estimate (bytes / 4, rounded up) that says it is one.
// Thread-safety: all methods are safe from any thread; the first caller for an
// encoding loads it while later callers for it wait, and a failed load is not
// cached (the next call tries again).
#pragma once

#include "core/result.h"
#include "llm/tokenizer/tokenizer.h"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace codecrew::llm::tokenizer {

// The encoding tiktoken uses for a model ("o200k_base", "cl100k_base"), or
// nothing when unknown. Accepts provider prefixes ("openai/gpt-4o") and
// fine-tune names ("ft:gpt-4o-mini:org::id").
std::optional<std::string> encodingForModel(std::string_view model);

// ceil(bytes / 4): the stand-in count for text whose encoding is unknown.
size_t estimateTokens(std::string_view text);

struct TokenCount {
  size_t tokens = 0;
  bool estimate = false;  // true: no encoding known; tokens is estimateTokens()
  std::string encoding;   // the encoding used; empty when estimate
};

class TokenizerRegistry {
 public:
  explicit TokenizerRegistry(std::filesystem::path ranks_dir) : ranks_dir_(std::move(ranks_dir)) {}

  const std::filesystem::path& ranksDir() const { return ranks_dir_; }

  // The tokenizer of an encoding, loaded on first use. Errors as Tokenizer::load.
  core::Result<std::shared_ptr<const Tokenizer>> forEncoding(std::string_view encoding);

  // The tokenizer a model uses; kNotFound when the model's encoding is unknown.
  core::Result<std::shared_ptr<const Tokenizer>> forModel(std::string_view model);

  // The exact count for a model with a known encoding, else the estimate.
  // Fails only when a known encoding cannot be loaded.
  core::Result<TokenCount> countForModel(std::string_view model, std::string_view text);

 private:
  std::filesystem::path ranks_dir_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const Tokenizer>, std::less<>> loaded_;  // guarded by mu_
};

}  // namespace codecrew::llm::tokenizer
