// Terms for lexical ranking of code: words and identifiers lower-cased, and
// identifiers also split at camelCase, PascalCase, snake_case and digits
// ("parseHttpRequest" -> parsehttprequest, parse, http, request). One-letter
// parts and a few English function words are dropped.
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace codecrew::tools {

std::vector<std::string> identifierTokens(std::string_view text);

}  // namespace codecrew::tools
