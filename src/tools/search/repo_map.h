// Repository map: a compact outline of a workspace for a model's prompt: the
// most important files and their key definitions, fitted to a token budget.
// Files are ranked by PageRank over the graph in which file A points at file B
// when A mentions an identifier that B defines (Aider's idea); focus files (the
// ones the agent is working on) personalise the ranking. Within a file,
// definitions are ordered by how much ranked code refers to them.
// Thread-safety: buildRepoMap is reentrant; the workspace must allow
// concurrent reads.
#pragma once

#include "core/result.h"
#include "tools/search/symbol_index.h"
#include "tools/workspace/workspace.h"

#include <functional>
#include <string>
#include <vector>

namespace codecrew::tools {

// Counts the tokens of a piece of text; the default estimates bytes / 4.
using TokenCounter = std::function<std::size_t(std::string_view)>;

std::size_t estimateTokens(std::string_view text);

struct RepoMapOptions {
  std::size_t tokenBudget = 1024;
  TokenCounter countTokens;             // empty: estimateTokens
  std::vector<std::string> focusFiles;  // relative paths to weigh up
  std::size_t maxSymbolsPerFile = 20;
  int pageRankIterations = 40;
  double damping = 0.85;
};

struct RankedFile {
  std::string path;
  double rank = 0;
  std::vector<Symbol> symbols;  // the ones shown, most referenced first
};

struct RepoMap {
  std::string text;               // what goes into the prompt
  std::vector<RankedFile> files;  // the files shown, best first
  std::size_t tokens = 0;         // as counted by the counter
  bool truncated = false;         // some ranked files or symbols did not fit
};

// Ranks the files of an index, reading their contents through the workspace.
core::Result<RepoMap> buildRepoMap(const Workspace& workspace, const SymbolIndex& index, const RepoMapOptions& options);

// PageRank of a weighted directed graph (edges[from] = {to, weight}), with an
// optional personalisation vector (empty: uniform). Ranks sum to 1.
std::vector<double> pageRank(const std::vector<std::vector<std::pair<std::size_t, double>>>& edges,
                             const std::vector<double>& personalization, int iterations, double damping);

}  // namespace codecrew::tools
