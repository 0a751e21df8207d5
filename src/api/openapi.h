// The OpenAPI 3.1 document of the API, generated from the Router's actual
// routes (so the two cannot drift): each route's summary, tag and RouteDoc
// (operationId, query parameters, request and response schemas named among
// api::schemaComponents(), which the renderers are tested against).
// Thread-safety: pure functions.
#pragma once

#include "http/router.h"

#include <boost/json/object.hpp>

#include <string>

namespace codecrew::api {

// "/workflows/{id:int}" -> "/workflows/{id}".
std::string openApiPath(const std::string& pattern);

// The route's operationId: its RouteDoc's, else one made of the method and
// the path's literal segments ("POST /v1/responses" -> "postV1Responses").
std::string operationId(const http::Route& route);

boost::json::object buildOpenApi(const http::Router& router, const std::string& version);

}  // namespace codecrew::api
