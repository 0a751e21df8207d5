// Aider-style search/replace edit blocks, the edit format language models
// handle best:
//
//   path/to/file.cpp
//   ```cpp
//   <<<<<<< SEARCH
//   old lines
//   =======
//   new lines
//   >>>>>>> REPLACE
//   ```
//
// The path is the line before the block (or before its opening fence); a
// block without one reuses the previous block's path. A SEARCH part must
// match whole lines of the file exactly once: byte for byte first, then
// ignoring line endings and trailing whitespace, then ignoring a uniform
// change of indentation (the replacement is re-indented to match), then
// ignoring all whitespace differences. An empty SEARCH creates the file or
// appends to it. No match, or more than one, is an error naming the block and
// listing the closest regions of the file.
// Thread-safety: pure functions; FileSource is called on the caller's thread.
#pragma once

#include "code/patch_apply.h"
#include "core/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace codecrew::code {

struct SearchReplaceBlock {
  std::string path;
  std::string search;  // whole lines, with their endings
  std::string replace;
  size_t index = 0;     // 1-based position among the blocks of the text
  size_t textLine = 0;  // 1-based line of "<<<<<<< SEARCH" in the text
};

enum class SearchMatch { kExact, kIgnoringLineEndsAndTrailingSpace, kReindented, kIgnoringWhitespace, kAppended };

struct SearchReplaceOutcome {
  std::string content;
  SearchMatch match = SearchMatch::kExact;
  size_t line = 0;  // 1-based first line of the file that was replaced (or appended after)
};

// The blocks in `text`, in order. kInvalidArgument naming the line when a
// block is not closed or has no path.
core::Result<std::vector<SearchReplaceBlock>> parseSearchReplaceBlocks(std::string_view text);

// Applies one block to a file's content (nullopt: the file does not exist).
// kFailedPrecondition when SEARCH matches nowhere (details: {file, block,
// reason, nearest}), kInvalidArgument when it matches more than once
// (details: {file, block, matches: [lines]}).
core::Result<SearchReplaceOutcome> applySearchReplace(const std::optional<std::string_view>& content,
                                                      const SearchReplaceBlock& block);

// Applies all blocks in order, all or nothing, as applyPatch does for diffs.
core::Result<std::vector<FileChange>> applySearchReplaceBlocks(const std::vector<SearchReplaceBlock>& blocks,
                                                               const FileSource& source);

}  // namespace codecrew::code
