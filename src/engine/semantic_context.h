// SemanticContext: the engine's access to the semantic indexes of
// repositories (tools/semantic): where they live (<data>/index/t<tenant>/
// <repository key>, so tenants never share one), the settings of [semantic],
// and the embedder a caller's calls are made and recorded with. open() gives
// the search over the repository of a workspace; the SemanticIndex objects
// are kept per folder and model for the process's life, so executions of one
// repository share one in memory (and, across processes, one on disk).
//
// Configuration ([semantic]):
//   enabled             index repositories and offer retrieval (default true)
//   embedding_model     a model the router resolves; "" ranks by BM25 only
//   dimensions          asked of models that can shorten their vectors (0: the model's)
//   batch               texts per embeddings call (default 64)
//   chunk_tokens        bound of a chunk (default 400)
//   context             add retrieved context to agents' first prompts (default true)
//   context_share       of the step's model context window (default 0.05)
//   context_max_tokens  at most (default 4096)
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include "core/result.h"
#include "llm/router/router.h"
#include "tools/semantic/semantic_search.h"

#include <boost/json/object.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace codecrew::engine {

struct SemanticSettings {
  bool enabled = true;
  std::string embedding_model;
  std::int64_t dimensions = 0;
  std::int64_t batch = 64;
  std::int64_t chunk_tokens = 400;
  bool context = true;
  double context_share = 0.05;
  std::int64_t context_max_tokens = 4096;
};

// Where the indexes of a server whose workspaces are under workspaces_root
// live: <data_dir>/index beside <data_dir>/workspaces.
std::filesystem::path indexRootFor(const std::filesystem::path& workspaces_root);
// The folder of one index key ("root-...", "session-<id>") of a tenant.
std::filesystem::path indexFolder(const std::filesystem::path& index_root, core::Id tenant, const std::string& key);

// Reads [semantic]; kInvalidArgument names the bad key.
core::Result<SemanticSettings> loadSemanticSettings(const boost::json::object& document);

// The embedder for a caller's calls (null: none configured: BM25).
using EmbedderFactory = std::function<std::shared_ptr<tools::Embedder>(const llm::CallContext& context)>;

// Embedders of settings.embedding_model over the router, each call on a
// thread of the factory's own (kept alive by the factory); an empty factory
// when no model is configured.
EmbedderFactory routerEmbedders(std::shared_ptr<llm::Router> router, const SemanticSettings& settings);

class SemanticContext {
 public:
  SemanticContext(std::filesystem::path index_root, SemanticSettings settings, EmbedderFactory embedders = {});

  // The search over the repository of the git work tree `workdir` for the
  // tenant, its embeddings calls made under `context`. kFailedPrecondition
  // when semantic indexing is off or workdir is not a repository with a commit.
  core::Result<std::shared_ptr<tools::RepositorySearch>> open(core::Id tenant, const std::string& workdir,
                                                              const llm::CallContext& context);
  // The same for an index under a key of the caller's (a CrewCode session's
  // "session-<id>"), for trees that are not repositories.
  core::Result<std::shared_ptr<tools::RepositorySearch>> openKey(core::Id tenant, const std::string& key,
                                                                 const llm::CallContext& context);
  const SemanticSettings& settings() const { return settings_; }
  const std::filesystem::path& indexRoot() const { return index_root_; }

 private:
  std::filesystem::path index_root_;
  SemanticSettings settings_;
  EmbedderFactory embedders_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<tools::SemanticIndex>> indexes_;  // by folder and model; guarded by mu_
};

}  // namespace codecrew::engine
