#include "http/server_policy.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace codecrew::http {
namespace {

TEST(ServerPolicy, KeepsASaneClientRequestId) {
  EXPECT_EQ(chooseRequestId(std::string("abc-123_x.Y")), "abc-123_x.Y");
  EXPECT_EQ(chooseRequestId(std::string(128, 'a')), std::string(128, 'a'));
}

TEST(ServerPolicy, ReplacesAnUnusableRequestId) {
  for (const std::string& bad : {std::string(""), std::string(129, 'a'), std::string("a b"), std::string("x\"y")}) {
    auto id = chooseRequestId(bad);
    EXPECT_EQ(id.size(), 16u) << bad;
    EXPECT_NE(id, bad);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  }
  EXPECT_NE(chooseRequestId(std::nullopt), chooseRequestId(std::nullopt));
}

TEST(ServerPolicy, RecognisesJsonContentTypes) {
  EXPECT_TRUE(isJsonContentType("application/json"));
  EXPECT_TRUE(isJsonContentType("Application/JSON; charset=utf-8"));
  EXPECT_TRUE(isJsonContentType(" application/json ;charset=UTF-8"));
  EXPECT_FALSE(isJsonContentType("text/plain"));
  EXPECT_FALSE(isJsonContentType("application/jsonx"));
  EXPECT_FALSE(isJsonContentType(""));
}

TEST(ServerPolicy, CorsOriginsExactOrWildcard) {
  std::vector<std::string> exact{"https://a.example"};
  EXPECT_EQ(corsAllowOrigin(exact, "https://a.example"), "https://a.example");
  EXPECT_FALSE(corsAllowOrigin(exact, "https://b.example"));
  EXPECT_FALSE(corsAllowOrigin({}, "https://a.example"));
  EXPECT_EQ(corsAllowOrigin({"*"}, "https://b.example"), "*");
  EXPECT_FALSE(corsAllowOrigin({"*"}, ""));
}

TEST(ServerPolicy, InternalErrorNamesTheRequestId) {
  auto r = internalErrorResponse("rid-1");
  EXPECT_EQ(r.status, 500);
  auto err = boost::json::parse(r.body).at("error");
  EXPECT_EQ(err.at("code"), "internal");
  EXPECT_EQ(err.at("message"), "internal error (request id rid-1)");
}

}  // namespace
}  // namespace codecrew::http
