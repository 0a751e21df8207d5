// Ollama's models, discovered at start-up: for every provider of kind ollama
// with no models list, GET <base_url>/api/tags and take the names it lists
// (in its order), so that crews have a model to ask for with OLLAMA_HOST
// alone. An Ollama that cannot be reached (or answers something else) keeps
// an empty list and a warn line says so; start-up goes on.
// Thread-safety: call once at start-up, before the config is shared. Blocks
// for at most a few seconds per Ollama (its own short-lived client and
// io_context).
#pragma once

#include "http/client/beast_http_client.h"
#include "llm/llm_config.h"

#include <string>
#include <string_view>
#include <vector>

namespace codecrew::llm {

void discoverOllamaModels(LlmConfig& config, const http::ClientOptions& options);

// The model names of an /api/tags answer; kInvalidArgument when the body is
// not {"models": [{"name": ...}, ...]}.
core::Result<std::vector<std::string>> parseOllamaTags(std::string_view body);

}  // namespace codecrew::llm
