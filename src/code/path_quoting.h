// Path quoting as git does it in patch headers: a path with a double quote,
// a backslash, a control character or a non-ASCII byte is written in double
// quotes with C escapes ("a/tab\there"); other paths are written as they are.
// Thread-safety: pure functions over their arguments.
#pragma once

#include "core/result.h"

#include <string>
#include <string_view>

namespace codecrew::code {

// True when git would quote `path`.
bool needsQuoting(std::string_view path);

// `prefix` + `path`, quoted as a whole when needed (git's quote_two).
std::string quotePath(std::string_view prefix, std::string_view path);

// Reads one possibly quoted path from the start of `text`: a quoted path runs
// to its closing quote; an unquoted one runs to the first tab, or to the end.
// `consumed` receives the number of bytes read. Errors on a broken escape.
core::Result<std::string> unquotePath(std::string_view text, size_t* consumed = nullptr);

}  // namespace codecrew::code
