// SemanticSearch: what the semantic_search tool and the context builder
// search: the index of the execution's repository, with the embedder the
// execution may use (none: BM25). RepositorySearch is the implementation
// over a SemanticIndex; lexicalSearch ranks a workspace by BM25 with no
// index on disk at all, for a tool call made where no index was set up.
// Thread-safety: search() and prepare() may be called concurrently.
#pragma once

#include "core/result.h"
#include "tools/semantic/semantic_index.h"

#include <memory>

namespace codecrew::tools {

class SemanticSearch {
 public:
  virtual ~SemanticSearch() = default;
  virtual core::Result<SemanticResult> search(const SemanticQuery& query) = 0;
};

class RepositorySearch final : public SemanticSearch {
 public:
  // embedder null: the lexical index. index->model must be embedder's.
  RepositorySearch(std::shared_ptr<SemanticIndex> index, std::shared_ptr<Embedder> embedder)
      : index_(std::move(index)), embedder_(std::move(embedder)) {}
  // Brings the index to the workspace (SemanticIndex::update).
  core::Result<IndexUpdate> prepare(const Workspace& workspace) { return index_->update(workspace, embedder_.get()); }
  core::Result<SemanticResult> search(const SemanticQuery& query) override {
    return index_->search(query, embedder_.get());
  }
  SemanticIndex& index() { return *index_; }

 private:
  std::shared_ptr<SemanticIndex> index_;
  std::shared_ptr<Embedder> embedder_;
};

// Chunks the workspace (ctags over all of it) and ranks the chunks by BM25.
core::Result<SemanticResult> lexicalSearch(const Workspace& workspace, const SemanticQuery& query,
                                           const SemanticIndexOptions& options = {});

}  // namespace codecrew::tools
