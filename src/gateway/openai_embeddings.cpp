#include "gateway/openai_embeddings.h"

#include "gateway/gateway_failure.h"

#include <boost/json.hpp>
#include "core/crypto.h"

#include <bit>

namespace codecrew::gateway {

namespace bj = boost::json;
using core::Result;

namespace {

core::Status parseInput(const bj::value* input, llm::EmbeddingRequest& out) {
  if (!input) return badRequest("'input' is required", "input");
  if (input->is_string()) {
    out.inputs.emplace_back(input->as_string());
    return core::okStatus();
  }
  if (!input->is_array() || input->as_array().empty())
    return badRequest("'input' must be a string or a non-empty array of strings", "input");
  for (const auto& v : input->as_array()) {
    if (v.is_string()) {
      out.inputs.emplace_back(v.as_string());
    } else if (v.is_number() || v.is_array()) {
      return badRequest("'input' as token arrays is not supported by this gateway; send text", "input");
    } else {
      return badRequest("each element of 'input' must be a string", "input");
    }
  }
  return core::okStatus();
}

}  // namespace

Result<ParsedEmbeddingCall> parseEmbeddingRequest(std::string_view body) {
  boost::system::error_code ec;
  auto value = bj::parse(body, ec);
  if (ec || !value.is_object()) return badRequest("the request body must be a JSON object");
  const auto& o = value.as_object();
  ParsedEmbeddingCall out;
  const auto* model = o.if_contains("model");
  if (!model || !model->is_string() || model->as_string().empty())
    return badRequest("'model' is required and must be a string", "model");
  out.request.model = std::string(model->as_string());
  if (auto st = parseInput(o.if_contains("input"), out.request); !st.ok()) return st.error();
  if (const auto* format = o.if_contains("encoding_format"); format && !format->is_null()) {
    if (!format->is_string() || (format->as_string() != "float" && format->as_string() != "base64"))
      return badRequest("'encoding_format' must be 'float' or 'base64'", "encoding_format");
    out.base64 = format->as_string() == "base64";
  }
  if (const auto* dims = o.if_contains("dimensions"); dims && !dims->is_null()) {
    if (!dims->is_int64() || dims->as_int64() <= 0)
      return badRequest("'dimensions' must be a positive integer", "dimensions");
    out.request.dimensions = dims->as_int64();
  }
  return out;
}

std::string base64Floats(const std::vector<float>& vector) {
  std::string bytes(vector.size() * sizeof(float), '\0');
  for (std::size_t i = 0; i < vector.size(); ++i) {
    auto bits = std::bit_cast<std::uint32_t>(vector[i]);
    for (int b = 0; b < 4; ++b)
      bytes[i * 4 + static_cast<std::size_t>(b)] = static_cast<char>((bits >> (8 * b)) & 0xff);
  }
  return core::base64Encode(bytes);
}

std::string renderEmbeddingResponse(const llm::EmbeddingResponse& response, const std::string& model, bool base64) {
  bj::array data;
  data.reserve(response.vectors.size());
  for (std::size_t i = 0; i < response.vectors.size(); ++i) {
    bj::object item{{"object", "embedding"}, {"index", i}};
    if (base64) {
      item["embedding"] = base64Floats(response.vectors[i]);
    } else {
      bj::array values;
      values.reserve(response.vectors[i].size());
      for (float f : response.vectors[i]) values.emplace_back(static_cast<double>(f));
      item["embedding"] = std::move(values);
    }
    data.push_back(std::move(item));
  }
  bj::object usage{{"prompt_tokens", response.usage.prompt_tokens}, {"total_tokens", response.usage.total_tokens}};
  return bj::serialize(
      bj::object{{"object", "list"}, {"data", std::move(data)}, {"model", model}, {"usage", std::move(usage)}});
}

}  // namespace codecrew::gateway
