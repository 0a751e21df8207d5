#include "app/tokens_command.h"

#include "core/config.h"
#include "llm/tokenizer/ranks_location.h"
#include "llm/tokenizer/tokenizer_registry.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace codecrew::app {
using namespace codecrew::llm::tokenizer;
namespace {

bool readInput(const std::string& input, std::istream& in, std::string& text, std::ostream& err) {
  std::ostringstream buffer;
  if (input == "-") {
    buffer << in.rdbuf();
  } else {
    std::ifstream file(input, std::ios::binary);
    if (!file) {
      err << "tokens count: cannot read " << input << "\n";
      return false;
    }
    buffer << file.rdbuf();
  }
  text = std::move(buffer).str();
  return true;
}

}  // namespace

int runTokensCount(const TokensCountOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  if (options.encoding && options.model) {
    err << "tokens count: give --encoding or --model, not both\n";
    return kTokensUsage;
  }
  std::string encoding = options.encoding.value_or("o200k_base");
  bool estimate = false;
  if (options.model) {
    const auto known = encodingForModel(*options.model);
    estimate = !known.has_value();
    if (known) encoding = *known;
  } else if (std::find(Tokenizer::encodingNames().begin(), Tokenizer::encodingNames().end(), encoding) ==
             Tokenizer::encodingNames().end()) {
    err << "tokens count: unknown encoding '" << encoding << "' (known: cl100k_base, o200k_base)\n";
    return kTokensUsage;
  }
  std::string text;
  if (!readInput(options.input, in, text, err)) return kTokensFailed;
  if (estimate) {
    out << estimateTokens(text) << "\n";
    err << "tokens count: no known encoding for model '" << *options.model << "'; the count is an estimate (bytes/4)\n";
    return kTokensOk;
  }
  const std::filesystem::path dir = options.ranks_dir.empty() ? resolveRanksDir(nullptr, core::processEnv())
                                                              : std::filesystem::path(options.ranks_dir);
  auto tokenizer = Tokenizer::load(encoding, ranksFile(dir, encoding).string());
  if (!tokenizer) {
    err << "tokens count: " << tokenizer.error().message << "\n";
    return kTokensFailed;
  }
  out << (*tokenizer)->count(text) << "\n";
  return kTokensOk;
}

}  // namespace codecrew::app
