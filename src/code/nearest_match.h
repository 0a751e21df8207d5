// Nearest-match diagnostics for edits that do not apply: where in a file the
// lines an edit expected come closest, how close, and the first line that
// differs. Shared by the unified-diff applier and the search/replace applier
// so that both explain a failure the same way.
// Thread-safety: pure functions over their arguments.
#pragma once

#include <boost/json/array.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace codecrew::code {

struct NearRegion {
  size_t line = 0;     // 1-based line of the region's first line
  double score = 0.0;  // mean line similarity in [0, 1]
};

// Up to `limit` regions of `fileLines` of expected.size() lines, best first,
// scoring at least 0.3. Large inputs are sampled coarsely (whole-line
// equality ignoring whitespace) to keep the cost bounded.
std::vector<NearRegion> findNearestRegions(const std::vector<std::string_view>& fileLines,
                                           const std::vector<std::string_view>& expected, size_t limit = 3);

// The first line of `expected` that differs from the file at 0-based `at`,
// described as "line N: expected '...' but found '...'" (or "... but the file
// ends"); nullopt when all of them match exactly.
std::optional<std::string> describeFirstMismatch(const std::vector<std::string_view>& fileLines,
                                                 const std::vector<std::string_view>& expected, size_t at);

// The regions as JSON objects {line, score, first_mismatch, lines}, where lines
// are the file's lines at that place (without line endings).
boost::json::array nearestRegionsJson(const std::vector<NearRegion>& regions,
                                      const std::vector<std::string_view>& fileLines,
                                      const std::vector<std::string_view>& expected);

// A line shown in a message: without its ending, cut to a readable length.
std::string showLine(std::string_view line);

}  // namespace codecrew::code
