// Applying unified diffs to file contents, tolerant of small drift and
// strict about everything else. A hunk is looked for at the line its header
// names (shifted by the drift of the hunks before it), then outward from
// there, first byte for byte, then (per WhitespaceMode) ignoring whitespace
// differences; a hunk whose lines are not found is never forced in. A failure
// names the file, the hunk (number and header), why, and the nearest regions
// of the file with a similarity score (Error::details, see below).
// Thread-safety: pure functions; FileSource is called on the caller's thread.
#pragma once

#include "code/patch.h"
#include "core/result.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace codecrew::code {

enum class WhitespaceMode {
  kExact,            // every line must match byte for byte
  kIgnoreInContext,  // context lines may differ in whitespace; removed lines may not
  kIgnoreAll,        // context and removed lines may differ in whitespace
};

struct ApplyOptions {
  WhitespaceMode whitespace = WhitespaceMode::kIgnoreInContext;
  std::optional<size_t> maxOffset;  // how far from its stated line a hunk may move; unbounded if unset
};

// Where and how one hunk applied.
struct HunkOutcome {
  size_t hunk = 0;  // 1-based index in the file's hunks
  size_t line = 0;  // 1-based line of the original file where its old lines start
  long offset = 0;  // lines away from where the header said (0 for headers without numbers)
  bool whitespaceFuzz = false;
};

struct FileApplyResult {
  std::optional<std::string> content;  // nullopt when the patch deletes the file
  std::vector<HunkOutcome> hunks;
};

// Applies one file's patch to `original` (nullopt: the file does not exist).
// Errors: kFailedPrecondition when a hunk does not apply, the file is missing
// (or exists when the patch creates it), or a deletion leaves content; the
// message names file and hunk, and details is an object {file, hunk, header,
// reason, expected_line, nearest: [{line, score, first_mismatch, lines}]}.
// kInvalidArgument for a binary patch, which this applier cannot apply.
core::Result<FileApplyResult> applyFilePatch(const FilePatch& patch, const std::optional<std::string_view>& original,
                                             const ApplyOptions& options = {});

// The new state of one path after a multi-file patch.
struct FileChange {
  std::string path;
  std::optional<std::string> content;  // nullopt: delete the path
  std::string renamedFrom;             // set on the new path of a rename
  std::vector<HunkOutcome> hunks;
};

// Reads a file's current content; nullopt when it does not exist.
using FileSource = std::function<std::optional<std::string>(const std::string& path)>;

// Applies every file of `patch` in order (a file touched twice sees its first
// result). All or nothing: on error no change is returned. The result lists
// each touched path once, in order of first touch; a rename yields a deletion
// of the old path and the content of the new one.
core::Result<std::vector<FileChange>> applyPatch(const Patch& patch, const FileSource& source,
                                                 const ApplyOptions& options = {});

// Parses `patchText` and applies it as applyPatch does.
core::Result<std::vector<FileChange>> applyPatchText(std::string_view patchText, const FileSource& source,
                                                     const ApplyOptions& options = {});

}  // namespace codecrew::code
