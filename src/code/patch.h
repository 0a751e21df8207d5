// The parsed form of a unified diff (single or multi-file, plain or git
// style): what the parser produces and the appliers consume.
// Thread-safety: plain value types.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace codecrew::code {

struct HunkLine {
  char kind = ' ';   // ' ' context, '-' removed, '+' added
  std::string text;  // the line with its ending; no '\n' when marked "\ No newline"
};

struct Hunk {
  size_t oldStart = 0;  // as written in the header (1-based; 0 with oldCount 0 at the top)
  size_t oldCount = 0;
  size_t newStart = 0;
  size_t newCount = 0;
  bool hasLineNumbers = true;  // false for a bare "@@" or "@@ ... @@" header
  std::string header;          // the header line as written, without its line ending
  size_t patchLine = 0;        // 1-based line of the header in the patch text
  std::vector<HunkLine> lines;

  // The lines the hunk expects in the file (context and removed), in order.
  std::vector<std::string_view> oldLines() const;
  // The lines the hunk leaves in their place (context and added), in order.
  std::vector<std::string_view> newLines() const;
};

struct FilePatch {
  std::string oldPath;  // without the a/ prefix; empty for /dev/null
  std::string newPath;  // without the b/ prefix; empty for /dev/null
  std::string oldMode;  // from a git header, when given
  std::string newMode;
  bool isNew = false;
  bool isDeleted = false;
  bool isRename = false;
  bool isCopy = false;
  bool isBinary = false;
  size_t patchLine = 0;  // 1-based line where this file's section starts
  std::vector<Hunk> hunks;

  // The path the patch is about: the new path, or the old one for a deletion.
  const std::string& path() const { return isDeleted ? oldPath : newPath; }
};

struct Patch {
  std::vector<FilePatch> files;
};

}  // namespace codecrew::code
