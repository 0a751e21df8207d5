#!/usr/bin/env bash
# Lists the C and C++ files clang-format owns, one a line: every file git
# tracks under src/ tests/ bench/ tools/ fuzz/ ending in .h .hpp .c .cc .cpp .cxx,
# less the fixtures and vendored text kept byte for byte (tests/data/: diff
# and repository fixtures, tokenizer corpora). Used by format.sh and
# check-format.sh; run from anywhere inside the repository.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
git ls-files -- src tests bench tools fuzz |
  grep -E '\.(h|hpp|c|cc|cpp|cxx)$' |
  grep -vE '^tests/data/'
