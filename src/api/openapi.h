// The OpenAPI 3.1 document of the API, generated from the Router's actual
// routes (so the two cannot drift) plus the request-body schemas below.
// Thread-safety: pure functions.
#pragma once

#include "http/router.h"

#include <boost/json/object.hpp>

#include <map>
#include <string>

namespace codecrew::api {

// "/workflows/{id:int}" -> "/workflows/{id}".
std::string openApiPath(const std::string& pattern);

// Request-body JSON Schemas by "METHOD pattern" (pattern as registered).
const std::map<std::string, boost::json::object>& requestBodySchemas();

boost::json::object buildOpenApi(const http::Router& router, const std::string& version);

}  // namespace codecrew::api
