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

TEST(ServerPolicy, FindsObsFoldInTheRawHead) {
  EXPECT_FALSE(hasObsFold("GET / HTTP/1.1\r\nHost: a\r\nX-A: b c\r\n\r\n"));
  EXPECT_TRUE(hasObsFold("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n"));
  EXPECT_TRUE(hasObsFold("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n"));
  EXPECT_TRUE(hasObsFold("GET / HTTP/1.1\r\n Host: a\r\n\r\n")) << "whitespace before the first field";
  EXPECT_TRUE(hasObsFold("GET / HTTP/1.1\r\nX-A: b\r\n ")) << "as soon as it has arrived";
  EXPECT_FALSE(hasObsFold("GET / HTTP/1.1\r\nX-A: b\r\n")) << "not yet known";
  EXPECT_FALSE(hasObsFold("POST / HTTP/1.1\r\nHost: a\r\n\r\nbody\r\n more\r\n\tmore")) << "the body is not looked at";
}

TEST(ServerPolicy, DefaultConnectionLimitLeavesRoomForTheRest) {
  EXPECT_EQ(defaultMaxConnections(1024), 768u);  // a quarter kept back
  EXPECT_EQ(defaultMaxConnections(20000), 15000u);
  EXPECT_EQ(defaultMaxConnections(256), 128u);  // at least 128 kept back
  EXPECT_EQ(defaultMaxConnections(100), 16u);   // never under 16
  EXPECT_GT(openFileLimit(), 0u);
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
