#include "llm/tokenizer/code_point_class.h"

#include <unicode/uchar.h>

#include <array>
#include <memory>

namespace codecrew::llm::tokenizer {
namespace {

uint16_t classifyWithIcu(uint32_t cp) {
  const auto c = static_cast<UChar32>(cp);
  uint16_t bits = 0;
  switch (static_cast<UCharCategory>(u_charType(c))) {
    case U_UPPERCASE_LETTER:
    case U_TITLECASE_LETTER: bits = kLetter | kUpperLike; break;
    case U_LOWERCASE_LETTER: bits = kLetter | kLowerLike; break;
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER: bits = kLetter | kUpperLike | kLowerLike; break;
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK: bits = kMark | kUpperLike | kLowerLike; break;
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER: bits = kNumber; break;
    default: break;
  }
  if (u_hasBinaryProperty(c, UCHAR_WHITE_SPACE)) bits |= kWhitespace;
  if (cp == '\r' || cp == '\n') bits |= kLineBreak;
  if (cp == ' ') bits |= kAsciiSpace;
  if (cp == '\'') bits |= kApostrophe;
  if (cp == '/') bits |= kSlash;
  return bits;
}

// The Basic Multilingual Plane, precomputed: nearly all text stays inside it.
class BmpTable {
 public:
  BmpTable() {
    for (uint32_t cp = 0; cp < kSize; ++cp) bits_[cp] = classifyWithIcu(cp);
  }
  uint16_t at(uint32_t cp) const { return bits_[cp]; }
  static constexpr uint32_t kSize = 0x10000;

 private:
  std::array<uint16_t, kSize> bits_;
};

const BmpTable& bmpTable() {
  static const auto* table = new BmpTable();  // never destroyed: safe during exit
  return *table;
}

}  // namespace

uint16_t classify(uint32_t cp) {
  if (cp < BmpTable::kSize) return bmpTable().at(cp);
  if (cp > 0x10FFFF) return 0;
  return classifyWithIcu(cp);
}

}  // namespace codecrew::llm::tokenizer
