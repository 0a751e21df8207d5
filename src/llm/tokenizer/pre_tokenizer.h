// PreTokenizer: splits text into the pieces that byte-pair encoding then
// works on, exactly as tiktoken's regular expressions for cl100k_base and
// o200k_base do (leftmost alternative first, greedy quantifiers with the
// backtracking those patterns imply, and the \s+(?!\S) lookahead), written
// out by hand over UTF-8 code points so that it runs in linear time.
// Bytes that are not valid UTF-8 each form a code point of their own that is
// neither a letter, a number nor whitespace.
// Thread-safety: immutable after construction; split() is safe from any thread.
#pragma once

#include <string_view>
#include <vector>

namespace codecrew::llm::tokenizer {

enum class SplitPattern {
  kCl100kBase,  // '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}|
                // ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+
  kO200kBase,   // the seven-part pattern with upper/lower letter classes and [\r\n/]*
};

class PreTokenizer {
 public:
  explicit PreTokenizer(SplitPattern pattern) : pattern_(pattern) {}

  // Appends to `pieces` the consecutive, non-empty views into `text` whose
  // concatenation is `text`. Precondition: text.size() < 4 GiB (else
  // std::length_error: a programmer error).
  void split(std::string_view text, std::vector<std::string_view>& pieces) const;

 private:
  SplitPattern pattern_;
};

}  // namespace codecrew::llm::tokenizer
