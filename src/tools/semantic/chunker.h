// Chunker: splits a file into CodeChunks for the semantic index.
// - Code with definitions (ctags symbols of the file): one chunk per
//   definition of a "container" kind (function, method, class, struct,
//   ...), from the comment lines just above it to the line before the next
//   one; the lines before the first definition form a "preamble" chunk.
// - Markdown (and reStructuredText-less plain docs with # headings): one
//   chunk per heading, outside code fences.
// - Anything else: windows of lines.
// A piece over the token bound is cut into windows of lines that fit (a
// single line over the bound is kept whole). Blank pieces are dropped.
// Thread-safety: pure functions.
#pragma once

#include "tools/search/repo_map.h"
#include "tools/search/symbol_index.h"
#include "tools/semantic/code_chunk.h"

#include <string>
#include <string_view>
#include <vector>

namespace codecrew::tools {

struct ChunkOptions {
  std::size_t maxTokens = 400;  // per chunk, as countTokens says
  TokenCounter countTokens;     // empty: estimateTokens (bytes / 4)
};

// "C++", "C", "Python", "Go", "Rust", "JavaScript", "TypeScript", "Java",
// "Markdown", "Shell", ... by extension; "" when unknown.
std::string languageOfPath(std::string_view path);

// The chunk id of a piece (see CodeChunk::id).
std::string chunkIdOf(std::string_view path, int startLine, std::string_view text);

// symbols: the definitions of this file (any order; others are ignored).
std::vector<CodeChunk> chunkFile(std::string_view path, std::string_view content, const std::vector<Symbol>& symbols,
                                 const ChunkOptions& options = {});

}  // namespace codecrew::tools
