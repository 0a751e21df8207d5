// ResponsesDialect: OpenAI's Responses API as callers send it
// (POST /v1/responses): `input` as a string or a list of items (messages
// with input_text / input_image / output_text parts, function_call and
// function_call_output items; reasoning items are skipped), `instructions`,
// item_reference items (an output item of an earlier response, resolved by
// the gateway), function tools and tool_choice, text.format (text, json_object,
// json_schema), max_output_tokens, temperature, stream, store and
// previous_response_id; and its answers: response objects whose output holds
// message and function_call items with usage (input_tokens, output_tokens,
// total_tokens), and the event stream (response.created,
// response.in_progress, response.output_item.added, response.content_part.
// added, response.output_text.delta / .done, response.function_call_
// arguments.delta / .done, response.content_part.done, response.output_item.
// done, then response.completed, response.incomplete for an answer cut at
// max_output_tokens, or response.failed), each event with its
// sequence_number and no [DONE]. Errors in OpenAI's shape.
// The request's settings that the response repeats ride in ParsedCall::echo;
// the conversation (instructions, previous_response_id) is assembled by the
// gateway (Gateway::prepareConversation).
// Thread-safety: see dialect.h.
#pragma once

#include "gateway/dialect.h"

namespace codecrew::gateway {

class ResponsesDialect final : public Dialect {
 public:
  core::Result<ParsedCall> parseRequest(std::string_view body) const override;
  std::string renderResponse(const llm::ChatResponse& response, const ParsedCall& call,
                             core::Millis now) const override;
  std::unique_ptr<StreamRenderer> streamRenderer(const ParsedCall& call, core::Millis now) const override;
  std::string renderError(const GatewayFailure& failure) const override;
};

// The output items of an answer, as the response with that id names them
// ("msg_<id>_<n>", "fc_<id>_<n>"): a message item for its text (or for an
// empty answer), then a function_call item per tool call, each as the
// assistant message it stands for, for item_reference input items.
std::vector<std::pair<std::string, llm::Message>> responseOutputItems(const std::string& response_id,
                                                                      const llm::Message& answer);

}  // namespace codecrew::gateway
