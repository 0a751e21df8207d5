#include "code/text_lines.h"

#include <algorithm>

namespace codecrew::code {

namespace {
constexpr size_t kBinaryProbeBytes = 8000;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
}  // namespace

std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  lines.reserve(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

std::string_view stripLineEnding(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool looksBinary(std::string_view content) {
  return content.substr(0, kBinaryProbeBytes).find('\0') != std::string_view::npos;
}

std::string normalizeWhitespace(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  bool pendingSpace = false;
  for (char c : line) {
    if (isSpace(c)) {
      pendingSpace = !out.empty();
      continue;
    }
    if (pendingSpace) out.push_back(' ');
    pendingSpace = false;
    out.push_back(c);
  }
  return out;
}

std::string joinLines(const std::vector<std::string_view>& lines) {
  size_t total = 0;
  for (auto l : lines) total += l.size();
  std::string out;
  out.reserve(total);
  for (auto l : lines) out.append(l);
  return out;
}

}  // namespace codecrew::code
