#include "code/patch_apply.h"

#include "code/nearest_match.h"
#include "code/patch_parser.h"
#include "code/text_lines.h"

#include <boost/json/object.hpp>

#include <algorithm>
#include <map>

namespace codecrew::code {

namespace {

core::Error failedPrecondition(std::string message, boost::json::value details = nullptr) {
  return {core::ErrorCode::kFailedPrecondition, std::move(message), std::move(details)};
}

std::string quoted(const std::string& path) { return "'" + path + "'"; }

// Applies the hunks of one file patch to one original text, in order.
class FilePatcher {
 public:
  FilePatcher(const FilePatch& patch, std::string_view original, const ApplyOptions& options)
      : patch_(patch), options_(options), lines_(splitLines(original)) {}

  core::Result<FileApplyResult> run();

 private:
  struct Expected {
    std::vector<std::string_view> lines;  // context and removed lines, in order
    std::vector<char> kinds;
    std::vector<std::string> normalized;
  };

  Expected expectedOf(const Hunk& hunk) const;
  std::optional<size_t> locate(const Expected& e, size_t hint, size_t lowest, bool tolerant);
  bool matchesAt(const Expected& e, size_t pos, bool tolerant);
  const std::string& normalizedLine(size_t i);
  size_t statedPosition(const Hunk& hunk) const {
    return hunk.oldCount == 0 ? hunk.oldStart : hunk.oldStart - (hunk.oldStart > 0 ? 1 : 0);
  }
  void emit(std::string_view line);
  core::Error failure(size_t index, const Hunk& hunk, const Expected& e, size_t hint);

  const FilePatch& patch_;
  const ApplyOptions& options_;
  std::vector<std::string_view> lines_;
  std::vector<std::string> normalized_;  // filled on first whitespace-tolerant search
  std::string out_;
  size_t cursor_ = 0;
  long drift_ = 0;
};

FilePatcher::Expected FilePatcher::expectedOf(const Hunk& hunk) const {
  Expected e;
  for (const auto& l : hunk.lines) {
    if (l.kind == '+') continue;
    e.lines.push_back(l.text);
    e.kinds.push_back(l.kind);
    e.normalized.push_back(normalizeWhitespace(l.text));
  }
  return e;
}

const std::string& FilePatcher::normalizedLine(size_t i) {
  if (normalized_.empty() && !lines_.empty()) {
    normalized_.reserve(lines_.size());
    for (auto l : lines_) normalized_.push_back(normalizeWhitespace(l));
  }
  return normalized_[i];
}

bool FilePatcher::matchesAt(const Expected& e, size_t pos, bool tolerant) {
  const size_t m = e.lines.size();
  // A last expected line without newline can only be the file's last line.
  if (m > 0 && !hasNewline(e.lines.back()) && pos + m != lines_.size()) return false;
  for (size_t i = 0; i < m; ++i) {
    if (lines_[pos + i] == e.lines[i]) continue;
    bool mayFuzz = tolerant && (e.kinds[i] == ' ' || options_.whitespace == WhitespaceMode::kIgnoreAll);
    if (!mayFuzz || normalizedLine(pos + i) != e.normalized[i]) return false;
  }
  return true;
}

std::optional<size_t> FilePatcher::locate(const Expected& e, size_t hint, size_t lowest, bool tolerant) {
  const size_t m = e.lines.size();
  if (lines_.size() < m || lines_.size() - m < lowest) return std::nullopt;
  const size_t highest = lines_.size() - m;
  hint = std::clamp(hint, lowest, highest);
  const size_t reach = std::max(hint - lowest, highest - hint);
  const size_t limit = options_.maxOffset ? std::min(*options_.maxOffset, reach) : reach;
  for (size_t d = 0; d <= limit; ++d) {
    if (hint + d <= highest && matchesAt(e, hint + d, tolerant)) return hint + d;
    if (d > 0 && hint >= lowest + d && matchesAt(e, hint - d, tolerant)) return hint - d;
  }
  return std::nullopt;
}

void FilePatcher::emit(std::string_view line) {
  // Only whitespace-tolerant matching can put a line after one that lacks its
  // newline; keep the lines apart.
  if (!out_.empty() && out_.back() != '\n') out_.push_back('\n');
  out_.append(line);
}

core::Result<FileApplyResult> FilePatcher::run() {
  FileApplyResult result;
  bool mayFuzz = options_.whitespace != WhitespaceMode::kExact;
  for (size_t k = 0; k < patch_.hunks.size(); ++k) {
    const Hunk& hunk = patch_.hunks[k];
    Expected e = expectedOf(hunk);
    long stated = static_cast<long>(statedPosition(hunk));
    size_t hint = hunk.hasLineNumbers ? static_cast<size_t>(std::max(0L, stated + drift_)) : cursor_;
    bool fuzzed = false;
    auto pos = locate(e, hint, cursor_, false);
    if (!pos && mayFuzz) {
      pos = locate(e, hint, cursor_, true);
      fuzzed = pos.has_value();
    }
    if (!pos) return failure(k, hunk, e, hint);
    for (size_t i = cursor_; i < *pos; ++i) emit(lines_[i]);
    size_t fileLine = *pos;
    for (const auto& l : hunk.lines) {
      if (l.kind == ' ') emit(lines_[fileLine++]);
      else if (l.kind == '-') ++fileLine;
      else emit(l.text);
    }
    cursor_ = fileLine;
    long offset = hunk.hasLineNumbers ? static_cast<long>(*pos) - stated : 0;
    if (hunk.hasLineNumbers) drift_ = offset;
    result.hunks.push_back({k + 1, *pos + 1, offset, fuzzed});
  }
  for (size_t i = cursor_; i < lines_.size(); ++i) emit(lines_[i]);
  result.content = std::move(out_);
  return result;
}

core::Error FilePatcher::failure(size_t index, const Hunk& hunk, const Expected& e, size_t hint) {
  const std::string& path = patch_.path();
  std::string reason;
  size_t atLine = std::min(hint, lines_.size());
  if (e.lines.size() > lines_.size()) {
    reason = "it expects " + std::to_string(e.lines.size()) + " lines but the file has only " +
             std::to_string(lines_.size());
  } else if (auto early = locate(e, hint, 0, options_.whitespace != WhitespaceMode::kExact)) {
    reason = "its lines occur only at line " + std::to_string(*early + 1) +
             ", inside or before the part already changed by the previous hunk (up to line " + std::to_string(cursor_) +
             ")";
  } else {
    reason = "its " + std::to_string(e.lines.size()) + " context and removed lines were not found";
    if (auto m = describeFirstMismatch(lines_, e.lines, std::min(atLine, lines_.size() - e.lines.size()))) {
      reason += "; at the expected place, " + *m;
    }
  }
  auto nearest = findNearestRegions(lines_, e.lines);
  std::string message = "patch does not apply to " + quoted(path) + ": hunk #" + std::to_string(index + 1) + " (" +
                        hunk.header + ") failed: " + reason;
  if (!nearest.empty()) {
    message += "; nearest match at line " + std::to_string(nearest.front().line) + " (similarity " +
               std::to_string(nearest.front().score).substr(0, 4) + ")";
  } else {
    message += "; nothing similar found in the file";
  }
  boost::json::object details;
  details["file"] = path;
  details["hunk"] = index + 1;
  details["header"] = hunk.header;
  details["reason"] = reason;
  details["expected_line"] = atLine + 1;
  details["nearest"] = nearestRegionsJson(nearest, lines_, e.lines);
  return failedPrecondition(std::move(message), std::move(details));
}

}  // namespace

core::Result<FileApplyResult> applyFilePatch(const FilePatch& patch, const std::optional<std::string_view>& original,
                                             const ApplyOptions& options) {
  const std::string& path = patch.path();
  if (patch.isBinary) {
    return core::Error::invalidArgument("binary patch for " + quoted(path) + " cannot be applied as text");
  }
  if (patch.isNew && original) {
    return failedPrecondition("patch creates " + quoted(path) + " but it already exists");
  }
  if (!patch.isNew && !original) {
    return failedPrecondition("patch changes " + quoted(patch.oldPath) + " but it does not exist");
  }
  auto result = FilePatcher(patch, original.value_or(std::string_view()), options).run();
  if (!result) return result;
  if (patch.isDeleted) {
    if (!result->content->empty()) {
      return failedPrecondition("patch deletes " + quoted(path) + " but " + std::to_string(result->content->size()) +
                                " bytes remain after its hunks; the file differs from what the patch expects");
    }
    result->content.reset();
  }
  return result;
}

core::Result<std::vector<FileChange>> applyPatch(const Patch& patch, const FileSource& source,
                                                 const ApplyOptions& options) {
  std::map<std::string, std::optional<std::string>> state;  // paths touched so far
  std::vector<FileChange> changes;
  auto record = [&](const std::string& path) -> FileChange& {
    for (auto& c : changes)
      if (c.path == path) return c;
    changes.push_back({path, std::nullopt, {}, {}});
    return changes.back();
  };
  for (const auto& file : patch.files) {
    std::optional<std::string> original;
    if (!file.isNew) {
      auto it = state.find(file.oldPath);
      original = it != state.end() ? it->second : source(file.oldPath);
    } else if (auto it = state.find(file.newPath); it != state.end()) {
      original = it->second;
    } else {
      original = source(file.newPath);
    }
    auto applied = applyFilePatch(file, original ? std::optional<std::string_view>(*original) : std::nullopt, options);
    if (!applied) return std::move(applied).error();
    if (file.isRename && !file.isCopy) {
      state[file.oldPath] = std::nullopt;
      record(file.oldPath).content.reset();
    }
    const std::string& path = file.path();
    state[path] = applied->content;
    FileChange& change = record(path);
    change.content = std::move(applied->content);
    if (file.isRename || file.isCopy) change.renamedFrom = file.oldPath;
    change.hunks = std::move(applied->hunks);
  }
  return changes;
}

core::Result<std::vector<FileChange>> applyPatchText(std::string_view patchText, const FileSource& source,
                                                     const ApplyOptions& options) {
  auto patch = parsePatch(patchText);
  if (!patch) return std::move(patch).error();
  return applyPatch(*patch, source, options);
}

}  // namespace codecrew::code
