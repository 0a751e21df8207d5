// Unified diff output, byte-compatible with what `git diff` prints and what
// `git apply` and GNU `patch -p1` accept: `diff --git` headers with file modes,
// creations and deletions against /dev/null, renames (with a similarity index
// when the content changed too), binary files, hunk headers with git's
// numbering, and "\ No newline at end of file" markers. Line endings (LF, CRLF)
// pass through untouched.
// Thread-safety: pure functions over their arguments.
#pragma once

#include "code/line_diff.h"

#include <optional>
#include <string>
#include <string_view>

namespace codecrew::code {

// One side of a file pair. The views must outlive the call.
struct DiffFile {
  std::string_view path;
  std::string_view content;
  std::string_view mode = "100644";
};

struct DiffOptions {
  DiffAlgorithm algorithm = DiffAlgorithm::kHistogram;
  size_t context = 3;     // unchanged lines around each change
  bool gitHeader = true;  // emit the "diff --git" line and its extended header
  std::string_view oldPrefix = "a/";
  std::string_view newPrefix = "b/";
};

// The unified diff turning `before` into `after`. No `before` means the file
// is created, no `after` that it is deleted; different paths mean a rename.
// Empty when there is nothing to say (same path, mode and content). Without
// gitHeader, changes that only a git header can express (an empty file created
// or deleted, a pure rename, a mode change) produce no output.
std::string unifiedDiff(const std::optional<DiffFile>& before, const std::optional<DiffFile>& after,
                        const DiffOptions& options = {});

// Only the hunks (from the first "@@" line on) between two texts.
std::string unifiedHunks(std::string_view before, std::string_view after, const DiffOptions& options = {});

}  // namespace codecrew::code
