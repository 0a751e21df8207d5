#include "code/search_replace.h"

#include "code/nearest_match.h"
#include "code/text_lines.h"

#include <boost/json/object.hpp>

#include <algorithm>
#include <map>

namespace codecrew::code {

namespace {

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string_view trimRight(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// A marker line: 5 to 9 copies of `c`, then optionally a space and `word`.
bool isMarker(std::string_view line, char c, std::string_view word) {
  std::string_view t = trim(line);
  size_t n = 0;
  while (n < t.size() && t[n] == c) ++n;
  if (n < 5 || n > 9) return false;
  return trim(t.substr(n)) == word;
}

bool isFence(std::string_view line) { return startsWith(trim(line), "```"); }

// The file path written on `line`, or empty when the line does not look like one.
std::string pathOn(std::string_view line) {
  std::string_view t = trim(line);
  while (!t.empty() && (t.front() == '`' || t.front() == '*' || t.front() == '#')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == '`' || t.back() == '*' || t.back() == ':')) t.remove_suffix(1);
  t = trim(t);
  bool hasSpace = std::any_of(t.begin(), t.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
  return t.empty() || hasSpace ? std::string() : std::string(t);
}

std::string pathBefore(const std::vector<std::string_view>& lines, size_t searchLine) {
  if (searchLine == 0) return {};
  size_t i = searchLine - 1;
  if (isFence(lines[i])) {
    if (i == 0) return {};
    --i;
  }
  return pathOn(lines[i]);
}

size_t leadingWhitespace(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && (s[n] == ' ' || s[n] == '\t')) ++n;
  return n;
}

bool isBlank(std::string_view s) { return trim(s).empty(); }

}  // namespace

core::Result<std::vector<SearchReplaceBlock>> parseSearchReplaceBlocks(std::string_view text) {
  auto lines = splitLines(text);
  std::vector<SearchReplaceBlock> blocks;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!isMarker(lines[i], '<', "SEARCH")) continue;
    SearchReplaceBlock block;
    block.index = blocks.size() + 1;
    block.textLine = i + 1;
    block.path = pathBefore(lines, i);
    if (block.path.empty() && !blocks.empty()) block.path = blocks.back().path;
    if (block.path.empty()) {
      return core::Error::invalidArgument("edit line " + std::to_string(i + 1) +
                                          ": no file path on the line before <<<<<<< SEARCH");
    }
    size_t j = i + 1;
    for (; j < lines.size() && !isMarker(lines[j], '=', ""); ++j) block.search.append(lines[j]);
    if (j == lines.size()) {
      return core::Error::invalidArgument("edit line " + std::to_string(i + 1) +
                                          ": SEARCH block without its ======= line");
    }
    for (++j; j < lines.size() && !isMarker(lines[j], '>', "REPLACE"); ++j) block.replace.append(lines[j]);
    if (j == lines.size()) {
      return core::Error::invalidArgument("edit line " + std::to_string(i + 1) +
                                          ": SEARCH block without its >>>>>>> REPLACE line");
    }
    blocks.push_back(std::move(block));
    i = j;
  }
  return blocks;
}

namespace {

// Finds the single place where a block's SEARCH lines match a file, tier by tier.
class BlockMatcher {
 public:
  BlockMatcher(std::string_view content, const SearchReplaceBlock& block)
      : block_(block),
        file_(splitLines(content)),
        search_(splitLines(block.search)),
        replace_(splitLines(block.replace)) {}

  core::Result<SearchReplaceOutcome> run();

 private:
  using LineTest = bool (BlockMatcher::*)(size_t fileLine, size_t searchLine) const;

  bool exact(size_t f, size_t s) const {
    if (file_[f] == search_[s]) return true;
    // The file's last line may lack the newline the SEARCH line carries.
    return f + 1 == file_.size() && !hasNewline(file_[f]) && s + 1 == search_.size() &&
           std::string(file_[f]) + "\n" == search_[s];
  }
  bool looseEnd(size_t f, size_t s) const { return trimRight(file_[f]) == trimRight(search_[s]); }
  bool anyWhitespace(size_t f, size_t s) const {
    return normalizeWhitespace(file_[f]) == normalizeWhitespace(search_[s]);
  }
  std::vector<size_t> matches(LineTest test) const;
  std::optional<std::string> indentAt(size_t pos) const;
  std::vector<size_t> reindentMatches() const;
  std::string replacement(size_t pos, const std::string& indent, bool reindent) const;
  SearchReplaceOutcome splice(size_t pos, const std::string& text, SearchMatch kind) const;
  core::Error ambiguous(const std::vector<size_t>& at) const;
  core::Error noMatch() const;

  const SearchReplaceBlock& block_;
  std::vector<std::string_view> file_, search_, replace_;
  size_t searchIndent_ = 0;
};

std::vector<size_t> BlockMatcher::matches(LineTest test) const {
  std::vector<size_t> out;
  const size_t m = search_.size();
  for (size_t p = 0; p + m <= file_.size(); ++p) {
    bool all = true;
    for (size_t i = 0; i < m && all; ++i) all = (this->*test)(p + i, i);
    if (all) out.push_back(p);
  }
  return out;
}

// The indentation that turns the (outdented) SEARCH lines into the file's
// lines at `pos`, when one prefix fits them all.
std::optional<std::string> BlockMatcher::indentAt(size_t pos) const {
  std::optional<std::string> indent;
  for (size_t i = 0; i < search_.size(); ++i) {
    std::string_view s = trimRight(search_[i]);
    std::string_view f = trimRight(file_[pos + i]);
    if (isBlank(s)) {
      if (!isBlank(f)) return std::nullopt;
      continue;
    }
    s.remove_prefix(std::min(searchIndent_, leadingWhitespace(s)));
    if (f.size() < s.size() || f.substr(f.size() - s.size()) != s) return std::nullopt;
    std::string_view prefix = f.substr(0, f.size() - s.size());
    if (leadingWhitespace(prefix) != prefix.size()) return std::nullopt;
    if (indent && *indent != prefix) return std::nullopt;
    indent = std::string(prefix);
  }
  return indent;
}

std::vector<size_t> BlockMatcher::reindentMatches() const {
  std::vector<size_t> out;
  for (size_t p = 0; p + search_.size() <= file_.size(); ++p) {
    if (indentAt(p)) out.push_back(p);
  }
  return out;
}

// The REPLACE text as it goes into the file at `pos`: re-indented when the
// match was, with the file's line endings, and without a final newline
// where the replaced region ended the file without one.
std::string BlockMatcher::replacement(size_t pos, const std::string& indent, bool reindent) const {
  size_t crlf = 0;
  for (size_t i = 0; i < search_.size(); ++i)
    crlf += stripLineEnding(file_[pos + i]).size() + 2 == file_[pos + i].size();
  bool useCrlf = crlf * 2 > search_.size();
  std::string out;
  for (std::string_view line : replace_) {
    std::string_view body = stripLineEnding(line);
    if (reindent && !isBlank(body)) {
      out += indent;
      body.remove_prefix(std::min(searchIndent_, leadingWhitespace(body)));
    }
    out.append(body);
    if (hasNewline(line)) out += useCrlf ? "\r\n" : "\n";
  }
  size_t end = pos + search_.size();
  if (end == file_.size() && end > 0 && !hasNewline(file_[end - 1]) && hasNewline(out)) {
    out.pop_back();
    if (!out.empty() && out.back() == '\r') out.pop_back();
  }
  return out;
}

SearchReplaceOutcome BlockMatcher::splice(size_t pos, const std::string& text, SearchMatch kind) const {
  std::string content;
  for (size_t i = 0; i < pos; ++i) content.append(file_[i]);
  content += text;
  for (size_t i = pos + search_.size(); i < file_.size(); ++i) content.append(file_[i]);
  return {std::move(content), kind, pos + 1};
}

core::Result<SearchReplaceOutcome> BlockMatcher::run() {
  searchIndent_ = SIZE_MAX;
  for (auto s : search_)
    if (!isBlank(s)) searchIndent_ = std::min(searchIndent_, leadingWhitespace(s));
  if (searchIndent_ == SIZE_MAX) searchIndent_ = 0;
  struct Tier {
    SearchMatch kind;
    LineTest test;
  };
  const Tier tiers[] = {{SearchMatch::kExact, &BlockMatcher::exact},
                        {SearchMatch::kIgnoringLineEndsAndTrailingSpace, &BlockMatcher::looseEnd},
                        {SearchMatch::kReindented, nullptr},
                        {SearchMatch::kIgnoringWhitespace, &BlockMatcher::anyWhitespace}};
  for (const auto& tier : tiers) {
    auto found = tier.test ? matches(tier.test) : reindentMatches();
    if (found.size() > 1) return ambiguous(found);
    if (found.empty()) continue;
    size_t pos = found.front();
    std::string indent = tier.kind == SearchMatch::kReindented ? *indentAt(pos) : std::string();
    bool reindent = tier.kind == SearchMatch::kReindented;
    return splice(pos, replacement(pos, indent, reindent), tier.kind);
  }
  return noMatch();
}

core::Error BlockMatcher::ambiguous(const std::vector<size_t>& at) const {
  boost::json::array lines;
  std::string list;
  for (size_t p : at) {
    lines.emplace_back(p + 1);
    list += (list.empty() ? "" : ", ") + std::to_string(p + 1);
  }
  boost::json::object details{{"file", block_.path}, {"block", block_.index}, {"matches", std::move(lines)}};
  return core::Error::invalidArgument("search block #" + std::to_string(block_.index) + " for '" + block_.path +
                                          "' matches " + std::to_string(at.size()) + " places (lines " + list +
                                          "); add surrounding lines to the SEARCH part so that it matches once",
                                      std::move(details));
}

core::Error BlockMatcher::noMatch() const {
  auto nearest = findNearestRegions(file_, search_);
  std::string message = "search block #" + std::to_string(block_.index) + " for '" + block_.path + "' (edit line " +
                        std::to_string(block_.textLine) + ") does not match the file";
  std::string reason = "its " + std::to_string(search_.size()) +
                       " SEARCH lines were not found, exactly or ignoring whitespace";
  if (search_.size() > file_.size()) {
    reason = "it has " + std::to_string(search_.size()) + " lines but the file has only " +
             std::to_string(file_.size());
  }
  message += ": " + reason;
  if (!nearest.empty()) {
    message += "; nearest region at line " + std::to_string(nearest.front().line) + " (similarity " +
               std::to_string(nearest.front().score).substr(0, 4) + ")";
    if (auto m = describeFirstMismatch(file_, search_, nearest.front().line - 1)) message += ", " + *m;
  } else {
    message += "; nothing similar found in the file";
  }
  boost::json::object details{{"file", block_.path},
                              {"block", block_.index},
                              {"reason", reason},
                              {"nearest", nearestRegionsJson(nearest, file_, search_)}};
  return {core::ErrorCode::kFailedPrecondition, std::move(message), std::move(details)};
}

}  // namespace

core::Result<SearchReplaceOutcome> applySearchReplace(const std::optional<std::string_view>& content,
                                                      const SearchReplaceBlock& block) {
  if (isBlank(block.search)) {
    std::string out(content.value_or(std::string_view()));
    size_t line = splitLines(out).size();
    if (!out.empty() && out.back() != '\n') out.push_back('\n');
    out += block.replace;
    return SearchReplaceOutcome{std::move(out), SearchMatch::kAppended, line};
  }
  if (!content) {
    return core::Error{core::ErrorCode::kFailedPrecondition,
                       "search block #" + std::to_string(block.index) + " edits '" + block.path +
                           "', which does not exist (an empty SEARCH part creates a file)",
                       nullptr};
  }
  return BlockMatcher(*content, block).run();
}

core::Result<std::vector<FileChange>> applySearchReplaceBlocks(const std::vector<SearchReplaceBlock>& blocks,
                                                               const FileSource& source) {
  std::map<std::string, std::optional<std::string>> state;
  std::vector<FileChange> changes;
  for (const auto& block : blocks) {
    auto it = state.find(block.path);
    if (it == state.end()) it = state.emplace(block.path, source(block.path)).first;
    auto outcome = applySearchReplace(it->second ? std::optional<std::string_view>(*it->second) : std::nullopt, block);
    if (!outcome) return std::move(outcome).error();
    it->second = std::move(outcome->content);
    auto change = std::find_if(changes.begin(), changes.end(),
                               [&](const FileChange& c) { return c.path == block.path; });
    if (change == changes.end()) change = changes.insert(changes.end(), FileChange{block.path, {}, {}, {}});
    change->content = it->second;
  }
  return changes;
}

}  // namespace codecrew::code
