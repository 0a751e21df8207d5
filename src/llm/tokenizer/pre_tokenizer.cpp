#include "llm/tokenizer/pre_tokenizer.h"

#include "llm/tokenizer/code_point_class.h"

#include <cstdint>
#include <stdexcept>

namespace codecrew::llm::tokenizer {
namespace {

struct CodePoint {
  uint32_t offset;  // byte offset of the code point in the text
  uint16_t bits;    // CodePointBits
};

// Length of the valid UTF-8 sequence at s[i] and its value; 1 and 0xFFFFFFFF
// for a byte that does not start a valid sequence.
uint32_t decodeAt(std::string_view s, size_t i, uint32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  cp = 0xFFFFFFFF;
  uint32_t len = 0;
  uint32_t value = 0;
  uint32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    value = b0 & 0x1F;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    value = b0 & 0x0F;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    value = b0 & 0x07;
    min = 0x10000;
  } else return 1;
  if (i + len > s.size()) return 1;
  for (uint32_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 1;
    value = (value << 6) | (b & 0x3F);
  }
  if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 1;
  cp = value;
  return len;
}

// The text as code points, with a sentinel (offset = size, bits = 0) at the end.
std::vector<CodePoint> decode(std::string_view text) {
  std::vector<CodePoint> cps;
  cps.reserve(text.size() + 1);
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    const uint32_t len = decodeAt(text, i, cp);
    cps.push_back({static_cast<uint32_t>(i), cp == 0xFFFFFFFF ? uint16_t{0} : classify(cp)});
    i += len;
  }
  cps.push_back({static_cast<uint32_t>(text.size()), 0});
  return cps;
}

// Matches the patterns' regular expressions at code point index i of cps
// (n real code points, then the sentinel). Each method returns the end index
// of its alternative's match, or i when it does not match.
class Matcher {
 public:
  Matcher(std::string_view text, const std::vector<CodePoint>& cps) : text_(text), cps_(cps), n_(cps.size() - 1) {}

  size_t n() const { return n_; }

  size_t cl100k(size_t i) const {
    if (size_t e = contraction(i); e != i) return e;
    if (has(i, kLetter)) return runOf(i, kLetter);
    if (isPrefix(i) && has(i + 1, kLetter)) return runOf(i + 1, kLetter);
    if (size_t e = numbers(i); e != i) return e;
    if (size_t e = punctuation(i, false); e != i) return e;
    return whitespace(i);
  }

  size_t o200k(size_t i) const {
    if (isPrefix(i)) {
      if (size_t e = casedWordLowerTail(i + 1); e != i + 1) return e;
    }
    if (size_t e = casedWordLowerTail(i); e != i) return e;
    if (isPrefix(i)) {
      if (size_t e = casedWordUpperHead(i + 1); e != i + 1) return e;
    }
    if (size_t e = casedWordUpperHead(i); e != i) return e;
    if (size_t e = numbers(i); e != i) return e;
    if (size_t e = punctuation(i, true); e != i) return e;
    return whitespace(i);
  }

 private:
  bool has(size_t i, uint16_t bits) const { return (cps_[i].bits & bits) != 0; }
  bool isPunct(size_t i) const { return i < n_ && !has(i, kLetter | kNumber | kWhitespace); }
  // [^\r\n\p{L}\p{N}]
  bool isPrefix(size_t i) const { return i < n_ && !has(i, kLineBreak | kLetter | kNumber); }

  size_t runOf(size_t i, uint16_t bits) const {
    while (has(i, bits)) ++i;
    return i;
  }

  // The lower-cased ASCII letter at code point i, with U+017F (long s) as 's'
  // as Unicode case folding has it; 0 for anything else.
  char foldedLetter(size_t i) const {
    if (i >= n_) return 0;
    const size_t at = cps_[i].offset;
    const auto c = static_cast<unsigned char>(text_[at]);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return static_cast<char>(c | 0x20);
    if (c == 0xC5 && cps_[i + 1].offset == at + 2 && static_cast<unsigned char>(text_[at + 1]) == 0xBF) {
      return 's';
    }
    return 0;
  }

  // (?i:'s|'t|'re|'ve|'m|'ll|'d)
  size_t contraction(size_t i) const {
    if (!has(i, kApostrophe)) return i;
    const char a = foldedLetter(i + 1);
    if (a == 's' || a == 't' || a == 'm' || a == 'd') return i + 2;
    const char b = foldedLetter(i + 2);
    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return i + 3;
    return i;
  }

  // \p{N}{1,3}
  size_t numbers(size_t i) const {
    size_t e = i;
    while (e < i + 3 && has(e, kNumber)) ++e;
    return e;
  }

  // " ?[^\s\p{L}\p{N}]+[\r\n]*" (cl100k_base) or "...[\r\n/]*" (o200k_base)
  size_t punctuation(size_t i, bool slash_tail) const {
    size_t e = i;
    if (has(i, kAsciiSpace) && isPunct(i + 1)) e = i + 1;
    if (!isPunct(e)) return i;
    while (isPunct(e)) ++e;
    const uint16_t tail = slash_tail ? (kLineBreak | kSlash) : kLineBreak;
    return runOf(e, tail);
  }

  // \s*[\r\n]+ | \s+(?!\S) | \s+
  size_t whitespace(size_t i) const {
    if (!has(i, kWhitespace)) return i;
    size_t end = i;
    size_t last_break = n_;
    for (; has(end, kWhitespace); ++end) {
      if (has(end, kLineBreak)) last_break = end;
    }
    if (last_break != n_) return last_break + 1;
    if (end == n_ || end - i == 1) return end;
    return end - 1;
  }

  // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+ then an optional
  // contraction, matched from exactly p (the optional prefix already decided).
  size_t casedWordLowerTail(size_t p) const {
    size_t q = p;
    size_t last_both = n_;
    for (; has(q, kUpperLike); ++q) {
      if (has(q, kLowerLike)) last_both = q;
    }
    size_t end;
    if (has(q, kLowerLike)) {
      end = runOf(q, kLowerLike);
    } else if (last_both != n_) {
      end = last_both + 1;  // the upper run gives back up to its last shared code point
    } else {
      return p;
    }
    return contraction(end);
  }

  // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]* then an optional
  // contraction, matched from exactly p.
  size_t casedWordUpperHead(size_t p) const {
    if (!has(p, kUpperLike)) return p;
    return contraction(runOf(runOf(p, kUpperLike), kLowerLike));
  }

  std::string_view text_;
  const std::vector<CodePoint>& cps_;
  size_t n_;
};

}  // namespace

void PreTokenizer::split(std::string_view text, std::vector<std::string_view>& pieces) const {
  if (text.size() >= UINT32_MAX) throw std::length_error("PreTokenizer: text of 4 GiB or more");
  const std::vector<CodePoint> cps = decode(text);
  const Matcher matcher(text, cps);
  for (size_t i = 0; i < matcher.n();) {
    size_t end = pattern_ == SplitPattern::kCl100kBase ? matcher.cl100k(i) : matcher.o200k(i);
    if (end == i) end = i + 1;  // unreachable with these patterns; guarantees progress
    pieces.push_back(text.substr(cps[i].offset, cps[end].offset - cps[i].offset));
    i = end;
  }
}

}  // namespace codecrew::llm::tokenizer
