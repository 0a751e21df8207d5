// Fuzz target: search/replace edit blocks (src/code/search_replace): the
// block parser, then every block applied to a file. The input is the edit
// text, then a NUL, then the content of every file the blocks name (absent
// when there is no NUL: the files do not exist).
#include "code/search_replace.h"
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
  std::string_view edits = parts.first;
  std::string_view original = parts.second;
  bool exists = edits.size() != text.size();
  auto blocks = code::parseSearchReplaceBlocks(edits);
  if (!blocks.ok()) return 0;
  std::optional<std::string_view> content;
  if (exists) content = original;
  for (const auto& block : blocks.value()) (void)code::applySearchReplace(content, block);
  code::FileSource source = [&](const std::string&) -> std::optional<std::string> {
    if (!exists) return std::nullopt;
    return std::string(original);
  };
  (void)code::applySearchReplaceBlocks(blocks.value(), source);
  return 0;
}
