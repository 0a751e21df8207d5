// Protocol-level behaviour of the real server: error bodies, 404/405/413/415,
// bad JSON, request ids, docs, and nothing stored when a request fails.
#include "api_fixture.h"

#include <chrono>
#include <thread>

namespace codecrew::testing {
namespace {

class HttpErrorsTest : public ApiTest {};

void expectErrorShape(const HttpResult& r, const char* code) {
  auto err = r.json().at("error").as_object();
  EXPECT_EQ(err.at("code").as_string(), code) << r.body;
  EXPECT_TRUE(err.at("message").is_string());
  EXPECT_TRUE(err.contains("details"));
}

TEST_F(HttpErrorsTest, NonIntegerIdIsAClear404) {
  auto r = call("GET", "/workflows/abc");
  EXPECT_EQ(r.status, 404);
  expectErrorShape(r, "not_found");
  EXPECT_NE(r.body.find("abc"), std::string::npos);
  EXPECT_EQ(call("GET", "/workflows/-1").status, 404);
  EXPECT_EQ(call("GET", "/workflows/1.5").status, 404);
  EXPECT_EQ(call("GET", "/workflows/99999").status, 404);
}

TEST_F(HttpErrorsTest, UnknownRouteAndWrongMethod) {
  auto r = call("GET", "/nope");
  EXPECT_EQ(r.status, 404);
  expectErrorShape(r, "not_found");
  auto m = call("PUT", "/workflows", "{}");
  EXPECT_EQ(m.status, 405);
  EXPECT_NE(m.header("Allow").find("GET"), std::string::npos);
  EXPECT_NE(m.header("Allow").find("POST"), std::string::npos);
}

TEST_F(HttpErrorsTest, BadBodiesAre400And415And413AndStoreNothing) {
  auto bad = call("POST", "/workflows", R"({"name": "x",})");
  EXPECT_EQ(bad.status, 400);
  expectErrorShape(bad, "invalid_argument");
  EXPECT_NE(bad.body.find("line 1"), std::string::npos) << bad.body;
  auto missing = call("POST", "/workflows", R"({"description":"no name"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find("name is required"), std::string::npos) << missing.body;
  auto typed = call("POST", "/workflows", R"({"name":"x","project_id":"seven"})");
  EXPECT_EQ(typed.status, 400);
  auto tooLong = call("POST", "/workflows", "{\"name\":\"" + std::string(201, 'n') + "\"}");
  EXPECT_EQ(tooLong.status, 400);
  auto arr = call("POST", "/workflows", "[1,2]");
  EXPECT_EQ(arr.status, 400);
  auto empty = call("POST", "/workflows", "");
  EXPECT_EQ(empty.status, 400);
  auto unknownProject = call("POST", "/workflows", R"({"name":"x","project_id":424242})");
  EXPECT_EQ(unknownProject.status, 400);
  auto text = call("POST", "/workflows", "name=x", "", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(text.status, 415);
  expectErrorShape(text, "unsupported_media_type");
  auto big = call("POST", "/workflows", "{\"name\":\"" + std::string(2 << 20, 'x') + "\"}");
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(call("GET", "/workflows").json().at("total").as_int64(), 0) << "nothing stored half-way";
}

TEST_F(HttpErrorsTest, RequestIdsGoInAndOut) {
  auto r = call("GET", "/workflows", "", "", {{"X-Request-Id", "trace-abc.123"}});
  EXPECT_EQ(r.header("X-Request-Id"), "trace-abc.123");
  auto g = call("GET", "/workflows/abc");
  EXPECT_FALSE(g.header("X-Request-Id").empty());
  auto bad = call("GET", "/workflows", "", "", {{"X-Request-Id", "has spaces in it"}});
  EXPECT_NE(bad.header("X-Request-Id"), "has spaces in it");
  EXPECT_FALSE(bad.header("X-Request-Id").empty());
  // The server's log carries the request id on the lines of that request.
  call("POST", "/workflows", R"({"name":"logged"})", "", {{"X-Request-Id", "rid-for-log-check"}});
  // The access line is written just after the response is sent: poll briefly for it.
  bool logged = false;
  for (int i = 0; i < 200 && !logged; ++i) {
    logged = server_->stderrText().find("\"request_id\":\"rid-for-log-check\"") != std::string::npos;
    if (!logged) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(logged) << server_->stderrText();
}

TEST_F(HttpErrorsTest, OpenApiAndDocsArePublic) {
  auto r = call("GET", "/openapi.json", "", "none");
  ASSERT_EQ(r.status, 200);
  auto doc = r.json();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  EXPECT_TRUE(doc.at("paths").as_object().contains("/conversations/{id}/llm-calls"));
  auto docs = call("GET", "/docs", "", "none");
  EXPECT_EQ(docs.status, 200);
  EXPECT_NE(docs.header("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(docs.body.find("/openapi.json"), std::string::npos);
}

TEST_F(HttpErrorsTest, SigtermStopsGracefully) {
  EXPECT_EQ(call("GET", "/health").status, 200);
  EXPECT_EQ(server_->terminate(), 0);
}

}  // namespace
}  // namespace codecrew::testing
