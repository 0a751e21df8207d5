#include "llm/provider.h"

namespace codecrew::llm {

core::Error noEmbeddings(const std::string& provider, const std::string& kind) {
  return core::Error::invalidArgument("provider '" + provider + "' (" + kind +
                                      ") has no embeddings API; use a model of an OpenAI-compatible, Azure, "
                                      "Ollama or Gemini provider");
}

boost::asio::awaitable<core::Result<EmbeddingResponse>> Provider::embed(const EmbeddingRequest&, const CallOptions&) {
  co_return noEmbeddings(name(), kind());
}

}  // namespace codecrew::llm
