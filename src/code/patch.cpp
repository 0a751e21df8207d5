#include "code/patch.h"

namespace codecrew::code {

std::vector<std::string_view> Hunk::oldLines() const {
  std::vector<std::string_view> out;
  for (const auto& l : lines)
    if (l.kind != '+') out.push_back(l.text);
  return out;
}

std::vector<std::string_view> Hunk::newLines() const {
  std::vector<std::string_view> out;
  for (const auto& l : lines)
    if (l.kind != '-') out.push_back(l.text);
  return out;
}

}  // namespace codecrew::code
