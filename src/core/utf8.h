// Whether bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF) without NUL bytes: text that every
// database the store runs on keeps in a TEXT column as it is.
// Thread-safety: a pure function.
#pragma once

#include <cstddef>
#include <string_view>

namespace codecrew::core {

bool isStorableUtf8(std::string_view bytes);

// The length of the well-formed UTF-8 sequence starting at bytes[i] (1 for
// ASCII, NUL included), or 0 when none starts there. Requires i < size.
std::size_t utf8SequenceLength(std::string_view bytes, std::size_t i);

}  // namespace codecrew::core
