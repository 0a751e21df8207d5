#include "llm/record/exchange_json.h"

#include <boost/json.hpp>

namespace codecrew::llm {

namespace bj = boost::json;

bj::value redactedBody(const std::string& body, const Redactor& redactor) {
  boost::system::error_code ec;
  auto v = bj::parse(body, ec);
  if (!ec) return redactor.json(std::move(v));
  return bj::value(redactor.text(body));
}

bj::object redactedRequest(const WireExchange& exchange, const Redactor& redactor) {
  bj::object headers;
  for (const auto& [k, v] : redactor.headers(exchange.request_headers)) headers[k] = v;
  return {{"method", exchange.method},
          {"url", redactor.text(exchange.url)},
          {"headers", std::move(headers)},
          {"body", redactedBody(exchange.request_body, redactor)}};
}

}  // namespace codecrew::llm
