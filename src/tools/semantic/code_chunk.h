// CodeChunk: one piece of a repository's file that the semantic index ranks
// on its own: a definition (by the symbol ctags found there), a markdown
// section (by its heading) or a window of lines, bounded in tokens.
// Its id is a function of the path, the first line and the text, so the
// same tree always yields the same ids (incremental updates and fresh
// builds agree). Thread-safety: a plain value.
#pragma once

#include <string>

namespace codecrew::tools {

struct CodeChunk {
  std::string id;        // 16 hex digits of sha256(path, start line, text)
  std::string path;      // relative to the workspace root
  int startLine = 0;     // 1-based, inclusive
  int endLine = 0;       // 1-based, inclusive
  std::string symbol;    // the definition or heading; "" for a window
  std::string kind;      // ctags kind, "heading", "window" or "preamble"
  std::string language;  // from the extension: "C++", "Python", "Markdown", ...
  std::string text;      // the lines, newline-terminated
};

}  // namespace codecrew::tools
