// Embedder: turns texts into vectors for the semantic index. The tools layer
// does not reach models itself: the engine implements this over the LLM
// router (engine/router_embedder.h), which batches nothing, so callers pass
// batches of at most maxBatch(); every call is priced, limited and recorded
// there like any model call. Tests use a deterministic fake.
// Thread-safety: implementations are safe to call from several threads.
#pragma once

#include "core/result.h"

#include <string>
#include <vector>

namespace codecrew::tools {

class Embedder {
 public:
  virtual ~Embedder() = default;
  // The model's name as configured ("openai/text-embedding-3-small"): part
  // of the cache key and of the index's folder.
  virtual std::string model() const = 0;
  // How many texts one call may carry.
  virtual std::size_t maxBatch() const { return 64; }
  // One vector per text, in order, all of one length; an error (the
  // provider's, as the router reports it) fails the whole batch.
  virtual core::Result<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) = 0;
};

}  // namespace codecrew::tools
