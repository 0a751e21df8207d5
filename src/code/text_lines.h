// Text lines: how the diff engine and the patch applier see a file. A line is
// a view of the bytes up to and including its '\n'; a '\r' before it stays in
// the line, so LF and CRLF files round-trip exactly, and a last line without a
// newline is kept as such. Also the binary test shared with git.
// Thread-safety: pure functions over their arguments.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace codecrew::code {

// Splits text into lines whose concatenation is exactly `text`. Every line but
// possibly the last ends in '\n'. Empty text gives no lines.
std::vector<std::string_view> splitLines(std::string_view text);

// True when `line` ends in '\n'.
inline bool hasNewline(std::string_view line) { return !line.empty() && line.back() == '\n'; }

// The line without its terminator ("\n" or "\r\n").
std::string_view stripLineEnding(std::string_view line);

// True when a NUL byte occurs in the first 8000 bytes (git's test for binary).
bool looksBinary(std::string_view content);

// The line with runs of spaces and tabs collapsed to one space and leading and
// trailing whitespace (including the line ending) removed; the key under which
// whitespace-tolerant matching compares lines.
std::string normalizeWhitespace(std::string_view line);

// The concatenation of lines.
std::string joinLines(const std::vector<std::string_view>& lines);

}  // namespace codecrew::code
