#include "gateway/openai_request_parts.h"

#include "gateway/gateway_failure.h"
#include "llm/providers/json_util.h"

#include <boost/json.hpp>

#include <algorithm>

namespace codecrew::gateway {

namespace bj = boost::json;
namespace lj = llm::json;

core::Result<llm::ImagePart> imageFromUrl(std::string url, const std::string& param) {
  llm::ImagePart out;
  constexpr std::string_view kData = "data:";
  if (url.rfind(kData, 0) == 0) {
    auto semi = url.find(";base64,");
    if (semi == std::string::npos) return badRequest("an image data URL must be base64", param);
    out.media_type = url.substr(kData.size(), semi - kData.size());
    out.base64_data = url.substr(semi + 8);
    return out;
  }
  out.url = std::move(url);
  return out;
}

namespace {

core::Result<llm::ImagePart> imagePart(const bj::object& part, const std::string& param) {
  std::string url = lj::str(part, "image_url");
  if (const auto* o = lj::obj(part, "image_url")) url = lj::str(*o, "url");
  if (url.empty()) return badRequest("an image part needs an image_url (file ids are not supported)", param);
  return imageFromUrl(std::move(url), param);
}

}  // namespace

core::Status parseContentParts(const bj::value* content, llm::Message& m, const std::string& param,
                               std::initializer_list<std::string_view> text_types, std::string_view image_type) {
  if (!content || content->is_null()) return core::okStatus();
  if (content->is_string()) {
    m.content = std::string(content->as_string());
    return core::okStatus();
  }
  if (!content->is_array()) return badRequest("message content must be a string or an array of parts", param);
  for (const auto& v : content->as_array()) {
    const auto* part = v.if_object();
    if (!part) return badRequest("each content part must be an object", param);
    auto type = lj::str(*part, "type");
    if (std::find(text_types.begin(), text_types.end(), type) != text_types.end()) {
      m.content += lj::str(*part, "text");
    } else if (type == "refusal") {
      m.content += lj::str(*part, "refusal");
    } else if (type == image_type) {
      auto read = imagePart(*part, param);
      if (!read.ok()) return read.error();
      m.images.push_back(std::move(read.value()));
    } else {
      return badRequest("unsupported content part type '" + type + "'", param);
    }
  }
  return core::okStatus();
}

core::Result<std::optional<llm::ToolChoice>> parseToolChoice(const bj::value* choice) {
  if (!choice || choice->is_null()) return std::optional<llm::ToolChoice>{};
  llm::ToolChoice tc;
  if (choice->is_string()) {
    const auto& word = choice->as_string();
    if (word == "auto") tc.mode = llm::ToolChoice::Mode::kAuto;
    else if (word == "none") tc.mode = llm::ToolChoice::Mode::kNone;
    else if (word == "required") tc.mode = llm::ToolChoice::Mode::kRequired;
    else return badRequest("tool_choice must be auto, none, required or a function", "tool_choice");
    return std::optional<llm::ToolChoice>{tc};
  }
  const auto* o = choice->if_object();
  const auto* fn = o ? lj::obj(*o, "function") : nullptr;
  std::string name = fn ? lj::str(*fn, "name") : (o ? lj::str(*o, "name") : "");
  if (!o || (!fn && lj::str(*o, "type") != "function") || name.empty())
    return badRequest("tool_choice must be auto, none, required or a function", "tool_choice");
  tc.mode = llm::ToolChoice::Mode::kTool;
  tc.name = std::move(name);
  return std::optional<llm::ToolChoice>{tc};
}

core::Result<std::optional<llm::ResponseFormat>> parseResponseFormat(std::string_view type,
                                                                     const bj::object* schema_fields,
                                                                     const std::string& param) {
  llm::ResponseFormat format;
  if (type == "text") return std::optional<llm::ResponseFormat>{};
  if (type == "json_object") {
    format.kind = llm::ResponseFormat::Kind::kJsonObject;
  } else if (type == "json_schema") {
    if (!schema_fields) return badRequest(param + " json_schema needs its schema", param);
    format.kind = llm::ResponseFormat::Kind::kJsonSchema;
    if (auto name = lj::str(*schema_fields, "name"); !name.empty()) format.name = name;
    if (const auto* schema = schema_fields->if_contains("schema")) format.schema = *schema;
    if (const auto* strict = schema_fields->if_contains("strict"); strict && strict->is_bool())
      format.strict = strict->as_bool();
  } else {
    return badRequest(param + " type must be text, json_object or json_schema", param);
  }
  return std::optional<llm::ResponseFormat>{std::move(format)};
}

}  // namespace codecrew::gateway
