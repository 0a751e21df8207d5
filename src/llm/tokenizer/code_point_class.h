// CodePointClass: the Unicode properties that tiktoken's pre-tokenisation
// patterns test (\p{L}, \p{N}, \p{M}, the letter sub-categories of o200k_base
// and \s), as a bit set per code point, backed by ICU's character database.
// Thread-safety: classify() is safe from any thread (the lookup table is built
// once, on first use, under the C++ static-initialisation guarantee).
#pragma once

#include <cstdint>

namespace codecrew::llm::tokenizer {

// Bits of a code point's class. A code point with none of kLetter, kNumber and
// kWhitespace is what the patterns call [^\s\p{L}\p{N}] ("punctuation").
enum CodePointBits : uint16_t {
  kLetter = 1 << 0,      // \p{L}
  kNumber = 1 << 1,      // \p{N}
  kMark = 1 << 2,        // \p{M}
  kWhitespace = 1 << 3,  // \s: the Unicode White_Space property
  kLineBreak = 1 << 4,   // \r or \n
  kUpperLike = 1 << 5,   // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
  kLowerLike = 1 << 6,   // [\p{Ll}\p{Lm}\p{Lo}\p{M}]
  kAsciiSpace = 1 << 7,  // U+0020 itself
  kApostrophe = 1 << 8,  // U+0027 itself
  kSlash = 1 << 9,       // U+002F itself
};

// The class bits of code point cp (0 for values beyond U+10FFFF).
uint16_t classify(uint32_t cp);

}  // namespace codecrew::llm::tokenizer
