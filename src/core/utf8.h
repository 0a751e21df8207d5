// Whether bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF) without NUL bytes: text that every
// database the store runs on keeps in a TEXT column as it is.
// Thread-safety: a pure function.
#pragma once

#include <string_view>

namespace codecrew::core {

bool isStorableUtf8(std::string_view bytes);

}  // namespace codecrew::core
