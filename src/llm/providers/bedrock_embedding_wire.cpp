#include "llm/providers/bedrock_embedding_wire.h"

#include "cloud/aws/sigv4.h"
#include "llm/provider_error.h"
#include "llm/providers/json_util.h"

#include <boost/json.hpp>

namespace codecrew::llm {

namespace bj = boost::json;
using core::Result;

BedrockEmbeddingWire::BedrockEmbeddingWire(Endpoint endpoint, BedrockAuth auth, std::shared_ptr<core::Clock> clock)
    : endpoint_(std::move(endpoint)), auth_(std::move(auth)), clock_(std::move(clock)) {}

Result<http::ClientRequest> BedrockEmbeddingWire::encode(const EmbeddingRequest& request) const {
  if (request.inputs.size() != 1)
    return core::Error::invalidArgument("Bedrock's InvokeModel embeds one text a call, not " +
                                        std::to_string(request.inputs.size()));
  http::ClientRequest out;
  out.method = "POST";
  out.url = trimmedBase(endpoint_.base_url) + "/model/" + cloud::aws::awsUriEncode(request.model, false) + "/invoke";
  out.headers.emplace_back("Content-Type", "application/json");
  out.headers.emplace_back("Accept", "application/json");
  for (const auto& h : endpoint_.extra_headers) out.headers.push_back(h);
  bj::object body{{"inputText", request.inputs.front()}};
  if (request.dimensions) body["dimensions"] = *request.dimensions;
  out.body = bj::serialize(body);
  cloud::aws::SigningScope scope{auth_.region, "bedrock", clock_->nowMillis()};
  auto signature = cloud::aws::signClientRequest(out, auth_.credentials, scope);
  if (!signature.ok()) return providerError(FailureKind::kBadRequest, "Bedrock: " + signature.error().message);
  return out;
}

Result<EmbeddingResponse> BedrockEmbeddingWire::decode(std::string_view body) const {
  auto parsed = json::parseObject(body, "Bedrock embedding response");
  if (!parsed.ok()) return parsed.error();
  const auto& o = parsed.value();
  auto vector = embeddingVector(o.if_contains("embedding"), "Bedrock embedding");
  if (!vector.ok()) return vector.error();
  EmbeddingResponse out;
  out.vectors.push_back(std::move(vector.value()));
  if (o.contains("inputTextTokenCount")) {
    out.usage.prompt_tokens = json::i64(o, "inputTextTokenCount");
    out.usage.total_tokens = out.usage.prompt_tokens;
    out.usage.reported = true;
  }
  return out;
}

}  // namespace codecrew::llm
