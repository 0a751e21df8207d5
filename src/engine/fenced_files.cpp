#include "engine/fenced_files.h"

#include "engine/session_path.h"

#include <algorithm>
#include <optional>

namespace codecrew::engine {
namespace {

std::size_t longestBacktickRun(std::string_view s) {
  std::size_t best = 0, run = 0;
  for (char c : s) {
    run = c == '`' ? run + 1 : 0;
    best = std::max(best, run);
  }
  return best;
}

std::optional<std::string> pathIn(std::string_view info) {
  std::size_t i = 0;
  while (i < info.size()) {
    while (i < info.size() && (info[i] == ' ' || info[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < info.size() && info[j] != ' ' && info[j] != '\t') ++j;
    auto word = info.substr(i, j - i);
    if (!word.empty() && word.find_first_of("./") != std::string_view::npos && checkSessionPath(word))
      return std::string(word);
    i = j;
  }
  return std::nullopt;
}

}  // namespace

std::string renderFencedFiles(const std::vector<FileChange>& files) {
  std::string out;
  std::string deleted;
  for (const auto& f : files) {
    if (f.status == "deleted") {
      deleted += "Deleted: `" + f.path + "`\n";
      continue;
    }
    std::string fence(std::max<std::size_t>(3, longestBacktickRun(f.content) + 1), '`');
    if (!out.empty()) out += "\n";
    out += fence + f.path + "\n" + f.content;
    if (!f.content.empty() && f.content.back() != '\n') out += "\n";
    out += fence + "\n";
  }
  if (!deleted.empty()) out += (out.empty() ? "" : "\n") + deleted;
  return out;
}

FencedMessage extractFencedFiles(std::string_view message) {
  FencedMessage out;
  std::size_t pos = 0;
  while (pos < message.size()) {
    std::size_t eol = message.find('\n', pos);
    std::string_view line = message.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    std::size_t ticks = 0;
    while (ticks < line.size() && line[ticks] == '`') ++ticks;
    auto path = ticks >= 3 && eol != std::string_view::npos ? pathIn(line.substr(ticks)) : std::nullopt;
    if (!path) {
      out.text.append(line);
      if (eol != std::string_view::npos) out.text += '\n';
      pos = eol == std::string_view::npos ? message.size() : eol + 1;
      continue;
    }
    // Find the closing fence: a line of at least `ticks` backticks and nothing else.
    std::string content;
    std::size_t p = eol + 1;
    bool closed = false;
    while (p <= message.size()) {
      std::size_t e = message.find('\n', p);
      std::string_view l = message.substr(p, e == std::string_view::npos ? std::string_view::npos : e - p);
      std::string_view trimmed = l.substr(0, l.find_last_not_of(" \t\r") + 1);
      if (trimmed.size() >= ticks && trimmed.find_first_not_of('`') == std::string_view::npos) {
        closed = true;
        p = e == std::string_view::npos ? message.size() : e + 1;
        break;
      }
      content.append(l);
      if (e == std::string_view::npos) {
        p = message.size() + 1;
        break;
      }
      content += '\n';
      p = e + 1;
    }
    if (!closed) {  // an unclosed block is text, as markdown renders it
      out.text.append(message.substr(pos));
      break;
    }
    auto it = std::find_if(out.files.begin(), out.files.end(), [&](const auto& f) { return f.first == *path; });
    if (it != out.files.end()) it->second = std::move(content);
    else out.files.emplace_back(*path, std::move(content));
    pos = p;
  }
  return out;
}

}  // namespace codecrew::engine
