// A failure's fingerprint: the same failure on another run (other times,
// counts, ids) has the same one; another check or another error does not.
#include "delivery/delivery_loop.h"
#include "delivery/pull_request_sync.h"

#include <gtest/gtest.h>

namespace codecrew::delivery {
namespace {

TEST(FailureFingerprint, DigitsAreMaskedNamesAndErrorsCount) {
  auto a = failureFingerprint("unit", "FAIL test_add (0.31s)\nassert 1 == 2 at line 14");
  auto b = failureFingerprint("unit", "FAIL test_add (12.07s)\nassert 3 == 4 at line 14");
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), 16u);
  EXPECT_NE(a, failureFingerprint("lint", "FAIL test_add (0.31s)\nassert 1 == 2 at line 14"));
  EXPECT_NE(a, failureFingerprint("unit", "FAIL test_sub (0.31s)\nassert 1 == 2 at line 14"));
}

TEST(OutputTail, KeepsTheEndFromALineStart) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "line " + std::to_string(i) + "\n";
  auto tail = outputTail(text, 100);
  EXPECT_LE(tail.size(), 110u);
  EXPECT_NE(tail.find("line 999"), std::string::npos);
  EXPECT_EQ(tail.rfind("…\nline ", 0), 0u) << tail;
  EXPECT_EQ(outputTail("short", 100), "short");
}

}  // namespace
}  // namespace codecrew::delivery
