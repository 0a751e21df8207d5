#include "http/router.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include <stdexcept>

namespace codecrew::http {
namespace {

Handler named(std::string name) {
  return [name](Request&) { return Response::text(200, name); };
}

std::string nameOf(const RouteMatch& m) {
  if (!m.route) return "<none>";
  Request req;
  return m.route->handler(req).body;
}

boost::json::value errorOf(const RouteMatch& m) {
  EXPECT_TRUE(m.error.has_value());
  return boost::json::parse(m.error->body).at("error");
}

std::string headerOf(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add("GET", "/workflows", named("list"));
    router_.add("POST", "/workflows", named("create"));
    router_.add("GET", "/workflows/{id:int}", named("get"));
    router_.add("DELETE", "/workflows/{id:int}", named("delete"));
    router_.add("GET", "/workflows/compare", named("compare"));
    router_.add("GET", "/workflows/{id:int}/executions/{eid:int}", named("execution"));
    router_.add("GET", "/sessions/{sid}/files/{path:rest}", named("file"));
    router_.add("GET", "/tags/{name:str}", named("tag-any"));
    router_.add("GET", "/tags/special", named("tag-special"));
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralRoutesByMethod) {
  EXPECT_EQ(nameOf(router_.match("GET", "/workflows")), "list");
  EXPECT_EQ(nameOf(router_.match("POST", "/workflows")), "create");
}

TEST_F(RouterTest, AHeadGetsTheGetRouteThatAnswersWhole) {
  EXPECT_EQ(nameOf(router_.match("HEAD", "/workflows")), "list");
  EXPECT_EQ(nameOf(router_.match("HEAD", "/workflows/7")), "get");
  router_.add("HEAD", "/workflows", named("head-of-list"));
  EXPECT_EQ(nameOf(router_.match("HEAD", "/workflows")), "head-of-list");
  router_.addStream("GET", "/events", [](Request&, std::shared_ptr<ResponseStream>) {});
  auto streamed = router_.match("HEAD", "/events");
  EXPECT_EQ(streamed.route, nullptr);
  EXPECT_EQ(streamed.error->status, 405);
  EXPECT_EQ(router_.match("HEAD", "/nowhere").error->status, 404);
}

TEST_F(RouterTest, LiteralPathsMatchTheSameWithOrWithoutEncoding) {
  // A path equal to a literal pattern is looked up directly; an encoded one
  // (or one that only equals a pattern once normalised) takes the scan, with
  // the same answer.
  for (int i = 0; i < 50; ++i) router_.add("GET", "/filler/" + std::to_string(i), named("filler"));
  EXPECT_EQ(nameOf(router_.match("GET", "/tags/special")), "tag-special");
  EXPECT_EQ(nameOf(router_.match("GET", "/tags/%73pecial")), "tag-special");
  EXPECT_EQ(nameOf(router_.match("GET", "/filler/49")), "filler");
  EXPECT_TRUE(router_.match("GET", "/workflows").params.empty());
  EXPECT_EQ(router_.match("PUT", "/workflows").error->status, 405);
}

TEST_F(RouterTest, ExtractsIntParameters) {
  auto m = router_.match("GET", "/workflows/12/executions/7");
  EXPECT_EQ(nameOf(m), "execution");
  EXPECT_EQ(m.params.at("id"), "12");
  EXPECT_EQ(m.params.at("eid"), "7");
}

TEST_F(RouterTest, LiteralSegmentBeatsParameter) {
  EXPECT_EQ(nameOf(router_.match("GET", "/workflows/compare")), "compare");
  EXPECT_EQ(nameOf(router_.match("GET", "/tags/special")), "tag-special");
  auto m = router_.match("GET", "/tags/other");
  EXPECT_EQ(nameOf(m), "tag-any");
  EXPECT_EQ(m.params.at("name"), "other");
}

TEST_F(RouterTest, NonIntegerIdIsNotFoundNamingTheParameter) {
  auto m = router_.match("GET", "/workflows/abc");
  ASSERT_EQ(m.route, nullptr);
  EXPECT_EQ(m.error->status, 404);
  auto err = errorOf(m);
  EXPECT_EQ(err.at("code"), "not_found");
  EXPECT_EQ(err.at("message"), "'abc' is not a valid workflow id: ids are positive integers");
  EXPECT_EQ(err.at("details").at("parameter"), "id");
}

TEST_F(RouterTest, InvalidIdsAreRejected) {
  for (const char* bad : {"0", "-1", "012", "1e3", "99999999999999999999"}) {
    auto m = router_.match("GET", std::string("/workflows/") + bad);
    ASSERT_TRUE(m.error) << bad;
    EXPECT_EQ(m.error->status, 404) << bad;
  }
}

TEST_F(RouterTest, NestedNonIntegerIdNamesTheNestedParameter) {
  auto m = router_.match("GET", "/workflows/3/executions/x1");
  EXPECT_EQ(errorOf(m).at("message"), "'x1' is not a valid execution id: ids are positive integers");
  EXPECT_EQ(errorOf(m).at("details").at("parameter"), "eid");
}

TEST(RouterPatterns, IdAfterANonCollectionSegmentIsNamedByParameter) {
  Router r;
  r.add("GET", "/runs/{a:int}/compare/{b:int}", named("cmp"));
  auto m = r.match("GET", "/runs/1/compare/zz");
  EXPECT_EQ(errorOf(m).at("message"), "'zz' is not a valid id for 'b': ids are positive integers");
}

TEST_F(RouterTest, MethodMismatchIs405WithAllow) {
  auto m = router_.match("PUT", "/workflows/5");
  ASSERT_TRUE(m.error);
  EXPECT_EQ(m.error->status, 405);
  EXPECT_EQ(headerOf(*m.error, "Allow"), "DELETE, GET, HEAD");
  EXPECT_EQ(errorOf(m).at("code"), "method_not_allowed");
}

TEST_F(RouterTest, UnknownPathIs404NamingMethodAndPath) {
  auto m = router_.match("GET", "/nope");
  ASSERT_TRUE(m.error);
  EXPECT_EQ(m.error->status, 404);
  EXPECT_EQ(errorOf(m).at("message"), "no route for GET /nope");
  EXPECT_EQ(router_.match("GET", "/workflows/1/extra").error->status, 404);
}

TEST_F(RouterTest, RestParameterTakesTheDecodedRemainder) {
  auto m = router_.match("GET", "/sessions/s1/files/src/a%20b/c.txt");
  EXPECT_EQ(nameOf(m), "file");
  EXPECT_EQ(m.params.at("sid"), "s1");
  EXPECT_EQ(m.params.at("path"), "src/a b/c.txt");
  EXPECT_TRUE(router_.match("GET", "/sessions/s1/files/").error);
  EXPECT_TRUE(router_.match("GET", "/sessions/s1/files").error);
}

TEST_F(RouterTest, SegmentsAreDecodedAfterSplitting) {
  auto m = router_.match("GET", "/tags/a%2Fb");
  EXPECT_EQ(nameOf(m), "tag-any");
  EXPECT_EQ(m.params.at("name"), "a/b");
  EXPECT_EQ(nameOf(router_.match("GET", "/tags/sp%65cial")), "tag-special");
  EXPECT_EQ(nameOf(router_.match("GET", "/workflows/%31%32")), "get");
}

TEST_F(RouterTest, InvalidPercentEncodingMatchesNothing) {
  auto m = router_.match("GET", "/tags/%zz");
  ASSERT_TRUE(m.error);
  EXPECT_EQ(m.error->status, 404);
}

TEST_F(RouterTest, AllowedMethodsListsEveryMatchingPattern) {
  EXPECT_EQ(router_.allowedMethods("/workflows"), (std::vector<std::string>{"GET", "HEAD", "POST"}));
  EXPECT_EQ(router_.allowedMethods("/workflows/9"), (std::vector<std::string>{"DELETE", "GET", "HEAD"}));
  EXPECT_TRUE(router_.allowedMethods("/missing").empty());
}

TEST(RouterPatterns, MalformedPatternsThrow) {
  Router r;
  EXPECT_THROW(r.add("GET", "no-slash", named("x")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/a/{id:float}", named("x")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/a/{p:rest}/b", named("x")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/a/{x}/{x}", named("x")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/a/b{x}", named("x")), std::invalid_argument);
  r.add("GET", "/a", named("x"));
  EXPECT_THROW(r.add("GET", "/a", named("y")), std::invalid_argument);
}

TEST(RouterPatterns, RootPatternMatchesOnlyRoot) {
  Router r;
  r.add("GET", "/", named("root"));
  EXPECT_EQ(nameOf(r.match("GET", "/")), "root");
  EXPECT_TRUE(r.match("GET", "/x").error);
}

TEST(RouterPatterns, SegmentsRecordTheParsedPattern) {
  Router r;
  r.add("GET", "/w/{id:int}/f/{p:rest}", named("x"));
  const auto& segs = r.routes().front().segments;
  ASSERT_EQ(segs.size(), 4u);
  EXPECT_EQ(segs[1].kind, PatternSegment::Kind::kInt);
  EXPECT_EQ(segs[1].text, "id");
  EXPECT_EQ(segs[3].kind, PatternSegment::Kind::kRest);
}

}  // namespace
}  // namespace codecrew::http
