// Context retrieval: what an agent working on a repository is told about it
// before its first turn: the repository map (tools/search/repo_map.h) and
// the chunks most relevant to its task (tools/semantic), within a token
// budget: a share of the step's model context window, at most a maximum.
// The map takes up to a third of the budget, the chunks the rest, best
// first (a chunk that does not fit is skipped for a smaller one after it).
// What was included is returned as JSON for the step's event.
// Thread-safety: reentrant; search must allow concurrent calls.
#pragma once

#include "core/result.h"
#include "tools/semantic/semantic_search.h"
#include "tools/workspace/workspace.h"

#include <boost/json/object.hpp>

#include <string>

namespace codecrew::engine {

struct RetrievalBudget {
  std::int64_t context_window = 0;  // of the step's model; 0: unknown (128000 assumed)
  double share = 0.05;
  std::int64_t max_tokens = 4096;
};

struct RetrievedContext {
  std::string text;  // appended to the task's prompt; "" when nothing was retrieved
  std::int64_t budget = 0;
  std::int64_t tokens = 0;     // of text, estimated
  boost::json::object record;  // {ranking, note?, budget_tokens, tokens, map_files, chunks: [{id, path, start_line,
                               // end_line, symbol, score}]}
};

// The repository map of a workspace whose files have not changed since it
// was made: the caller keeps one and clears `valid` when the index reports
// a change, so that a run's steps share one ctags pass over the repository.
struct RepoMapCache {
  bool valid = false;
  std::size_t token_budget = 0;
  std::string text;
  std::size_t files = 0;
};

// The budget in tokens for a step (0 when retrieval is off for it).
std::int64_t retrievalTokens(const RetrievalBudget& budget);

// The task text is the query (its first 2000 characters). `map_cache`
// (optional) supplies the map when valid for the budget, and is filled
// otherwise.
RetrievedContext retrieveContext(const tools::Workspace& workspace, tools::SemanticSearch& search,
                                 const std::string& task, const RetrievalBudget& budget,
                                 RepoMapCache* map_cache = nullptr);

}  // namespace codecrew::engine
