// OpenAI answers read from their text, without a tree: the few top-level
// members a forwarded answer or stream chunk is read for (usage, choices,
// error, model), its usage and its finish reason, for OpenAI forwarding
// (openai_forwarding_wire.h, forwarded_stream_decoder.h), where the answer
// goes on byte for byte and only these are needed on the call's path.
// Thread-safety: pure functions.
#pragma once

#include "llm/types.h"

#include <optional>
#include <string>
#include <string_view>

namespace codecrew::llm {

// The members of an OpenAI answer or chunk that forwarding reads; the views
// point into the text read.
struct OpenAiAnswerMembers {
  std::string_view usage, choices;
  bool has_error = false;
  bool has_model = false;
};

// Reads `text`'s top-level members into `out`; false if it is not a JSON
// object.
bool readOpenAiAnswerMembers(std::string_view text, OpenAiAnswerMembers& out);

// An OpenAI "usage" object read from its text (as decodeOpenAiUsage reads it
// from a tree); nullopt when the value is not an object (null).
std::optional<Usage> openAiUsageFromText(std::string_view value);

// The first "finish_reason" key's string value inside `text` (a piece of
// valid JSON), "" when it is null or absent.
std::string openAiFinishReasonFromText(std::string_view text);

// Whether a JSON value's text is an empty array.
bool isEmptyJsonArray(std::string_view value);

// `text` as a JSON string literal.
std::string quotedJsonString(const std::string& text);

}  // namespace codecrew::llm
