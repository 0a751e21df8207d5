#include "tools/search/symbol_index.h"

#include "tools/process/child_process.h"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <set>

namespace codecrew::tools {
namespace {

std::string stringField(const boost::json::object& obj, std::string_view key) {
  auto* v = obj.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// ctags' search pattern "/^  int f(int x) {$/" as the trimmed source line.
std::string signatureFrom(std::string pattern) {
  if (pattern.size() >= 2 && pattern.front() == '/' && pattern.back() == '/')
    pattern = pattern.substr(1, pattern.size() - 2);
  if (pattern.starts_with("^")) pattern.erase(0, 1);
  if (pattern.ends_with("$")) pattern.pop_back();
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\' && i + 1 < pattern.size() && (pattern[i + 1] == '/' || pattern[i + 1] == '\\')) ++i;
    out += pattern[i];
  }
  auto first = out.find_first_not_of(" \t");
  auto last = out.find_last_not_of(" \t");
  return first == std::string::npos ? std::string() : out.substr(first, last - first + 1);
}

}  // namespace

SymbolIndex SymbolIndex::fromCtagsJson(std::string_view jsonLines) {
  SymbolIndex index;
  std::size_t pos = 0;
  while (pos < jsonLines.size()) {
    std::size_t end = jsonLines.find('\n', pos);
    if (end == std::string_view::npos) end = jsonLines.size();
    std::string_view line = jsonLines.substr(pos, end - pos);
    pos = end + 1;
    boost::system::error_code ec;
    auto value = boost::json::parse(line, ec);
    if (ec || !value.is_object()) continue;
    const auto& obj = value.as_object();
    if (stringField(obj, "_type") != "tag") continue;
    Symbol symbol{stringField(obj, "name"),
                  stringField(obj, "path"),
                  0,
                  stringField(obj, "kind"),
                  stringField(obj, "scope"),
                  stringField(obj, "language"),
                  signatureFrom(stringField(obj, "pattern"))};
    if (auto* l = obj.if_contains("line"); l && l->is_int64()) symbol.line = static_cast<int>(l->as_int64());
    if (symbol.name.empty() || symbol.path.empty()) continue;
    index.symbols_.push_back(std::move(symbol));
  }
  std::sort(index.symbols_.begin(), index.symbols_.end(), [](const Symbol& a, const Symbol& b) {
    return std::tie(a.path, a.line, a.name) < std::tie(b.path, b.line, b.name);
  });
  index.indexByName();
  return index;
}

void SymbolIndex::indexByName() {
  byName_.clear();
  for (std::size_t i = 0; i < symbols_.size(); ++i) byName_[symbols_[i].name].push_back(i);
}

core::Result<SymbolIndex> SymbolIndex::build(const Workspace& workspace, const SymbolIndexOptions& options) {
  if (!findProgram(options.ctagsProgram)) {
    return core::Error{core::ErrorCode::kFailedPrecondition,
                       "universal-ctags (" + options.ctagsProgram +
                           ") is not installed: apt-get install universal-ctags",
                       nullptr};
  }
  std::string fileList;
  std::size_t count = 0;
  if (!options.paths.empty()) {
    for (const auto& path : options.paths) {
      if (path.find('\n') != std::string::npos || path.starts_with("/") || path.find("..") != std::string::npos ||
          ++count > options.maxFiles)
        continue;
      fileList += path + "\n";
    }
  } else {
    auto listing = workspace.list({});
    if (!listing) return listing.error();
    for (const auto& entry : listing->entries) {
      if (entry.type != EntryType::kFile || entry.size > workspace.limits().maxFileBytes) continue;
      if (entry.path.find('\n') != std::string::npos || ++count > options.maxFiles) continue;
      fileList += entry.path + "\n";
    }
  }
  if (fileList.empty()) return SymbolIndex();
  ProcessSpec spec;
  spec.argv = {options.ctagsProgram, "--output-format=json", "--fields=+n", "--sort=no", "-L", "-", "-f", "-"};
  spec.env = {"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8"};
  spec.workingDirectory = workspace.root();
  spec.stdinData = std::move(fileList);
  spec.timeout = options.timeout;
  spec.maxOutputBytes = 512u << 20;
  auto ran = runProcess(spec);
  if (!ran) return ran.error();
  if (ran->timedOut) return core::Error{core::ErrorCode::kDeadlineExceeded, "ctags did not finish in time", nullptr};
  if (ran->exitCode != 0) return core::Error::internal("ctags failed: " + ran->stderrText.substr(0, 500));
  return fromCtagsJson(ran->stdoutText);
}

std::vector<Symbol> SymbolIndex::definitionsOf(std::string_view name) const {
  std::vector<Symbol> out;
  auto it = byName_.find(std::string(name));
  if (it == byName_.end()) return out;
  for (std::size_t i : it->second) out.push_back(symbols_[i]);
  return out;
}

std::vector<std::string> SymbolIndex::files() const {
  std::set<std::string> unique;
  for (const auto& s : symbols_) unique.insert(s.path);
  return {unique.begin(), unique.end()};
}

core::Result<TextSearchResult> findReferences(const Workspace& workspace, const std::string& name,
                                              std::size_t maxResults) {
  return searchText(workspace, {.query = name, .wholeWord = true, .maxResults = maxResults});
}

}  // namespace codecrew::tools
