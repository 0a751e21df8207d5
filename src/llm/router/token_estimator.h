// Token estimators for the router's rate scheduler and cost checks, which
// need a prompt's size before the call. tokenizerEstimator counts exactly
// with the tiktoken encodings (llm/tokenizer) for models that have one, in
// OpenAI's chat accounting (3 tokens per message and 3 to prime the reply,
// plus role, name, content and tool-call text, plus the tool schemas); other
// models get the tokenizer's bytes/4 estimate over the same text.
// Thread-safety: the returned function may be called from any thread (the
// registry is thread-safe).
#pragma once

#include "llm/router/router.h"
#include "llm/tokenizer/tokenizer_registry.h"

#include <memory>

namespace codecrew::llm {

TokenEstimator tokenizerEstimator(std::shared_ptr<tokenizer::TokenizerRegistry> registry);

}  // namespace codecrew::llm
