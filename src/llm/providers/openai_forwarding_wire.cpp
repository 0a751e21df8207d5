#include "llm/providers/openai_forwarding_wire.h"

#include "llm/provider_error.h"
#include "llm/providers/json_members.h"
#include "llm/providers/json_util.h"
#include "llm/providers/openai_answer_text.h"
#include "llm/providers/openai_wire.h"
#include "llm/providers/stream_assembler.h"

#include <boost/json.hpp>

namespace codecrew::llm {

using core::Result;

namespace {

// The caller's model name when the answer must carry it instead of the
// provider's (the request's model was changed), else "".
std::string callerModelToRestore(const OpenAiRequest& request, const std::string& model) {
  return request.model == model ? std::string() : request.model;
}

}  // namespace

OpenAiForwardingWire::OpenAiForwardingWire(Endpoint endpoint) : endpoint_(std::move(endpoint)) {}

bool OpenAiForwardingWire::canForward(const OpenAiRequest& request, bool stream) {
  return !stream || !request.has_stream_options || request.wants_usage;
}

Result<std::string> forwardedRequestBody(const OpenAiRequest& request, const std::string& model, bool stream) {
  std::string text;
  if (model == request.model) {
    text = request.text;
  } else {
    auto renamed = json::replaceMember(request.text, "model", quotedJsonString(model));
    if (!renamed) return core::Error::invalidArgument("the request body is not a JSON object");
    text = std::move(*renamed);
  }
  if (stream && !request.has_stream_options) {
    auto close = text.find_last_of('}');
    if (close == std::string::npos) return core::Error::invalidArgument("the request body is not a JSON object");
    text.insert(close, R"(,"stream_options":{"include_usage":true})");
  }
  return text;
}

Result<http::ClientRequest> OpenAiForwardingWire::encode(const OpenAiRequest& request, const std::string& model,
                                                         bool stream) const {
  auto body = forwardedRequestBody(request, model, stream);
  if (!body.ok()) return body.error();
  http::ClientRequest out = openAiChatRequest(endpoint_, false, model, stream);
  out.body = std::move(body.value());
  return out;
}

Result<ForwardedAnswer> OpenAiForwardingWire::decodeAnswer(std::string body, const OpenAiRequest& request,
                                                           const std::string& model) {
  OpenAiAnswerMembers members;
  if (!readOpenAiAnswerMembers(body, members)) return json::parseObject(body, "OpenAI response").error();
  if (members.choices.empty() || members.choices.front() != '[' || isEmptyJsonArray(members.choices))
    return providerError(FailureKind::kMalformed, "OpenAI response has no choices");
  ForwardedAnswer out;
  if (auto usage = openAiUsageFromText(members.usage)) out.usage = std::move(*usage);
  out.raw_finish_reason = openAiFinishReasonFromText(members.choices);
  out.finish_reason = openAiFinishReason(out.raw_finish_reason);
  const auto caller_model = callerModelToRestore(request, model);
  if (!caller_model.empty() && members.has_model) {
    if (auto renamed = json::replaceMember(body, "model", quotedJsonString(caller_model))) body = std::move(*renamed);
  }
  out.body = std::move(body);
  return out;
}

ForwardedStreamDecoder OpenAiForwardingWire::streamDecoder(const OpenAiRequest& request, const std::string& model) {
  return ForwardedStreamDecoder(callerModelToRestore(request, model), !request.wants_usage);
}

Result<ChatResponse> OpenAiForwardingWire::readAnswer(std::string_view text, bool streamed,
                                                      const boost::json::object* parsed) {
  if (!streamed && parsed) return OpenAiWire::decodeResponseObject(*parsed);
  OpenAiWire wire{Endpoint{}};
  if (!streamed) return wire.decodeResponse(text);
  auto decoder = wire.streamDecoder();
  StreamAssembler assembler;
  DeltaSink sink = [&](const StreamDelta& d) { assembler.add(d); };
  if (auto fed = decoder->feed(text, sink); !fed.ok()) return fed.error();
  if (auto finished = decoder->finish(sink); !finished.ok()) return finished.error();
  return assembler.result();
}

}  // namespace codecrew::llm
