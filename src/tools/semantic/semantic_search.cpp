#include "tools/semantic/semantic_search.h"

#include "tools/search/text_search.h"
#include "tools/semantic/identifier_tokens.h"

#include <map>

namespace codecrew::tools {

core::Result<SemanticResult> lexicalSearch(const Workspace& workspace, const SemanticQuery& query,
                                           const SemanticIndexOptions& options) {
  auto listing = workspace.list({});
  if (!listing) return listing.error();
  auto symbols = SymbolIndex::build(workspace, options.symbols);
  std::map<std::string, std::vector<Symbol>> byFile;
  if (symbols)
    for (const auto& s : symbols->symbols()) byFile[s.path].push_back(s);
  std::vector<CodeChunk> chunks;
  std::size_t files = 0;
  for (const auto& entry : listing->entries) {
    if (entry.type != EntryType::kFile || entry.size > options.maxFileBytes || ++files > options.maxFiles) continue;
    if (!matchesPathGlobs(query.pathGlobs, entry.path)) continue;
    auto content = workspace.readFile(entry.path);
    if (!content || looksBinary(*content)) continue;
    for (auto& c : chunkFile(entry.path, *content, byFile[entry.path], options.chunks)) chunks.push_back(std::move(c));
  }
  std::vector<std::vector<std::string>> docs;
  docs.reserve(chunks.size());
  for (const auto& c : chunks) docs.push_back(chunkTerms(c));
  Bm25Index index(docs);
  SemanticResult result;
  result.ranking = "bm25";
  for (const auto& d : index.search(identifierTokens(query.text), std::max<std::size_t>(1, query.k)))
    result.hits.push_back({chunks[d.doc], d.score});
  return result;
}

}  // namespace codecrew::tools
