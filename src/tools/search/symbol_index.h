// SymbolIndex: the definitions in a workspace (functions, classes, methods,
// macros, ...) as universal-ctags finds them, run as a subprocess over the
// workspace's non-ignored files. References are found by identifier matching
// (findReferences), which is language-agnostic and good enough to rank files.
// Thread-safety: an immutable value once built; build() is reentrant.
#pragma once

#include "core/result.h"
#include "tools/search/text_search.h"
#include "tools/workspace/workspace.h"

#include <chrono>
#include <string>
#include <unordered_map>
#include <vector>

namespace codecrew::tools {

struct Symbol {
  std::string name;
  std::string path;   // relative to the workspace root
  int line = 0;       // 1-based
  std::string kind;   // ctags kind name: function, class, member, macro, ...
  std::string scope;  // enclosing scope ("ns::Foo"), may be empty
  std::string language;
  std::string signature;  // the defining source line, trimmed
};

struct SymbolIndexOptions {
  std::string ctagsProgram = "ctags";
  std::chrono::milliseconds timeout{120000};
  std::size_t maxFiles = 100000;
  std::vector<std::string> paths;  // only these files (relative); empty: every file of the workspace
};

class SymbolIndex {
 public:
  SymbolIndex() = default;
  // Runs ctags over the workspace. kFailedPrecondition when ctags is missing
  // (apt-get install universal-ctags).
  static core::Result<SymbolIndex> build(const Workspace& workspace, const SymbolIndexOptions& options = {});
  // An index from ctags' JSON-lines output (--output-format=json --fields=+n).
  static SymbolIndex fromCtagsJson(std::string_view jsonLines);

  const std::vector<Symbol>& symbols() const { return symbols_; }
  // Definitions of an exact name, in path and line order.
  std::vector<Symbol> definitionsOf(std::string_view name) const;
  // The files that define at least one symbol, sorted.
  std::vector<std::string> files() const;

 private:
  void indexByName();

  std::vector<Symbol> symbols_;
  std::unordered_map<std::string, std::vector<std::size_t>> byName_;
};

// Every whole-word occurrence of name in the workspace (definitions included).
core::Result<TextSearchResult> findReferences(const Workspace& workspace, const std::string& name,
                                              std::size_t maxResults);

}  // namespace codecrew::tools
