// writeFileAtomically: a file's new contents appear whole or not at all:
// written to a temporary file beside it (a unique name, so concurrent
// writers never share one), flushed to disk (fsync), then renamed over the
// file. A failure removes the temporary file and leaves the old contents.
// The parent folder must exist. kUnavailable names the step that failed.
// Thread-safety: reentrant.
#pragma once

#include "core/result.h"

#include <filesystem>
#include <string_view>

namespace codecrew::core {

Status writeFileAtomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace codecrew::core
