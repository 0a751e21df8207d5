// JSON forms of the normalised types (types.h), used by cassettes, call
// records and prompt hashing. toJson/fromJson round-trip exactly; the JSON
// of a request is canonical (fixed key order), so its hash is stable.
// Thread-safety: pure functions.
#pragma once

#include "core/result.h"
#include "llm/types.h"

#include <boost/json/value.hpp>

#include <string>

namespace codecrew::llm {

boost::json::object toJson(const ChatRequest& request);
boost::json::object toJson(const ChatResponse& response);
boost::json::object toJson(const StreamDelta& delta);
boost::json::object toJson(const Usage& usage);

core::Result<ChatRequest> chatRequestFromJson(const boost::json::value& v);
core::Result<ChatResponse> chatResponseFromJson(const boost::json::value& v);
core::Result<StreamDelta> streamDeltaFromJson(const boost::json::value& v);

// SHA-256 of the request's canonical JSON without its model, so a fallback to
// another model keeps the hash of the prompt it stands in for.
std::string promptHash(const ChatRequest& request);
// SHA-256 of the response message (content and tool calls).
std::string responseHash(const ChatResponse& response);

}  // namespace codecrew::llm
