#include "tools/builtin/builtin_tools.h"
#include "tools/builtin/schema_builder.h"
#include "tools/search/repo_map.h"
#include "tools/search/symbol_index.h"
#include "tools/search/text_search.h"
#include "tools/semantic/semantic_search.h"

namespace codecrew::tools {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;
using core::Result;

object matchJson(const TextMatch& m) {
  object out{{"path", m.path}, {"line", m.line}, {"column", m.column}, {"text", m.text}};
  if (!m.before.empty()) out["before"] = boost::json::value_from(m.before);
  if (!m.after.empty()) out["after"] = boost::json::value_from(m.after);
  return out;
}

Result<value> searchTextTool(const object& args, ToolContext& ctx) {
  TextSearchOptions options{.query = schema::str(args, "query"),
                            .regex = schema::flag(args, "regex", false),
                            .caseSensitive = schema::flag(args, "case_sensitive", true),
                            .wholeWord = schema::flag(args, "whole_word", false),
                            .directory = schema::str(args, "directory"),
                            .pathGlob = schema::str(args, "glob"),
                            .maxResults = static_cast<std::size_t>(schema::num(args, "max_results", 100)),
                            .contextLines = static_cast<int>(schema::num(args, "context_lines", 0))};
  auto result = searchText(ctx.workspace, options);
  if (!result) return result.error();
  array matches;
  for (const auto& m : result->matches) matches.push_back(matchJson(m));
  return value(object{{"matches", std::move(matches)},
                      {"truncated", result->truncated},
                      {"files_searched", result->filesSearched}});
}

Result<value> findSymbolTool(const object& args, ToolContext& ctx) {
  const std::string name = schema::str(args, "name");
  auto index = SymbolIndex::build(ctx.workspace);
  if (!index) return index.error();
  array definitions;
  for (const auto& s : index->definitionsOf(name)) {
    definitions.push_back(
        object{{"path", s.path}, {"line", s.line}, {"kind", s.kind}, {"scope", s.scope}, {"signature", s.signature}});
  }
  object out{{"name", name}, {"definitions", std::move(definitions)}};
  if (schema::flag(args, "include_references", true)) {
    auto refs = findReferences(ctx.workspace, name, static_cast<std::size_t>(schema::num(args, "max_references", 100)));
    if (!refs) return refs.error();
    array references;
    for (const auto& m : refs->matches) references.push_back(matchJson(m));
    out["references"] = std::move(references);
    out["references_truncated"] = refs->truncated;
  }
  return value(std::move(out));
}

Result<value> repoMapTool(const object& args, ToolContext& ctx) {
  auto index = SymbolIndex::build(ctx.workspace);
  if (!index) return index.error();
  RepoMapOptions options;
  options.tokenBudget = static_cast<std::size_t>(schema::num(args, "token_budget", 1024));
  if (auto* focus = args.if_contains("focus_files")) {
    for (const auto& f : focus->as_array()) options.focusFiles.emplace_back(f.as_string());
  }
  auto map = buildRepoMap(ctx.workspace, *index, options);
  if (!map) return map.error();
  array files;
  for (const auto& f : map->files) {
    array symbols;
    for (const auto& s : f.symbols) symbols.emplace_back(s.name);
    files.push_back(object{{"path", f.path}, {"rank", f.rank}, {"symbols", std::move(symbols)}});
  }
  return value(
      object{{"map", map->text}, {"files", std::move(files)}, {"tokens", map->tokens}, {"truncated", map->truncated}});
}

constexpr std::size_t kSemanticTextLines = 40;  // of each hit's chunk, in the answer

std::string firstLines(const std::string& text, std::size_t lines) {
  std::size_t pos = 0;
  for (std::size_t i = 0; i < lines && pos < text.size(); ++i) {
    auto nl = text.find('\n', pos);
    if (nl == std::string::npos) return text;
    pos = nl + 1;
  }
  return pos >= text.size() ? text : text.substr(0, pos) + "...\n";
}

Result<value> semanticSearchTool(const object& args, ToolContext& ctx) {
  SemanticQuery query;
  query.text = schema::str(args, "query");
  if (query.text.empty()) return core::Error::invalidArgument("query must not be empty");
  query.k = static_cast<std::size_t>(std::clamp<std::int64_t>(schema::num(args, "k", 8), 1, 50));
  if (auto* paths = args.if_contains("paths"))
    for (const auto& p : paths->as_array()) query.pathGlobs.emplace_back(p.as_string());
  auto result = ctx.semantic ? ctx.semantic->search(query) : lexicalSearch(ctx.workspace, query);
  if (!result) return result.error();
  array hits;
  for (const auto& h : result->hits) {
    hits.push_back(object{{"path", h.chunk.path},
                          {"start_line", h.chunk.startLine},
                          {"end_line", h.chunk.endLine},
                          {"symbol", h.chunk.symbol},
                          {"kind", h.chunk.kind},
                          {"language", h.chunk.language},
                          {"score", h.score},
                          {"text", firstLines(h.chunk.text, kSemanticTextLines)}});
  }
  object out{{"ranking", result->ranking}, {"results", std::move(hits)}};
  if (!result->note.empty()) out["note"] = result->note;
  return value(std::move(out));
}

}  // namespace

void addSearchTools(ToolRegistry& registry) {
  using schema::property;
  registry.add(std::make_unique<FunctionTool>(
      ToolSpec{"search_text",
               "Search the workspace's text files for a literal string or an RE2 regular expression "
               "(ignored and binary files are skipped).",
               schema::object({{"query", property("string", "Text or regular expression to find")},
                               {"regex", property("boolean", "Treat query as a regular expression (default false)")},
                               {"case_sensitive", property("boolean", "Default true")},
                               {"whole_word", property("boolean", "Match whole identifiers only (default false)")},
                               {"directory", property("string", "Only search below this folder")},
                               {"glob", property("string", "Only paths matching this pattern, e.g. *.cpp")},
                               {"max_results", schema::integer("Stop after this many matches", 1, 5000)},
                               {"context_lines", schema::integer("Lines of context around each match", 0, 20)}},
                              {"query"})},
      searchTextTool));
  registry.add(std::make_unique<FunctionTool>(
      ToolSpec{"find_symbol", "Find where a function, class or other symbol is defined, and where it is used.",
               schema::object({{"name", property("string", "Exact symbol name")},
                               {"include_references", property("boolean", "Also list uses (default true)")},
                               {"max_references", schema::integer("Maximum uses to list", 1, 5000)}},
                              {"name"})},
      findSymbolTool));
  boost::json::object focus{{"type", "array"},
                            {"items", {{"type", "string"}}},
                            {"description", "Files you are working on; the map centres on them"}};
  registry.add(std::make_unique<FunctionTool>(
      ToolSpec{"repo_map",
               "An outline of the repository's most important files and definitions, within a token budget.",
               schema::object({{"token_budget", schema::integer("Maximum size of the map in tokens", 64, 65536)},
                               {"focus_files", focus}},
                              {})},
      repoMapTool));
  boost::json::object paths{{"type", "array"},
                            {"items", {{"type", "string"}}},
                            {"description",
                             "Only files matching one of these patterns (src/*, *.py) or below these folders"}};
  registry.add(std::make_unique<FunctionTool>(
      ToolSpec{"semantic_search",
               "Find the code and docs most related to a question or description in natural language "
               "(functions, classes, sections), best first, with path, lines and symbol. Ranked by "
               "embeddings when the server has an embedding model (ranking \"semantic\"), else by BM25 "
               "over identifiers and words (ranking \"bm25\").",
               schema::object({{"query", property("string", "What you are looking for, in words or identifiers")},
                               {"k", schema::integer("How many results (default 8)", 1, 50)},
                               {"paths", paths}},
                              {"query"})},
      semanticSearchTool));
}

}  // namespace codecrew::tools
