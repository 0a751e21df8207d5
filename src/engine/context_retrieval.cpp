#include "engine/context_retrieval.h"

#include "tools/search/repo_map.h"

#include <boost/json/array.hpp>

#include <algorithm>

namespace codecrew::engine {

namespace context_retrieval_detail {

constexpr std::size_t kQueryChars = 2000;
constexpr std::size_t kCandidates = 24;

std::string chunkBlock(const tools::CodeChunk& c) {
  std::string head = "### " + c.path + ":" + std::to_string(c.startLine) + "-" + std::to_string(c.endLine);
  if (!c.symbol.empty()) head += " (" + c.symbol + ")";
  return head + "\n```\n" + c.text + "```\n";
}

}  // namespace context_retrieval_detail

std::int64_t retrievalTokens(const RetrievalBudget& budget) {
  const std::int64_t window = budget.context_window > 0 ? budget.context_window : 128000;
  auto share = static_cast<std::int64_t>(static_cast<double>(window) * budget.share);
  return std::max<std::int64_t>(0, std::min(share, budget.max_tokens));
}

RetrievedContext retrieveContext(const tools::Workspace& workspace, tools::SemanticSearch& search,
                                 const std::string& task, const RetrievalBudget& budget, RepoMapCache* map_cache) {
  using namespace context_retrieval_detail;
  RetrievedContext out;
  out.budget = retrievalTokens(budget);
  out.record["budget_tokens"] = out.budget;
  if (out.budget < 64) {
    out.record["ranking"] = "none";
    return out;
  }
  std::string text = "\n\n## Repository context\n";
  const std::int64_t header = static_cast<std::int64_t>(tools::estimateTokens(text));
  std::int64_t used = header;

  // The map: up to a third of the budget.
  const auto map_budget = static_cast<std::size_t>(out.budget / 3);
  RepoMapCache built;
  RepoMapCache& map = map_cache ? *map_cache : built;
  if (!map.valid || map.token_budget != map_budget) {
    map = RepoMapCache{true, map_budget, "", 0};
    if (auto index = tools::SymbolIndex::build(workspace); index) {
      tools::RepoMapOptions options;
      options.tokenBudget = map_budget;
      if (auto made = tools::buildRepoMap(workspace, *index, options); made) {
        map.text = made->text;
        map.files = made->files.size();
      }
    }
  }
  std::size_t map_files = 0;
  if (!map.text.empty()) {
    text += "Repository map (most referenced files and definitions):\n" + map.text + "\n";
    used = static_cast<std::int64_t>(tools::estimateTokens(text));
    map_files = map.files;
  }
  out.record["map_files"] = map_files;

  // The chunks most relevant to the task, best first, as many as fit.
  boost::json::array included;
  tools::SemanticQuery query{task.substr(0, kQueryChars), kCandidates, {}};
  auto found = search.search(query);
  if (found) {
    out.record["ranking"] = found->ranking;
    if (!found->note.empty()) out.record["note"] = found->note;
    std::string chunks;
    for (const auto& hit : found->hits) {
      std::string block = chunkBlock(hit.chunk);
      auto tokens = static_cast<std::int64_t>(tools::estimateTokens(block));
      if (used + tokens > out.budget) continue;
      if (chunks.empty()) chunks = "Code and docs related to the task (" + found->ranking + " ranking):\n";
      chunks += block;
      used += tokens;
      included.push_back(boost::json::object{{"id", hit.chunk.id},
                                             {"path", hit.chunk.path},
                                             {"start_line", hit.chunk.startLine},
                                             {"end_line", hit.chunk.endLine},
                                             {"symbol", hit.chunk.symbol},
                                             {"score", hit.score}});
    }
    text += chunks;
  } else {
    out.record["ranking"] = "none";
    out.record["note"] = found.error().message;
  }
  out.record["chunks"] = std::move(included);
  if (map_files == 0 && out.record["chunks"].as_array().empty()) {
    out.record["tokens"] = 0;
    return out;
  }
  out.text = std::move(text);
  out.tokens = static_cast<std::int64_t>(tools::estimateTokens(out.text));
  out.record["tokens"] = out.tokens;
  return out;
}

}  // namespace codecrew::engine
