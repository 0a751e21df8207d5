// The redacted JSON form of a call's wire exchange, as call records store it:
// {"method", "url", "headers", "body"} for the request, the body parsed as
// JSON when it is JSON (else redacted text).
// Thread-safety: pure functions.
#pragma once

#include "llm/provider.h"
#include "llm/record/redactor.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>

namespace codecrew::llm {

boost::json::value redactedBody(const std::string& body, const Redactor& redactor);
boost::json::object redactedRequest(const WireExchange& exchange, const Redactor& redactor);

}  // namespace codecrew::llm
