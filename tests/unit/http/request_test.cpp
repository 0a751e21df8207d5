// Request's header lookup ignores ASCII case, as HTTP field names do.
#include "http/request.h"

#include <gtest/gtest.h>

namespace codecrew::http {
namespace {

TEST(RequestTest, HeaderNamesIgnoreAsciiCase) {
  Request req;
  req.headers.emplace("Content-Type", "application/json");
  req.headers.emplace("x-api-key", "k");
  EXPECT_EQ(req.header("content-type").value_or(""), "application/json");
  EXPECT_EQ(req.header("CONTENT-TYPE").value_or(""), "application/json");
  EXPECT_EQ(req.header("X-Api-Key").value_or(""), "k");
  EXPECT_FALSE(req.header("Content-Typ"));
  EXPECT_FALSE(req.header("Content-Type2"));
  // A second spelling of the same name is the same entry.
  EXPECT_FALSE(req.headers.emplace("CONTENT-type", "text/plain").second);
}

TEST(RequestTest, CaseInsensitiveLessOrdersLikeLowercase) {
  CaseInsensitiveLess less;
  EXPECT_TRUE(less("Accept", "authorization"));
  EXPECT_FALSE(less("authorization", "Accept"));
  EXPECT_TRUE(less("X-A", "x-ab"));
  EXPECT_FALSE(less("X-AB", "x-ab"));
  EXPECT_FALSE(less("x-ab", "X-AB"));
  // Letters compare as lower case: 'Z' (0x5A) sorts as 'z' (0x7A), after '[' (0x5B).
  EXPECT_FALSE(less("Z", "["));
  EXPECT_TRUE(less("[", "Z"));
}

}  // namespace
}  // namespace codecrew::http
