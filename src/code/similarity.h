// Similarity measures shared by the diff output (git's "similarity index" of
// a renamed file) and the patch appliers (how close a region of a file comes
// to the lines a hunk or a search block expected).
// Thread-safety: pure functions over their arguments.
#pragma once

#include <string_view>
#include <vector>

namespace codecrew::code {

// How much of two contents is shared, in percent (0..100): the bytes of the
// lines common to both (counted as a multiset) over the larger size. Two
// empty contents are 100% similar.
int contentSimilarityPercent(std::string_view a, std::string_view b);

// How alike two lines are, in [0, 1]: 1 for equal bytes, slightly less when
// only whitespace differs, else the Dice coefficient of character bigrams.
double lineSimilarity(std::string_view a, std::string_view b);

// The mean lineSimilarity of expected[i] and actual[i]; sizes must be equal.
double regionSimilarity(const std::vector<std::string_view>& expected, const std::vector<std::string_view>& actual);

}  // namespace codecrew::code
