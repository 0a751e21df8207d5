// SemanticIndex: one repository's chunks (chunker.h) under one embedding
// model, with their vectors in an HNSW graph (vector_index.h) and a BM25
// ranking (bm25_index.h) over the same chunks. On disk, under the
// repository's folder (<data>/index/<tenant>/<repository key>):
//   embeddings.cache         vectors by sha256(model, text), shared by models' indexes
//   <model slug>/manifest.json  files (content hash, complete?) and their chunks (with labels)
//   <model slug>/vectors.hnsw   the graph; labels are the manifest's
//   <model slug>/generation     bumped by every write, so other instances reload
//   lock                      held (repository_lock.h) by every update and search
// The model slug is "lexical" for the BM25-only index (no embeddings
// provider). Another model (its name; RouterEmbedder's includes the vector
// length asked for) has its own folder and is built from nothing; vectors of
// another length under the same name, when an update meets them, rebuild the
// index without the cache's old vectors.
//
// update() brings the index to a workspace's files: it hashes every
// indexable file (not ignored, not binary, under the size limit) and
// re-chunks only files that were added or changed (renamed files are a
// deletion and an addition; their chunks' vectors come from the cache),
// removing the chunks of deleted and changed files. Vectors come from the
// cache first and then from the embedder, in batches of maxBatch(); when a
// call fails the index keeps what it has (the chunks of that file are
// searchable by BM25 at once, and by vector once a later update completes
// them) and the error is reported in the IndexUpdate, not as a failure.
// The result of any sequence of updates is the same set of chunks (ids and
// vectors) as a fresh build of the last workspace.
//
// search() ranks by cosine similarity when an embedder is given and the
// index has vectors ("semantic"; chunks still without one are noted), else,
// or when the query cannot be embedded, by BM25 ("bm25", with the reason);
// path globs (fnmatch, any of them) restrict the chunks.
// Thread-safety: all methods may be called concurrently (an internal mutex
// and the repository lock serialise them); several instances, in several
// processes, may share one folder.
#pragma once

#include "core/result.h"
#include "tools/search/symbol_index.h"
#include "tools/semantic/bm25_index.h"
#include "tools/semantic/chunker.h"
#include "tools/semantic/embedder.h"
#include "tools/semantic/embedding_cache.h"
#include "tools/semantic/vector_index.h"
#include "tools/workspace/workspace.h"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace codecrew::tools {

struct SemanticIndexOptions {
  ChunkOptions chunks;
  std::uint64_t maxFileBytes = 512u << 10;  // larger files are not indexed
  std::size_t maxFiles = 50000;
  SymbolIndexOptions symbols;  // ctags; without ctags files are cut in windows
  VectorIndexOptions vectors;
};

struct IndexUpdate {
  std::size_t filesIndexed = 0;  // indexable files in the workspace
  std::size_t filesChanged = 0;  // added, changed, or incomplete before
  std::size_t filesRemoved = 0;  // no longer in the workspace
  std::size_t chunksAdded = 0;
  std::size_t chunksRemoved = 0;
  std::size_t chunksTotal = 0;
  std::size_t cacheHits = 0;                  // vectors found in the cache
  std::size_t embedded = 0;                   // texts sent to the embedder
  std::size_t embeddingCalls = 0;             // successful calls
  bool complete = true;                       // every chunk has a vector (always, without an embedder)
  std::optional<core::Error> embeddingError;  // the call that failed, if one did
};

struct SemanticQuery {
  std::string text;
  std::size_t k = 8;
  std::vector<std::string> pathGlobs;  // fnmatch on the relative path; empty: all
};

struct SemanticHit {
  CodeChunk chunk;
  double score = 0;
};

struct SemanticResult {
  std::vector<SemanticHit> hits;  // best first
  std::string ranking;            // "semantic" or "bm25"
  std::string note;               // why bm25 stood in, when an embedder was given
};

// Whether a relative path matches any of the globs (fnmatch; a glob without
// wildcards also names a folder: "src" matches "src/a.cpp"); true for none.
bool matchesPathGlobs(const std::vector<std::string>& globs, const std::string& path);
// The BM25 terms of a chunk: its path's, symbol's and text's identifierTokens.
std::vector<std::string> chunkTerms(const CodeChunk& chunk);

class SemanticIndex {
 public:
  // model: the embedder's model() for a vector index, "" for the lexical one.
  SemanticIndex(std::filesystem::path repositoryFolder, std::string model, SemanticIndexOptions options = {});

  // embedder: null for the lexical index; its model() must be this index's.
  core::Result<IndexUpdate> update(const Workspace& workspace, Embedder* embedder);
  // embedder: null ranks by BM25.
  core::Result<SemanticResult> search(const SemanticQuery& query, Embedder* embedder);

  // Every chunk, sorted by path and line (after loading what is on disk).
  core::Result<std::vector<CodeChunk>> chunks();
  // The labels of the chunks that have vectors, by chunk id (for tests).
  core::Result<std::map<std::string, std::vector<float>>> vectors();
  const std::filesystem::path& folder() const { return modelFolder_; }

  static std::string modelSlug(const std::string& model);

 private:
  struct ChunkRecord {
    CodeChunk chunk;
    std::optional<std::uint64_t> label;  // in vectors_, once embedded
  };
  struct FileRecord {
    std::string hash;  // sha256 of the content
    bool complete = true;
    std::vector<ChunkRecord> chunks;
  };

  // Under the locks: reloads when the generation on disk is not ours.
  core::Status sync();
  core::Status load();
  core::Status save();
  // update() under the locks; an error with lengthChanged_ set when a
  // vector's length is not the index's (the caller rebuilds). useCache:
  // take vectors from the cache.
  core::Result<IndexUpdate> updateLocked(const Workspace& workspace, Embedder* embedder, bool useCache);
  // Rebuilds the graph without its deleted points when they outnumber the live ones.
  void compact();
  void reset();
  void markDirty() {
    bm25_.reset();
    labelsBuilt_ = false;
  }
  const Bm25Index& bm25();
  // The chunks by vector label (and the count of chunks without one), built on demand.
  const std::unordered_map<std::uint64_t, const ChunkRecord*>& labels();
  std::vector<const ChunkRecord*> ordered() const;
  core::Result<std::vector<float>> embedQuery(const std::string& text, Embedder& embedder);

  // The repository's embedding cache, opened on first use (guarded by mu_).
  core::Result<EmbeddingCache*> cache();

  std::filesystem::path repositoryFolder_;
  std::filesystem::path modelFolder_;
  std::string model_;
  SemanticIndexOptions options_;

  std::mutex mu_;  // guards everything below
  std::uint64_t generation_ = 0;
  bool loaded_ = false;
  std::map<std::string, FileRecord> files_;  // by path
  std::optional<VectorIndex> vectors_;
  std::uint64_t nextLabel_ = 1;
  std::optional<Bm25Index> bm25_;
  std::vector<const ChunkRecord*> bm25Docs_;
  std::optional<EmbeddingCache> cache_;
  bool lengthChanged_ = false;
  bool labelsBuilt_ = false;
  std::unordered_map<std::uint64_t, const ChunkRecord*> byLabel_;
  std::size_t unembedded_ = 0;
};

}  // namespace codecrew::tools
