#include "tools/search/text_search.h"

#include <fnmatch.h>
#include <re2/re2.h>

#include <algorithm>
#include <cstring>

namespace codecrew::tools {
namespace {

constexpr int kMaxContextLines = 20;

std::string buildPattern(const TextSearchOptions& options) {
  std::string core = options.regex ? options.query : RE2::QuoteMeta(options.query);
  std::string pattern = options.caseSensitive ? "(?m)" : "(?mi)";
  if (options.wholeWord) return pattern + "\\b(?:" + core + ")\\b";
  return pattern + (options.regex ? "(?:" + core + ")" : core);
}

std::string_view lineAround(std::string_view text, std::size_t lineStart) {
  std::size_t end = text.find('\n', lineStart);
  if (end == std::string_view::npos) end = text.size();
  std::string_view line = text.substr(lineStart, end - lineStart);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

void addContext(std::string_view text, std::size_t lineStart, int count, TextMatch& match) {
  std::size_t start = lineStart;
  for (int i = 0; i < count && start > 0; ++i) {
    const std::size_t prevEnd = start - 1;  // the previous line's newline
    std::size_t prevStart = prevEnd == 0 ? std::string_view::npos : text.rfind('\n', prevEnd - 1);
    prevStart = prevStart == std::string_view::npos ? 0 : prevStart + 1;
    match.before.insert(match.before.begin(), std::string(lineAround(text, prevStart)));
    start = prevStart;
  }
  std::size_t next = text.find('\n', lineStart);
  for (int i = 0; i < count && next != std::string_view::npos && next + 1 < text.size(); ++i) {
    match.after.emplace_back(lineAround(text, next + 1));
    next = text.find('\n', next + 1);
  }
}

// Appends the matches in one file; returns false once maxResults is reached.
bool searchFile(const RE2& re, const std::string& path, std::string_view text, const TextSearchOptions& options,
                TextSearchResult& result) {
  const int context = std::clamp(options.contextLines, 0, kMaxContextLines);
  std::size_t pos = 0, counted = 0;
  int line = 1;
  re2::StringPiece match;
  while (pos <= text.size() && re.Match(text, pos, text.size(), RE2::UNANCHORED, &match, 1)) {
    std::size_t at = static_cast<std::size_t>(match.data() - text.data());
    line += static_cast<int>(
        std::count(text.begin() + static_cast<long>(counted), text.begin() + static_cast<long>(at), '\n'));
    counted = at;
    std::size_t lineStart = at == 0 ? 0 : text.rfind('\n', at - 1);
    lineStart = lineStart == std::string_view::npos || at == 0 ? 0 : lineStart + 1;
    if (result.matches.size() >= options.maxResults) {
      result.truncated = true;
      return false;
    }
    TextMatch m{path, line, static_cast<int>(at - lineStart) + 1, std::string(lineAround(text, lineStart)), {}, {}};
    if (context > 0) addContext(text, lineStart, context, m);
    result.matches.push_back(std::move(m));
    std::size_t lineEnd = text.find('\n', at);
    if (lineEnd == std::string_view::npos) break;
    pos = lineEnd + 1;
  }
  return true;
}

}  // namespace

bool looksBinary(std::string_view content) {
  return std::memchr(content.data(), '\0', std::min<std::size_t>(content.size(), 8192)) != nullptr;
}

core::Result<TextSearchResult> searchText(const Workspace& workspace, const TextSearchOptions& options) {
  if (options.query.empty()) return core::Error::invalidArgument("search query is empty");
  RE2::Options reOptions;
  reOptions.set_log_errors(false);
  RE2 re(buildPattern(options), reOptions);
  if (!re.ok()) return core::Error::invalidArgument("invalid regular expression: " + re.error());
  auto listing = workspace.list({.directory = options.directory, .recursive = true});
  if (!listing) return listing.error();
  TextSearchResult result;
  for (const FileEntry& entry : listing->entries) {
    if (entry.type != EntryType::kFile || entry.size > workspace.limits().maxFileBytes) continue;
    if (!options.pathGlob.empty() && fnmatch(options.pathGlob.c_str(), entry.path.c_str(), 0) != 0) continue;
    auto content = workspace.readFile(entry.path);
    if (!content || looksBinary(*content)) continue;
    ++result.filesSearched;
    if (!searchFile(re, entry.path, *content, options, result)) break;
  }
  return result;
}

}  // namespace codecrew::tools
