// RouterEmbedder: tools::Embedder over llm::Router::embed, for the semantic
// index: each batch is one embeddings call of the configured model, made
// through the router (its breaker, rate limits and retries, priced and
// recorded as an LlmCall under the call context: the execution's tenant and
// id, or the API caller's tenant). The tools layer is synchronous, so a call
// runs as a coroutine on the embedder's own executor (a thread that is not
// the caller's: the caller may be an I/O thread the router needs) and the
// caller waits for it.
// Thread-safety: embed() may be called from several threads.
#pragma once

#include "llm/router/router.h"
#include "tools/semantic/embedder.h"

#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <optional>
#include <string>

namespace codecrew::engine {

class RouterEmbedder final : public tools::Embedder {
 public:
  // model: a model name the router resolves ("openai/text-embedding-3-small");
  // dimensions: asked for when set (and then part of model()).
  RouterEmbedder(std::shared_ptr<llm::Router> router, boost::asio::any_io_executor executor, std::string model,
                 std::optional<std::int64_t> dimensions, std::size_t max_batch, llm::CallContext context,
                 std::string role = "embeddings");

  std::string model() const override;
  std::size_t maxBatch() const override { return max_batch_; }
  core::Result<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) override;

 private:
  std::shared_ptr<llm::Router> router_;
  boost::asio::any_io_executor executor_;
  std::string model_;
  std::optional<std::int64_t> dimensions_;
  std::size_t max_batch_;
  llm::CallContext context_;
  std::string role_;
};

}  // namespace codecrew::engine
