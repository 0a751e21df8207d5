#include "tools/semantic/identifier_tokens.h"

#include <cctype>
#include <set>

namespace codecrew::tools {
namespace identifier_tokens_detail {

bool isWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool isStopWord(const std::string& w) {
  static const std::set<std::string> kWords = {"the",  "an",  "and",  "or",    "of",    "to",  "in",   "is",   "it",
                                               "for",  "on",  "by",   "be",    "as",    "at",  "that", "this", "with",
                                               "from", "how", "what", "where", "which", "are", "does", "do",   "we"};
  return kWords.count(w) > 0;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The camelCase / snake_case / digit parts of one word.
std::vector<std::string_view> partsOf(std::string_view word) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  auto flush = [&](std::size_t end) {
    if (end > start) parts.push_back(word.substr(start, end - start));
    start = end;
  };
  for (std::size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    if (c == '_') {
      flush(i);
      start = i + 1;
      continue;
    }
    if (i == start) continue;
    char p = word[i - 1];
    bool upper = std::isupper(static_cast<unsigned char>(c));
    bool digit = std::isdigit(static_cast<unsigned char>(c));
    bool prevLower = std::islower(static_cast<unsigned char>(p));
    bool prevUpper = std::isupper(static_cast<unsigned char>(p));
    bool prevDigit = std::isdigit(static_cast<unsigned char>(p));
    bool nextLower = i + 1 < word.size() && std::islower(static_cast<unsigned char>(word[i + 1]));
    if ((upper && (prevLower || prevDigit)) || (upper && prevUpper && nextLower) || (digit != prevDigit && p != '_'))
      flush(i);
  }
  flush(word.size());
  return parts;
}

}  // namespace identifier_tokens_detail

std::vector<std::string> identifierTokens(std::string_view text) {
  using namespace identifier_tokens_detail;
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!isWordChar(text[i])) {
      ++i;
      continue;
    }
    std::size_t start = i;
    while (i < text.size() && isWordChar(text[i])) ++i;
    std::string_view word = text.substr(start, i - start);
    std::string whole = lower(word);
    auto parts = partsOf(word);
    if (whole.size() > 1 && !isStopWord(whole)) out.push_back(whole);
    if (parts.size() > 1) {
      for (auto part : parts) {
        std::string p = lower(part);
        if (p.size() > 1 && !isStopWord(p)) out.push_back(std::move(p));
      }
    }
  }
  return out;
}

}  // namespace codecrew::tools
