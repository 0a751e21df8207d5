#include "llm/tokenizer/tokenizer_registry.h"

#include "llm/tokenizer/ranks_location.h"

#include <array>

namespace codecrew::llm::tokenizer {
namespace {

struct ModelFamily {
  std::string_view name;  // matches the name itself and name + "-..."
  std::string_view encoding;
};

// Checked in order: longer names before the names they extend.
constexpr std::array kFamilies = {
    ModelFamily{"gpt-4o", "o200k_base"},
    ModelFamily{"chatgpt-4o", "o200k_base"},
    ModelFamily{"gpt-4.1", "o200k_base"},
    ModelFamily{"gpt-4.5", "o200k_base"},
    ModelFamily{"gpt-5", "o200k_base"},
    ModelFamily{"o1", "o200k_base"},
    ModelFamily{"o3", "o200k_base"},
    ModelFamily{"o4", "o200k_base"},
    ModelFamily{"gpt-4", "cl100k_base"},
    ModelFamily{"gpt-3.5-turbo", "cl100k_base"},
    ModelFamily{"gpt-3.5", "cl100k_base"},
    ModelFamily{"gpt-35-turbo", "cl100k_base"},
    ModelFamily{"text-embedding-3", "cl100k_base"},
    ModelFamily{"text-embedding-ada-002", "cl100k_base"},
    ModelFamily{"davinci-002", "cl100k_base"},
    ModelFamily{"babbage-002", "cl100k_base"},
};

std::string_view baseModelName(std::string_view model) {
  if (const size_t slash = model.rfind('/'); slash != std::string_view::npos) {
    model.remove_prefix(slash + 1);
  }
  if (model.starts_with("ft:")) {
    model.remove_prefix(3);
    model = model.substr(0, model.find(':'));
  }
  return model;
}

}  // namespace

std::optional<std::string> encodingForModel(std::string_view model) {
  const std::string_view base = baseModelName(model);
  for (const auto& family : kFamilies) {
    if (base == family.name ||
        (base.starts_with(family.name) && base.size() > family.name.size() && base[family.name.size()] == '-')) {
      return std::string(family.encoding);
    }
  }
  return std::nullopt;
}

size_t estimateTokens(std::string_view text) { return (text.size() + 3) / 4; }

core::Result<std::shared_ptr<const Tokenizer>> TokenizerRegistry::forEncoding(std::string_view encoding) {
  std::lock_guard lock(mu_);
  if (const auto it = loaded_.find(encoding); it != loaded_.end()) return it->second;
  auto loaded = Tokenizer::load(encoding, ranksFile(ranks_dir_, encoding).string());
  if (!loaded) return std::move(loaded).error();
  std::shared_ptr<const Tokenizer> tokenizer = std::move(*loaded);
  loaded_.emplace(std::string(encoding), tokenizer);
  return tokenizer;
}

core::Result<std::shared_ptr<const Tokenizer>> TokenizerRegistry::forModel(std::string_view model) {
  const auto encoding = encodingForModel(model);
  if (!encoding) {
    return core::Error::notFound("no known encoding for model '" + std::string(model) + "'");
  }
  return forEncoding(*encoding);
}

core::Result<TokenCount> TokenizerRegistry::countForModel(std::string_view model, std::string_view text) {
  const auto encoding = encodingForModel(model);
  if (!encoding) return TokenCount{estimateTokens(text), true, ""};
  auto tokenizer = forEncoding(*encoding);
  if (!tokenizer) return std::move(tokenizer).error();
  return TokenCount{(*tokenizer)->count(text), false, *encoding};
}

}  // namespace codecrew::llm::tokenizer
