// Text search: literal or RE2 regular-expression search over the files of a
// workspace, as a model would use grep. Ignored files (.gitignore), binary
// files (a NUL byte in the first 8 KiB) and files over the workspace's size
// limit are skipped; results stop at a maximum count and can carry context
// lines. Files are read and scanned on several threads; the result is the
// same as a single thread's. Thread-safety: searchText is reentrant; the
// workspace must allow concurrent reads (LocalWorkspace does).
#pragma once

#include "core/result.h"
#include "tools/workspace/workspace.h"

#include <string>
#include <vector>

namespace codecrew::tools {

struct TextSearchOptions {
  std::string query;
  bool regex = false;  // RE2 syntax; ^ and $ match at line boundaries
  bool caseSensitive = true;
  bool wholeWord = false;  // the match must not touch identifier characters on either side
  std::string directory;   // relative; empty: the whole workspace
  std::string pathGlob;    // fnmatch pattern on the relative path ("*.cpp", "src/*"); empty: all
  std::size_t maxResults = 200;
  int contextLines = 0;  // lines of context before and after each match (at most 20)
  // Threads that read and scan files (the calling one included): 0 for one
  // per core (at most 8, fewer on a small tree), 1 for the calling thread
  // alone, n for n (at most one per file). The result does not depend on it.
  int threads = 0;
};

struct TextMatch {
  std::string path;
  int line = 0;      // 1-based
  int column = 0;    // 1-based byte column of the match start
  std::string text;  // the matching line, without its newline
  std::vector<std::string> before;
  std::vector<std::string> after;
};

struct TextSearchResult {
  std::vector<TextMatch> matches;  // in path order, then line order
  bool truncated = false;          // maxResults was reached
  std::size_t filesSearched = 0;
};

// kInvalidArgument for an empty query or a regex that does not compile.
core::Result<TextSearchResult> searchText(const Workspace& workspace, const TextSearchOptions& options);

// Whether a buffer looks binary (a NUL byte in its first 8 KiB).
bool looksBinary(std::string_view content);

}  // namespace codecrew::tools
