#include "tools/semantic/semantic_index.h"

#include "core/atomic_file.h"
#include "core/crypto.h"
#include "tools/search/text_search.h"
#include "tools/semantic/embedding_cache.h"
#include "tools/semantic/identifier_tokens.h"
#include "tools/semantic/repository_lock.h"

#include <boost/json.hpp>

#include <fnmatch.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace codecrew::tools {
namespace semantic_index_detail {

namespace json = boost::json;

constexpr int kManifestVersion = 1;
constexpr std::size_t kExactSearchLimit = 20000;  // filtered queries scan at most this many vectors

core::Result<std::string> readText(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return core::Error::notFound("no file " + file.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::uint64_t readGeneration(const std::filesystem::path& folder) {
  auto text = readText(folder / "generation");
  if (!text) return 0;
  try {
    return std::stoull(*text);
  } catch (...) {
    return 0;
  }
}

json::object chunkJson(const CodeChunk& c, const std::optional<std::uint64_t>& label) {
  json::object o{{"id", c.id},     {"start", c.startLine},   {"end", c.endLine}, {"symbol", c.symbol},
                 {"kind", c.kind}, {"language", c.language}, {"text", c.text}};
  if (label) o["label"] = *label;
  return o;
}

std::string str(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::int64_t integer(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (v && v->is_int64()) return v->as_int64();
  if (v && v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
  return 0;
}

}  // namespace semantic_index_detail

bool matchesPathGlobs(const std::vector<std::string>& globs, const std::string& path) {
  if (globs.empty()) return true;
  for (const auto& g : globs) {
    if (fnmatch(g.c_str(), path.c_str(), 0) == 0) return true;
    std::string dir = g.ends_with("/") ? g : g + "/";
    if (g.find_first_of("*?[") == std::string::npos && path.starts_with(dir)) return true;
  }
  return false;
}

std::vector<std::string> chunkTerms(const CodeChunk& c) {
  auto terms = identifierTokens(c.path);
  auto symbol = identifierTokens(c.symbol);
  auto text = identifierTokens(c.text);
  terms.insert(terms.end(), symbol.begin(), symbol.end());
  terms.insert(terms.end(), text.begin(), text.end());
  return terms;
}

std::string SemanticIndex::modelSlug(const std::string& model) {
  if (model.empty()) return "lexical";
  std::string slug;
  for (char c : model) slug += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ? c : '_';
  if (slug.size() > 48) slug.resize(48);
  return slug + "-" + core::sha256Hex(model).substr(0, 8);
}

SemanticIndex::SemanticIndex(std::filesystem::path repositoryFolder, std::string model, SemanticIndexOptions options)
    : repositoryFolder_(std::move(repositoryFolder)),
      modelFolder_(repositoryFolder_ / modelSlug(model)),
      model_(std::move(model)),
      options_(std::move(options)) {}

void SemanticIndex::reset() {
  files_.clear();
  vectors_.reset();
  nextLabel_ = 1;
  markDirty();
}

core::Status SemanticIndex::sync() {
  std::uint64_t onDisk = semantic_index_detail::readGeneration(modelFolder_);
  if (loaded_ && onDisk == generation_) return {};
  return load();
}

core::Status SemanticIndex::load() {
  namespace json = boost::json;
  using namespace semantic_index_detail;
  reset();
  loaded_ = true;
  generation_ = readGeneration(modelFolder_);
  auto text = readText(modelFolder_ / "manifest.json");
  if (!text) return {};  // nothing built yet
  json::error_code ec;
  auto parsed = json::parse(*text, ec);
  if (ec || !parsed.is_object()) return {};  // unreadable: rebuilt by the next update
  const auto& m = parsed.as_object();
  if (integer(m, "version") != kManifestVersion || str(m, "model") != model_) return {};
  std::size_t dims = static_cast<std::size_t>(integer(m, "dimensions"));
  std::set<std::uint64_t> labels;
  if (const auto* files = m.if_contains("files"); files && files->is_object()) {
    for (const auto& [path, f] : files->as_object()) {
      if (!f.is_object()) continue;
      FileRecord record;
      record.hash = str(f.as_object(), "hash");
      record.complete = f.as_object().contains("complete") && f.at("complete").as_bool();
      if (const auto* chunks = f.as_object().if_contains("chunks"); chunks && chunks->is_array()) {
        for (const auto& cv : chunks->as_array()) {
          const auto& c = cv.as_object();
          ChunkRecord r;
          r.chunk.id = str(c, "id");
          r.chunk.path = std::string(path);
          r.chunk.startLine = static_cast<int>(integer(c, "start"));
          r.chunk.endLine = static_cast<int>(integer(c, "end"));
          r.chunk.symbol = str(c, "symbol");
          r.chunk.kind = str(c, "kind");
          r.chunk.language = str(c, "language");
          r.chunk.text = str(c, "text");
          if (c.contains("label")) {
            r.label = static_cast<std::uint64_t>(integer(c, "label"));
            labels.insert(*r.label);
          }
          record.chunks.push_back(std::move(r));
        }
      }
      files_.emplace(std::string(path), std::move(record));
    }
  }
  nextLabel_ = static_cast<std::uint64_t>(std::max<std::int64_t>(1, integer(m, "next_label")));
  if (dims > 0 && !model_.empty()) {
    auto loaded = VectorIndex::load(modelFolder_ / "vectors.hnsw", dims, options_.vectors);
    if (!loaded) {  // the graph is gone: every chunk needs its vector again (from the cache)
      for (auto& [path, f] : files_) {
        f.complete = false;
        for (auto& c : f.chunks) c.label.reset();
      }
    } else {
      vectors_ = std::move(loaded).value();
      // A graph saved after its manifest (a crash in between) may hold labels the manifest does not.
      for (std::uint64_t l = 1; l < nextLabel_; ++l)
        if (!labels.count(l)) vectors_->remove(l);
      for (auto& [path, f] : files_) {
        for (auto& c : f.chunks) {
          if (c.label && !vectors_->contains(*c.label)) {
            c.label.reset();
            f.complete = false;
          }
        }
      }
    }
  }
  return {};
}

core::Status SemanticIndex::save() {
  namespace json = boost::json;
  using namespace semantic_index_detail;
  std::error_code ec;
  std::filesystem::create_directories(modelFolder_, ec);
  if (vectors_) {
    if (auto r = vectors_->save(modelFolder_ / "vectors.hnsw"); !r.ok()) return r;
  }
  json::object files;
  for (const auto& [path, f] : files_) {
    json::array chunks;
    for (const auto& c : f.chunks) chunks.push_back(chunkJson(c.chunk, c.label));
    files[path] = json::object{{"hash", f.hash}, {"complete", f.complete}, {"chunks", std::move(chunks)}};
  }
  json::object manifest{{"version", kManifestVersion},
                        {"model", model_},
                        {"dimensions", vectors_ ? vectors_->dimensions() : std::size_t{0}},
                        {"next_label", nextLabel_},
                        {"files", std::move(files)}};
  if (auto r = core::writeFileAtomically(modelFolder_ / "manifest.json", json::serialize(manifest)); !r.ok()) return r;
  std::uint64_t next = std::max(generation_, readGeneration(modelFolder_)) + 1;
  if (auto r = core::writeFileAtomically(modelFolder_ / "generation", std::to_string(next)); !r.ok()) return r;
  generation_ = next;
  return {};
}

core::Result<IndexUpdate> SemanticIndex::update(const Workspace& workspace, Embedder* embedder) {
  using namespace semantic_index_detail;
  if (embedder && embedder->model() != model_)
    return core::Error::invalidArgument("the embedder's model is not this index's");
  if (!embedder && !model_.empty()) return core::Error::invalidArgument("a vector index needs an embedder");
  std::lock_guard guard(mu_);
  auto lock = RepositoryLock::acquire(repositoryFolder_);
  if (!lock) return lock.error();
  if (auto r = sync(); !r.ok()) return r.error();
  lengthChanged_ = false;
  auto report = updateLocked(workspace, embedder, true);
  if (!report && lengthChanged_) {
    // The model's vectors changed length: rebuild from nothing, without the cache's old vectors.
    reset();
    report = updateLocked(workspace, embedder, false);
  }
  if (!report) loaded_ = false;  // memory may be ahead of the disk: read it again next time
  return report;
}

core::Result<IndexUpdate> SemanticIndex::updateLocked(const Workspace& workspace, Embedder* embedder, bool useCache) {
  using namespace semantic_index_detail;
  IndexUpdate report;
  // What the workspace holds now.
  auto listing = workspace.list({});
  if (!listing) return listing.error();
  std::map<std::string, std::string> contents;  // changed files' contents
  std::map<std::string, std::string> hashes;    // every indexable file's hash
  for (const auto& entry : listing->entries) {
    if (entry.type != EntryType::kFile || entry.size > options_.maxFileBytes) continue;
    if (hashes.size() >= options_.maxFiles) break;
    auto content = workspace.readFile(entry.path);
    if (!content || looksBinary(*content)) continue;
    std::string hash = core::sha256Hex(*content);
    auto it = files_.find(entry.path);
    if (it == files_.end() || it->second.hash != hash || !it->second.complete)
      contents.emplace(entry.path, std::move(content).value());
    hashes.emplace(entry.path, std::move(hash));
  }
  report.filesIndexed = hashes.size();
  report.filesChanged = contents.size();

  // Drop deleted files and the old chunks of changed ones.
  for (auto it = files_.begin(); it != files_.end();) {
    bool gone = !hashes.count(it->first);
    if (!gone && !contents.count(it->first)) {
      ++it;
      continue;
    }
    for (const auto& c : it->second.chunks) {
      if (c.label && vectors_) vectors_->remove(*c.label);
      ++report.chunksRemoved;
    }
    if (gone) ++report.filesRemoved;
    it = files_.erase(it);
  }
  markDirty();

  // Chunk the changed files (ctags over them alone).
  SymbolIndex symbols;
  if (!contents.empty()) {
    SymbolIndexOptions so = options_.symbols;
    for (const auto& [path, text] : contents) so.paths.push_back(path);
    auto built = SymbolIndex::build(workspace, so);
    if (built) symbols = std::move(built).value();  // without ctags: windows of lines
  }
  std::map<std::string, std::vector<Symbol>> byFile;
  for (const auto& s : symbols.symbols()) byFile[s.path].push_back(s);
  for (const auto& [path, text] : contents) {
    FileRecord record;
    record.hash = hashes[path];
    record.complete = embedder == nullptr;
    for (auto& c : chunkFile(path, text, byFile[path], options_.chunks)) record.chunks.push_back({std::move(c), {}});
    report.chunksAdded += record.chunks.size();
    files_[path] = std::move(record);
  }

  if (embedder) {
    auto opened = this->cache();
    if (!opened) return opened.error();
    EmbeddingCache* cache = *opened;
    auto place = [&](ChunkRecord& c, std::vector<float> v) -> core::Status {
      if (vectors_ && vectors_->dimensions() != v.size()) {
        // Another vector length under this model name: rebuild from nothing.
        lengthChanged_ = true;
        return core::Error::conflict("the embedding model's vector length changed");
      }
      if (!vectors_) vectors_.emplace(v.size(), options_.vectors);
      std::uint64_t label = nextLabel_++;
      if (auto r = vectors_->add(label, std::move(v)); !r.ok()) return r;
      c.label = label;
      return {};
    };
    // Texts to embed, each once, and the chunks waiting for each.
    std::vector<std::string> missing;
    std::map<std::string, std::vector<ChunkRecord*>> waiting;
    for (auto& [path, f] : files_) {
      if (f.complete) continue;
      for (auto& c : f.chunks) {
        if (c.label) continue;
        std::optional<std::vector<float>> v;
        if (useCache) v = cache->find(EmbeddingCache::keyOf(model_, c.chunk.text));
        if (v) {
          if (auto placed = place(c, std::move(*v)); !placed.ok()) return placed.error();
          ++report.cacheHits;
          continue;
        }
        auto& w = waiting[c.chunk.text];
        if (w.empty()) missing.push_back(c.chunk.text);
        w.push_back(&c);
      }
    }
    const std::size_t batch = std::max<std::size_t>(1, embedder->maxBatch());
    for (std::size_t at = 0; at < missing.size(); at += batch) {
      std::vector<std::string> texts(missing.begin() + static_cast<std::ptrdiff_t>(at),
                                     missing.begin() +
                                         static_cast<std::ptrdiff_t>(std::min(missing.size(), at + batch)));
      auto vectors = embedder->embed(texts);
      if (vectors && vectors->size() != texts.size())
        vectors = core::Error::internal("the embedder answered with " + std::to_string(vectors->size()) +
                                        " vectors for " + std::to_string(texts.size()) + " texts");
      if (!vectors) {
        report.embeddingError = vectors.error();
        break;
      }
      ++report.embeddingCalls;
      report.embedded += texts.size();
      for (std::size_t i = 0; i < texts.size(); ++i) {
        const auto& v = (*vectors)[i];
        if (auto r = cache->put(EmbeddingCache::keyOf(model_, texts[i]), v); !r.ok()) return r.error();
        for (auto* c : waiting[texts[i]])
          if (auto placed = place(*c, v); !placed.ok()) return placed.error();
      }
    }
    for (auto& [path, f] : files_) {
      f.complete = std::all_of(f.chunks.begin(), f.chunks.end(),
                               [](const ChunkRecord& c) { return c.label.has_value(); });
      report.complete = report.complete && f.complete;
    }
  }
  compact();
  for (const auto& [path, f] : files_) report.chunksTotal += f.chunks.size();
  if (report.filesChanged || report.filesRemoved || report.cacheHits || report.embedded)
    if (auto r = save(); !r.ok()) return r.error();
  return report;
}

void SemanticIndex::compact() {
  if (!vectors_ || vectors_->storedCount() <= 2 * vectors_->size() + 1024) return;
  VectorIndex fresh(vectors_->dimensions(), options_.vectors);
  for (auto& [path, f] : files_) {
    for (auto& c : f.chunks) {
      if (!c.label) continue;
      auto v = vectors_->vectorOf(*c.label);
      if (v && fresh.add(*c.label, std::move(*v)).ok()) continue;
      c.label.reset();
      f.complete = false;
    }
  }
  vectors_ = std::move(fresh);
}

std::vector<const SemanticIndex::ChunkRecord*> SemanticIndex::ordered() const {
  std::vector<const ChunkRecord*> out;
  for (const auto& [path, f] : files_)
    for (const auto& c : f.chunks) out.push_back(&c);
  return out;  // files_ is by path, chunks by line
}

const std::unordered_map<std::uint64_t, const SemanticIndex::ChunkRecord*>& SemanticIndex::labels() {
  if (!labelsBuilt_) {
    byLabel_.clear();
    unembedded_ = 0;
    for (const auto& [path, f] : files_) {
      for (const auto& c : f.chunks) {
        if (c.label) byLabel_[*c.label] = &c;
        else ++unembedded_;
      }
    }
    labelsBuilt_ = true;
  }
  return byLabel_;
}

const Bm25Index& SemanticIndex::bm25() {
  if (!bm25_) {
    bm25Docs_ = ordered();
    std::vector<std::vector<std::string>> docs;
    docs.reserve(bm25Docs_.size());
    for (const auto* c : bm25Docs_) docs.push_back(chunkTerms(c->chunk));
    bm25_.emplace(docs);
  }
  return *bm25_;
}

core::Result<EmbeddingCache*> SemanticIndex::cache() {
  if (!cache_) {
    auto opened = EmbeddingCache::open(repositoryFolder_ / "embeddings.cache");
    if (!opened) return opened.error();
    cache_.emplace(std::move(opened).value());
  } else if (auto r = cache_->refresh(); !r.ok()) {
    return r.error();
  }
  return &*cache_;
}

core::Result<std::vector<float>> SemanticIndex::embedQuery(const std::string& text, Embedder& embedder) {
  auto opened = cache();
  if (!opened) return opened.error();
  EmbeddingCache* cache = *opened;
  auto key = EmbeddingCache::keyOf(model_, text);
  if (auto v = cache->find(key)) return std::move(*v);
  auto vectors = embedder.embed({text});
  if (!vectors) return vectors.error();
  if (vectors->size() != 1) return core::Error::internal("the embedder answered with no vector");
  if (auto r = cache->put(key, vectors->front()); !r.ok()) return r.error();
  return std::move(vectors->front());
}

core::Result<SemanticResult> SemanticIndex::search(const SemanticQuery& query, Embedder* embedder) {
  using namespace semantic_index_detail;
  if (embedder && embedder->model() != model_)
    return core::Error::invalidArgument("the embedder's model is not this index's");
  std::lock_guard guard(mu_);
  auto lock = RepositoryLock::acquire(repositoryFolder_);
  if (!lock) return lock.error();
  if (auto r = sync(); !r.ok()) return r.error();
  SemanticResult result;
  const std::size_t k = std::max<std::size_t>(1, query.k);
  if (embedder && vectors_ && vectors_->size() > 0) {
    auto q = embedQuery(query.text, *embedder);
    if (q) {
      const auto& byLabel = labels();
      std::size_t unembedded = 0;
      std::vector<std::uint64_t> candidates;
      if (query.pathGlobs.empty()) {
        unembedded = unembedded_;
      } else {
        for (const auto& [path, f] : files_) {
          if (!matchesPathGlobs(query.pathGlobs, path)) continue;
          for (const auto& c : f.chunks) {
            if (c.label) candidates.push_back(*c.label);
            else ++unembedded;
          }
        }
      }
      std::vector<VectorHit> hits;
      if (query.pathGlobs.empty()) {
        hits = vectors_->search(*q, k);
      } else if (candidates.size() <= kExactSearchLimit) {
        hits = vectors_->exactSearch(*q, candidates, k);
      } else {
        std::set<std::uint64_t> allowed(candidates.begin(), candidates.end());
        for (const auto& h : vectors_->search(*q, k * 8))
          if (allowed.count(h.label) && hits.size() < k) hits.push_back(h);
      }
      for (const auto& h : hits)
        if (auto it = byLabel.find(h.label); it != byLabel.end()) result.hits.push_back({it->second->chunk, h.score});
      result.ranking = "semantic";
      if (unembedded) result.note = std::to_string(unembedded) + " chunks have no vector yet and were not ranked";
      return result;
    }
    result.note = "the query could not be embedded (" + q.error().message + "); ranked by BM25";
  } else if (embedder) {
    result.note = "no chunk has a vector yet; ranked by BM25";
  }
  const auto& index = bm25();
  auto accept = [&](std::size_t doc) { return matchesPathGlobs(query.pathGlobs, bm25Docs_[doc]->chunk.path); };
  std::function<bool(std::size_t)> filter;
  if (!query.pathGlobs.empty()) filter = accept;
  for (const auto& d : index.search(identifierTokens(query.text), k, filter))
    result.hits.push_back({bm25Docs_[d.doc]->chunk, d.score});
  result.ranking = "bm25";
  return result;
}

core::Result<std::vector<CodeChunk>> SemanticIndex::chunks() {
  std::lock_guard guard(mu_);
  auto lock = RepositoryLock::acquire(repositoryFolder_);
  if (!lock) return lock.error();
  if (auto r = sync(); !r.ok()) return r.error();
  std::vector<CodeChunk> out;
  for (const auto* c : ordered()) out.push_back(c->chunk);
  return out;
}

core::Result<std::map<std::string, std::vector<float>>> SemanticIndex::vectors() {
  std::lock_guard guard(mu_);
  auto lock = RepositoryLock::acquire(repositoryFolder_);
  if (!lock) return lock.error();
  if (auto r = sync(); !r.ok()) return r.error();
  std::map<std::string, std::vector<float>> out;
  for (const auto* c : ordered()) {
    if (!c->label || !vectors_) continue;
    if (auto v = vectors_->vectorOf(*c->label)) out[c->chunk.id] = std::move(*v);
  }
  return out;
}

}  // namespace codecrew::tools
