#include "code/similarity.h"

#include "code/text_lines.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

namespace codecrew::code {

namespace {
constexpr double kWhitespaceOnlyScore = 0.95;
constexpr double kBigramWeight = 0.9;

std::vector<uint16_t> bigrams(std::string_view s) {
  std::vector<uint16_t> out;
  if (s.size() < 2) return out;
  out.reserve(s.size() - 1);
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    out.push_back(
        static_cast<uint16_t>((static_cast<unsigned char>(s[i]) << 8) | static_cast<unsigned char>(s[i + 1])));
  }
  std::sort(out.begin(), out.end());
  return out;
}

double diceCoefficient(std::string_view a, std::string_view b) {
  auto ba = bigrams(a), bb = bigrams(b);
  if (ba.empty() && bb.empty()) return a == b ? 1.0 : 0.0;
  size_t common = 0;
  for (size_t i = 0, j = 0; i < ba.size() && j < bb.size();) {
    if (ba[i] == bb[j]) ++common, ++i, ++j;
    else if (ba[i] < bb[j]) ++i;
    else ++j;
  }
  return 2.0 * static_cast<double>(common) / static_cast<double>(ba.size() + bb.size());
}
}  // namespace

int contentSimilarityPercent(std::string_view a, std::string_view b) {
  size_t larger = std::max(a.size(), b.size());
  if (larger == 0) return 100;
  std::unordered_map<std::string_view, long> counts;
  for (auto line : splitLines(a)) ++counts[line];
  size_t copied = 0;
  for (auto line : splitLines(b)) {
    auto it = counts.find(line);
    if (it != counts.end() && it->second > 0) {
      --it->second;
      copied += line.size();
    }
  }
  return static_cast<int>(copied * 100 / larger);
}

double lineSimilarity(std::string_view a, std::string_view b) {
  if (a == b) return 1.0;
  std::string na = normalizeWhitespace(a), nb = normalizeWhitespace(b);
  if (na == nb) return kWhitespaceOnlyScore;
  return kBigramWeight * diceCoefficient(na, nb);
}

double regionSimilarity(const std::vector<std::string_view>& expected, const std::vector<std::string_view>& actual) {
  if (expected.empty()) return 1.0;
  double total = 0;
  for (size_t i = 0; i < expected.size() && i < actual.size(); ++i) {
    total += lineSimilarity(expected[i], actual[i]);
  }
  return total / static_cast<double>(expected.size());
}

}  // namespace codecrew::code
