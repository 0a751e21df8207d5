// The logic of `codecrew tokens count [--encoding E | --model M] [FILE|-]`:
// reads the text (a file, or standard input for "-"), counts its tokens and
// prints the count on a line of its own. The CLI wiring lives in src/app/.
// Thread-safety: a plain function; safe to call from any thread with streams
// no other thread uses.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

namespace codecrew::app {

struct TokensCountOptions {
  std::optional<std::string> encoding;  // "cl100k_base" | "o200k_base"
  std::optional<std::string> model;     // e.g. "gpt-4o"; unknown models give an estimate
  std::string input = "-";              // a file path, or "-" for `in`
  std::string ranks_dir;                // empty: resolveRanksDir(nullptr, processEnv())
};

// Exit codes of runTokensCount.
constexpr int kTokensOk = 0;
constexpr int kTokensFailed = 1;  // unreadable input or rank file
constexpr int kTokensUsage = 2;   // bad options

// Prints the count to `out` ("1234\n"); with neither encoding nor model the
// encoding is o200k_base. For a model with no known encoding it prints the
// estimate and says on `err` that it is one. Errors go to `err` with a
// non-zero return.
int runTokensCount(const TokensCountOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace codecrew::app
