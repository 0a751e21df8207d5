#include "code/nearest_match.h"

#include "code/similarity.h"
#include "code/text_lines.h"

#include <boost/json/object.hpp>

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace codecrew::code {

namespace {
constexpr double kMinScore = 0.3;
constexpr size_t kFineBudget = 2'000'000;  // line comparisons with character similarity
constexpr size_t kShownLineLength = 120;

double rounded(double v) { return std::round(v * 100.0) / 100.0; }

// Whole-line equality ignoring whitespace, over interned keys.
std::vector<double> coarseScores(const std::vector<std::string_view>& fileLines,
                                 const std::vector<std::string_view>& expected) {
  std::unordered_map<std::string, uint32_t> ids;
  auto idOf = [&](std::string_view l) {
    return ids.emplace(normalizeWhitespace(l), static_cast<uint32_t>(ids.size())).first->second;
  };
  std::vector<uint32_t> want, have;
  for (auto l : expected) want.push_back(idOf(l));
  for (auto l : fileLines) have.push_back(idOf(l));
  std::vector<double> scores(fileLines.size() - expected.size() + 1, 0.0);
  for (size_t p = 0; p < scores.size(); ++p) {
    size_t same = 0;
    for (size_t i = 0; i < want.size(); ++i) same += want[i] == have[p + i];
    scores[p] = static_cast<double>(same) / static_cast<double>(want.size());
  }
  return scores;
}

std::vector<double> fineScores(const std::vector<std::string_view>& fileLines,
                               const std::vector<std::string_view>& expected) {
  std::vector<double> scores(fileLines.size() - expected.size() + 1, 0.0);
  for (size_t p = 0; p < scores.size(); ++p) {
    double total = 0;
    for (size_t i = 0; i < expected.size(); ++i) total += lineSimilarity(expected[i], fileLines[p + i]);
    scores[p] = total / static_cast<double>(expected.size());
  }
  return scores;
}
}  // namespace

std::string showLine(std::string_view line) {
  std::string_view bare = stripLineEnding(line);
  if (bare.size() <= kShownLineLength) return std::string(bare);
  return std::string(bare.substr(0, kShownLineLength)) + "...";
}

std::vector<NearRegion> findNearestRegions(const std::vector<std::string_view>& fileLines,
                                           const std::vector<std::string_view>& expected, size_t limit) {
  if (expected.empty() || fileLines.size() < expected.size()) return {};
  bool fine = fileLines.size() * expected.size() <= kFineBudget;
  std::vector<double> scores = fine ? fineScores(fileLines, expected) : coarseScores(fileLines, expected);
  std::vector<size_t> order(scores.size());
  for (size_t p = 0; p < order.size(); ++p) order[p] = p;
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return scores[x] > scores[y]; });
  std::vector<NearRegion> out;
  for (size_t p : order) {
    if (out.size() >= limit || scores[p] < kMinScore) break;
    bool overlaps = std::any_of(out.begin(), out.end(), [&](const NearRegion& r) {
      size_t q = r.line - 1;
      return (p > q ? p - q : q - p) < std::max<size_t>(1, expected.size() / 2);
    });
    if (!overlaps) out.push_back({p + 1, rounded(scores[p])});
  }
  return out;
}

std::optional<std::string> describeFirstMismatch(const std::vector<std::string_view>& fileLines,
                                                 const std::vector<std::string_view>& expected, size_t at) {
  for (size_t i = 0; i < expected.size(); ++i) {
    std::string where = "line " + std::to_string(at + i + 1) + ": expected '" + showLine(expected[i]) + "'";
    if (at + i >= fileLines.size()) return where + " but the file ends";
    if (fileLines[at + i] == expected[i]) continue;
    std::string_view found = fileLines[at + i];
    if (stripLineEnding(found) == stripLineEnding(expected[i])) {
      return where + " but found the same text with a different line ending" +
             (hasNewline(found) ? "" : " (no newline at end of file)");
    }
    return where + " but found '" + showLine(found) + "'";
  }
  return std::nullopt;
}

boost::json::array nearestRegionsJson(const std::vector<NearRegion>& regions,
                                      const std::vector<std::string_view>& fileLines,
                                      const std::vector<std::string_view>& expected) {
  boost::json::array out;
  for (const auto& r : regions) {
    boost::json::object o;
    o["line"] = r.line;
    o["score"] = r.score;
    if (auto m = describeFirstMismatch(fileLines, expected, r.line - 1)) o["first_mismatch"] = *m;
    boost::json::array lines;
    for (size_t i = 0; i < expected.size() && r.line - 1 + i < fileLines.size(); ++i) {
      lines.emplace_back(showLine(fileLines[r.line - 1 + i]));
    }
    o["lines"] = std::move(lines);
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace codecrew::code
