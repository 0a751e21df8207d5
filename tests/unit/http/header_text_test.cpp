// headerText lays a header out byte for byte as Beast's serializer does.
#include "http/header_text.h"

#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http.hpp>

#include <gtest/gtest.h>

#include <string>

namespace codecrew::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

// What Beast's own serializer writes for the header of `message`.
template <bool isRequest>
std::string serializedHeader(bhttp::message<isRequest, bhttp::string_body>& message) {
  bhttp::serializer<isRequest, bhttp::string_body> serializer{message};
  serializer.split(true);
  std::string text;
  beast::error_code ec;
  while (!ec && !serializer.is_header_done()) {
    serializer.next(ec, [&](beast::error_code&, const auto& buffers) {
      for (auto b : beast::buffers_range_ref(buffers)) text.append(static_cast<const char*>(b.data()), b.size());
      serializer.consume(beast::buffer_bytes(buffers));
    });
  }
  EXPECT_FALSE(ec) << ec.message();
  return text;
}

TEST(HeaderTextTest, ResponseMatchesBeast) {
  bhttp::response<bhttp::string_body> res{bhttp::status::ok, 11};
  res.set(bhttp::field::server, "codecrew");
  res.set(bhttp::field::content_type, "application/json");
  res.insert("X-Request-Id", "req-1");
  res.insert("X-Custom", "a, b");
  res.body() = R"({"ok":true})";
  res.keep_alive(true);
  res.prepare_payload();
  std::string text = headerText(res.base());
  EXPECT_EQ(text, serializedHeader(res));
  EXPECT_EQ(text.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  EXPECT_NE(text.find("Content-Length: 11\r\n"), std::string::npos);
  EXPECT_EQ(text.substr(text.size() - 4), "\r\n\r\n");
}

TEST(HeaderTextTest, StatusCodesReasonsAndVersions) {
  for (unsigned version : {10u, 11u}) {
    for (int code : {101, 204, 304, 400, 404, 429, 500, 503, 599}) {
      bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(code), version};
      res.keep_alive(version == 10);
      EXPECT_EQ(headerText(res.base()), serializedHeader(res)) << code << " HTTP/" << version;
    }
  }
  bhttp::response<bhttp::string_body> custom{bhttp::status::ok, 11};
  custom.reason("Fine");
  custom.chunked(true);
  EXPECT_EQ(headerText(custom.base()), serializedHeader(custom));
  EXPECT_EQ(headerText(custom.base()).rfind("HTTP/1.1 200 Fine\r\n", 0), 0u);
}

TEST(HeaderTextTest, RequestMatchesBeast) {
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/v1/chat/completions?x=1", 11};
  req.set(bhttp::field::host, "127.0.0.1:8080");
  req.set(bhttp::field::user_agent, "codecrew/0.1");
  req.set("Authorization", "Bearer sk-test");
  req.body() = "{}";
  req.keep_alive(true);
  req.prepare_payload();
  EXPECT_EQ(headerText(req.base()), serializedHeader(req));
  EXPECT_EQ(headerText(req.base()).rfind("POST /v1/chat/completions?x=1 HTTP/1.1\r\n", 0), 0u);

  bhttp::request<bhttp::string_body> custom{bhttp::verb::unknown, "/", 10};
  custom.method_string("PURGE");
  EXPECT_EQ(headerText(custom.base()), serializedHeader(custom));
}

}  // namespace
}  // namespace codecrew::http
