// The parts of a request that OpenAI's two shapes (chat completions and
// Responses) write alike, parsed once for both dialects: an image URL (http
// or a base64 data URL), tool_choice, a structured-output format.
// Thread-safety: pure functions.
#pragma once

#include "core/result.h"
#include "llm/types.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace codecrew::gateway {

// An image given by URL: an http(s) URL as it is, a data URL split into its
// media type and base64 data. kInvalidArgument naming `param` for a data URL
// that is not base64.
core::Result<llm::ImagePart> imageFromUrl(std::string url, const std::string& param);

// A message's content: a string, null, or an array of parts: parts of one
// of `text_types` add their "text" (a "refusal" part its refusal), parts of
// `image_type` an image from their "image_url" (a URL string, as the
// Responses API writes it, or chat's {"url"}); any other part is refused
// (400 naming `param`).
core::Status parseContentParts(const boost::json::value* content, llm::Message& m, const std::string& param,
                               std::initializer_list<std::string_view> text_types, std::string_view image_type);

// tool_choice: "auto", "none", "required", or a function, which chat
// completions write {"type": "function", "function": {"name"}} and the
// Responses API {"type": "function", "name"}. Nothing for null.
core::Result<std::optional<llm::ToolChoice>> parseToolChoice(const boost::json::value* choice);

// A format of `type` text (nothing), json_object or json_schema, whose name,
// schema and strict are read from `schema_fields` (chat completions'
// response_format.json_schema, the Responses API's text.format itself).
// kInvalidArgument naming `param` for another type.
core::Result<std::optional<llm::ResponseFormat>> parseResponseFormat(std::string_view type,
                                                                     const boost::json::object* schema_fields,
                                                                     const std::string& param);

}  // namespace codecrew::gateway
