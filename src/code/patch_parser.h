// Parser for unified diffs as git, GNU diff and language models write them:
// several files in one text, `diff --git` extended headers (new/deleted file,
// modes, renames, copies, similarity, binary markers), `--- /dev/null` for
// creation and deletion, quoted paths, "\ No newline at end of file", CRLF
// content, and hunk headers without line numbers ("@@ ... @@"), whose extent
// is then taken from the body. Text outside file sections is ignored.
// Thread-safety: pure function over its argument.
#pragma once

#include "code/patch.h"
#include "core/result.h"

#include <string_view>

namespace codecrew::code {

// The patch in `text`. kInvalidArgument, naming the patch line, when a hunk
// header is malformed, a hunk body is shorter or longer than its header says,
// or a hunk appears before any file header. An empty Patch when `text` holds
// no file sections.
core::Result<Patch> parsePatch(std::string_view text);

}  // namespace codecrew::code
