#include "code/patch_parser.h"

#include "code/path_quoting.h"
#include "code/text_lines.h"

#include <charconv>
#include <optional>

namespace codecrew::code {

namespace {

constexpr std::string_view kDevNull = "/dev/null";

bool startsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string_view trimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// Drops the first path component ("a/x/y" -> "x/y"), as patch -p1 does.
std::string stripComponent(const std::string& path) {
  size_t slash = path.find('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool parseNumber(std::string_view& s, size_t& out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || ptr == s.data()) return false;
  s.remove_prefix(static_cast<size_t>(ptr - s.data()));
  return true;
}

// "-l[,s]" or "+l[,s]"; a missing count means 1.
bool parseRange(std::string_view& s, char sign, size_t& start, size_t& count) {
  if (s.empty() || s.front() != sign) return false;
  s.remove_prefix(1);
  if (!parseNumber(s, start)) return false;
  count = 1;
  if (!s.empty() && s.front() == ',') {
    s.remove_prefix(1);
    if (!parseNumber(s, count)) return false;
  }
  return true;
}

class PatchParser {
 public:
  explicit PatchParser(std::string_view text) : lines_(splitLines(text)) { crlfTransport_ = detectCrlfTransport(); }

  core::Result<Patch> run();

 private:
  std::string_view line(size_t i) const { return stripLineEnding(lines_[i]); }
  // A hunk body line with its content ending kept (and "\r\n" undone when the
  // whole patch travelled with CRLF line endings).
  std::string bodyLine(size_t i) const {
    std::string_view l = lines_[i];
    std::string out(l);
    if (crlfTransport_ && out.size() >= 2 && out.compare(out.size() - 2, 2, "\r\n") == 0) {
      out.erase(out.size() - 2, 1);
    }
    if (!hasNewline(out)) out.push_back('\n');
    return out;
  }
  bool detectCrlfTransport() const;
  core::Error errorAt(size_t i, const std::string& what) const {
    return core::Error::invalidArgument("patch line " + std::to_string(i + 1) + ": " + what);
  }

  void startFile(bool git);
  core::Status parseGitHeader();
  core::Status parseExtendedHeaderLine(std::string_view l, bool& handled);
  core::Status parseFileNames(bool continuesGitHeader);
  core::Status parseHunk();
  core::Status parseHunkHeader(std::string_view l, Hunk& hunk);
  core::Status readCountedBody(Hunk& hunk);
  void readUncountedBody(Hunk& hunk);
  bool applyNoNewlineMarker(Hunk& hunk);
  core::Result<std::string> fileName(std::string_view label, char side);

  std::vector<std::string_view> lines_;
  bool crlfTransport_ = false;
  size_t pos_ = 0;
  Patch patch_;
  FilePatch* current_ = nullptr;
  bool currentIsGit_ = false;
};

// A patch whose header lines end in CRLF was converted in transit (git
// writes its own lines with LF), so every line carries one '\r' too many.
bool PatchParser::detectCrlfTransport() const {
  for (auto l : lines_) {
    if (startsWith(l, "@@ ") || startsWith(l, "--- ") || startsWith(l, "+++ ") || startsWith(l, "diff --git ")) {
      return l.size() >= 2 && l.substr(l.size() - 2) == "\r\n";
    }
  }
  return false;
}

core::Result<Patch> PatchParser::run() {
  while (pos_ < lines_.size()) {
    std::string_view l = line(pos_);
    if (startsWith(l, "diff --git ")) {
      if (auto s = parseGitHeader(); !s) return std::move(s).error();
    } else if (startsWith(l, "--- ") && pos_ + 1 < lines_.size() && startsWith(line(pos_ + 1), "+++ ")) {
      if (auto s = parseFileNames(false); !s) return std::move(s).error();
    } else if (startsWith(l, "@@")) {
      if (!current_) return errorAt(pos_, "hunk header before any file header (--- / +++)");
      if (auto s = parseHunk(); !s) return std::move(s).error();
    } else {
      ++pos_;
    }
  }
  for (auto& file : patch_.files) {
    if (file.isNew) file.oldPath.clear();
    if (file.isDeleted) file.newPath.clear();
  }
  return std::move(patch_);
}

void PatchParser::startFile(bool git) {
  patch_.files.emplace_back();
  current_ = &patch_.files.back();
  current_->patchLine = pos_ + 1;
  currentIsGit_ = git;
}

core::Status PatchParser::parseGitHeader() {
  startFile(true);
  std::string_view rest = line(pos_).substr(std::string_view("diff --git ").size());
  // Names from the "diff --git" line are a fallback; later lines override them.
  if (!rest.empty() && rest.front() == '"') {
    size_t used = 0;
    auto a = unquotePath(rest, &used);
    if (!a) return errorAt(pos_, a.error().message);
    std::string_view tail = rest.substr(used);
    while (!tail.empty() && tail.front() == ' ') tail.remove_prefix(1);
    auto b = unquotePath(tail);
    if (!b) return errorAt(pos_, b.error().message);
    current_->oldPath = stripComponent(*a);
    current_->newPath = stripComponent(*b);
  } else if (size_t split = rest.find(" b/"); split != std::string_view::npos) {
    current_->oldPath = stripComponent(std::string(rest.substr(0, split)));
    current_->newPath = stripComponent(std::string(rest.substr(split + 1)));
  }
  for (++pos_; pos_ < lines_.size(); ++pos_) {
    bool handled = false;
    if (auto s = parseExtendedHeaderLine(line(pos_), handled); !s) return s;
    if (!handled) break;
  }
  if (pos_ + 1 < lines_.size() && startsWith(line(pos_), "--- ") && startsWith(line(pos_ + 1), "+++ ")) {
    return parseFileNames(true);
  }
  return core::okStatus();
}

core::Status PatchParser::parseExtendedHeaderLine(std::string_view l, bool& handled) {
  handled = true;
  auto after = [&](std::string_view key) { return l.substr(key.size()); };
  auto pathAfter = [&](std::string_view key, std::string& out) -> core::Status {
    auto p = unquotePath(after(key));
    if (!p) return errorAt(pos_, p.error().message);
    out = *p;
    return core::okStatus();
  };
  if (startsWith(l, "new file mode ")) {
    current_->isNew = true;
    current_->newMode = std::string(trimRight(after("new file mode ")));
  } else if (startsWith(l, "deleted file mode ")) {
    current_->isDeleted = true;
    current_->oldMode = std::string(trimRight(after("deleted file mode ")));
  } else if (startsWith(l, "old mode ")) {
    current_->oldMode = std::string(trimRight(after("old mode ")));
  } else if (startsWith(l, "new mode ")) {
    current_->newMode = std::string(trimRight(after("new mode ")));
  } else if (startsWith(l, "rename from ")) {
    current_->isRename = true;
    return pathAfter("rename from ", current_->oldPath);
  } else if (startsWith(l, "rename to ")) {
    current_->isRename = true;
    return pathAfter("rename to ", current_->newPath);
  } else if (startsWith(l, "copy from ")) {
    current_->isCopy = true;
    return pathAfter("copy from ", current_->oldPath);
  } else if (startsWith(l, "copy to ")) {
    current_->isCopy = true;
    return pathAfter("copy to ", current_->newPath);
  } else if (startsWith(l, "Binary files ") || startsWith(l, "GIT binary patch")) {
    current_->isBinary = true;
  } else if (!(startsWith(l, "index ") || startsWith(l, "similarity index ") ||
               startsWith(l, "dissimilarity index "))) {
    handled = false;
  }
  return core::okStatus();
}

core::Result<std::string> PatchParser::fileName(std::string_view label, char side) {
  if (!label.empty() && label.front() != '"') {
    size_t tab = label.find('\t');
    label = trimRight(label.substr(0, tab));
  }
  auto name = unquotePath(label);
  if (!name) return errorAt(pos_, name.error().message);
  if (*name == kDevNull) return std::string();
  std::string prefix = side == '-' ? "a/" : "b/";
  if (currentIsGit_ || startsWith(*name, prefix)) return stripComponent(*name);
  return std::move(name).value();
}

core::Status PatchParser::parseFileNames(bool continuesGitHeader) {
  if (!continuesGitHeader) startFile(false);
  auto oldName = fileName(line(pos_).substr(4), '-');
  if (!oldName) return std::move(oldName).error();
  ++pos_;
  auto newName = fileName(line(pos_).substr(4), '+');
  if (!newName) return std::move(newName).error();
  ++pos_;
  current_->isNew = current_->isNew || oldName->empty();
  current_->isDeleted = current_->isDeleted || newName->empty();
  if (!oldName->empty()) current_->oldPath = *oldName;
  if (!newName->empty()) current_->newPath = *newName;
  return core::okStatus();
}

core::Status PatchParser::parseHunkHeader(std::string_view l, Hunk& hunk) {
  hunk.header = std::string(l);
  hunk.patchLine = pos_ + 1;
  std::string_view s = l.substr(2);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  if (s.empty() || s.front() != '-') {
    hunk.hasLineNumbers = false;
    return core::okStatus();
  }
  bool ok = parseRange(s, '-', hunk.oldStart, hunk.oldCount);
  while (ok && !s.empty() && s.front() == ' ') s.remove_prefix(1);
  ok = ok && parseRange(s, '+', hunk.newStart, hunk.newCount);
  ok = ok && startsWith(s, " @@");
  if (!ok) return errorAt(pos_, "malformed hunk header '" + std::string(l) + "'");
  return core::okStatus();
}

core::Status PatchParser::parseHunk() {
  Hunk hunk;
  if (auto s = parseHunkHeader(line(pos_), hunk); !s) return s;
  ++pos_;
  if (hunk.hasLineNumbers) {
    if (auto s = readCountedBody(hunk); !s) return s;
  } else {
    readUncountedBody(hunk);
  }
  current_->hunks.push_back(std::move(hunk));
  return core::okStatus();
}

// "\ No newline at end of file" after a line: that line has no newline.
bool PatchParser::applyNoNewlineMarker(Hunk& hunk) {
  if (pos_ >= lines_.size() || !startsWith(lines_[pos_], "\\")) return false;
  if (!hunk.lines.empty() && hasNewline(hunk.lines.back().text)) hunk.lines.back().text.pop_back();
  ++pos_;
  return true;
}

core::Status PatchParser::readCountedBody(Hunk& hunk) {
  size_t oldLeft = hunk.oldCount, newLeft = hunk.newCount;
  while ((oldLeft > 0 || newLeft > 0) && pos_ < lines_.size()) {
    if (applyNoNewlineMarker(hunk)) continue;
    std::string text = bodyLine(pos_);
    char kind = text.front();
    if (text == "\n" || text == "\r\n") {
      kind = ' ';  // a blank context line whose leading space was lost
    } else if (kind == ' ' || kind == '-' || kind == '+') {
      text.erase(0, 1);
    } else {
      break;
    }
    if ((kind != '+' && oldLeft == 0) || (kind != '-' && newLeft == 0)) {
      return errorAt(pos_, "hunk '" + hunk.header + "' has more lines than its header counts");
    }
    if (kind != '+') --oldLeft;
    if (kind != '-') --newLeft;
    hunk.lines.push_back({kind, std::move(text)});
    ++pos_;
  }
  if (oldLeft > 0 || newLeft > 0) {
    return errorAt(pos_ < lines_.size() ? pos_ : lines_.size() - 1,
                   "hunk '" + hunk.header + "' ends early: " + std::to_string(oldLeft) + " old and " +
                       std::to_string(newLeft) + " new lines missing");
  }
  applyNoNewlineMarker(hunk);
  return core::okStatus();
}

// Without counts the body runs to the next header; blank lines at its end
// are taken as separators, not as context.
void PatchParser::readUncountedBody(Hunk& hunk) {
  size_t trailingBlanks = 0;
  while (pos_ < lines_.size()) {
    if (applyNoNewlineMarker(hunk)) continue;
    std::string_view raw = lines_[pos_];
    char kind = raw.front();
    bool nextFileHeader = startsWith(raw, "--- ") && pos_ + 1 < lines_.size() && startsWith(lines_[pos_ + 1], "+++ ");
    if (nextFileHeader || startsWith(raw, "@@") || startsWith(raw, "diff --git ")) break;
    std::string text = bodyLine(pos_);
    bool bare = text == "\n" || text == "\r\n";
    if (bare) kind = ' ';
    else if (kind == ' ' || kind == '-' || kind == '+') text.erase(0, 1);
    else break;
    trailingBlanks = bare ? trailingBlanks + 1 : 0;
    if (kind != '+') ++hunk.oldCount;
    if (kind != '-') ++hunk.newCount;
    hunk.lines.push_back({kind, std::move(text)});
    ++pos_;
  }
  hunk.lines.resize(hunk.lines.size() - trailingBlanks);
  hunk.oldCount -= trailingBlanks;
  hunk.newCount -= trailingBlanks;
}

}  // namespace

core::Result<Patch> parsePatch(std::string_view text) { return PatchParser(text).run(); }

}  // namespace codecrew::code
