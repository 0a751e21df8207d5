// ForwardedAnswer: a provider's answer to a request it forwarded as the
// caller wrote it (llm/openai_forwarding.h), kept as the provider sent it
// for the caller, with what the router needs read on the way: usage (for
// budgets, limits and pricing) and the finish reason (a record's
// "truncated"). The rest of the normalised response is not decoded on the
// call's path; the forwarding provider reads it when a call record needs it
// (OpenAiForwarding::readAnswer).
// Thread-safety: a plain value.
#pragma once

#include "http/client/http_client.h"
#include "llm/types.h"

#include <string>

namespace codecrew::llm {

struct ForwardedAnswer {
  int status = 0;         // the provider's (2xx) status
  http::Headers headers;  // the provider's response headers
  // A whole answer's body, for the caller as it is; empty for a stream,
  // whose frames went to the FrameSink as they arrived.
  std::string body;
  bool streamed = false;
  Usage usage;  // decoded by the provider; reported is false when it sent none
  FinishReason finish_reason = FinishReason::kUnknown;
  std::string raw_finish_reason;  // the provider's own word
};

}  // namespace codecrew::llm
