// Fuzz target: the unified-diff parser and applier (src/code/patch_parser,
// patch_apply). The input is a patch, then a NUL, then the content every
// path the patch names has before it applies (absent when there is no NUL:
// the files do not exist). Applied with the default options and with exact
// whitespace and a bounded offset.
#include "code/patch_apply.h"
#include "code/patch_parser.h"
#include "fuzz_input.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace codecrew;
  auto text = fuzz::asText(data, size);
  auto parts = fuzz::splitAtNul(text);
  std::string_view patch_text = parts.first;
  std::string_view original = parts.second;
  bool exists = patch_text.size() != text.size();
  auto patch = code::parsePatch(patch_text);
  if (!patch.ok()) return 0;
  code::FileSource source = [&](const std::string&) -> std::optional<std::string> {
    if (!exists) return std::nullopt;
    return std::string(original);
  };
  (void)code::applyPatch(patch.value(), source);
  code::ApplyOptions strict;
  strict.whitespace = code::WhitespaceMode::kExact;
  strict.maxOffset = 3;
  (void)code::applyPatch(patch.value(), source, strict);
  return 0;
}
