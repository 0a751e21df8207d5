#include "core/utf8.h"

namespace codecrew::core {

std::size_t utf8SequenceLength(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  std::size_t extra = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
  if (c >= 0xC2 && c <= 0xDF) extra = 1;
  else if (c == 0xE0) extra = 2, lo = 0xA0;
  else if (c == 0xED) extra = 2, hi = 0x9F;
  else if (c >= 0xE1 && c <= 0xEF) extra = 2;
  else if (c == 0xF0) extra = 3, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) extra = 3;
  else if (c == 0xF4) extra = 3, hi = 0x8F;
  else return 0;
  if (i + extra >= s.size()) return 0;
  for (std::size_t k = 1; k <= extra; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
  }
  return extra + 1;
}

bool isStorableUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == 0) return false;
    const std::size_t n = utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace codecrew::core
