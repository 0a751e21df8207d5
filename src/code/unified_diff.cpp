#include "code/unified_diff.h"

#include "code/path_quoting.h"
#include "code/similarity.h"
#include "code/text_lines.h"

#include <algorithm>

namespace codecrew::code {

namespace {

constexpr std::string_view kDevNull = "/dev/null";
constexpr std::string_view kNoNewlineMarker = "\\ No newline at end of file\n";

void appendRange(std::string& out, size_t start, size_t count) {
  out += std::to_string(count == 0 ? start : start + 1);
  if (count != 1) {
    out.push_back(',');
    out += std::to_string(count);
  }
}

void appendLine(std::string& out, char marker, std::string_view line) {
  out.push_back(marker);
  out.append(line);
  if (!hasNewline(line)) {
    out.push_back('\n');
    out.append(kNoNewlineMarker);
  }
}

void appendHunk(std::string& out, const std::vector<std::string_view>& a, const std::vector<std::string_view>& b,
                const std::vector<ChangeBlock>& blocks, size_t first, size_t last, size_t context) {
  const ChangeBlock& head = blocks[first];
  const ChangeBlock& tail = blocks[last];
  size_t leading = std::min(context, head.startA);
  size_t trailing = std::min(context, a.size() - tail.endA());
  size_t startA = head.startA - leading, startB = head.startB - leading;
  size_t endA = tail.endA() + trailing, endB = tail.endB() + trailing;
  out += "@@ -";
  appendRange(out, startA, endA - startA);
  out += " +";
  appendRange(out, startB, endB - startB);
  out += " @@\n";
  size_t pos = startA;
  for (size_t k = first; k <= last; ++k) {
    const ChangeBlock& block = blocks[k];
    for (; pos < block.startA; ++pos) appendLine(out, ' ', a[pos]);
    for (size_t i = block.startA; i < block.endA(); ++i) appendLine(out, '-', a[i]);
    for (size_t j = block.startB; j < block.endB(); ++j) appendLine(out, '+', b[j]);
    pos = block.endA();
  }
  for (; pos < endA; ++pos) appendLine(out, ' ', a[pos]);
}

// "--- label" or "+++ label", with git's trailing tab after a label holding a
// space (so that patch does not cut the name at the space).
void appendFileLine(std::string& out, std::string_view marker, const std::string& label) {
  out.append(marker);
  out.append(label);
  if (label.find(' ') != std::string::npos) out.push_back('\t');
  out.push_back('\n');
}

struct PairFacts {
  bool created = false;
  bool deleted = false;
  bool renamed = false;
  bool modeChanged = false;
  bool contentChanged = false;
  bool binary = false;
};

PairFacts factsOf(const std::optional<DiffFile>& before, const std::optional<DiffFile>& after) {
  PairFacts f;
  f.created = !before.has_value();
  f.deleted = !after.has_value();
  std::string_view oldContent = before ? before->content : std::string_view();
  std::string_view newContent = after ? after->content : std::string_view();
  f.renamed = before && after && before->path != after->path;
  f.modeChanged = before && after && before->mode != after->mode;
  f.contentChanged = f.created || f.deleted || oldContent != newContent;
  f.binary = looksBinary(oldContent) || looksBinary(newContent);
  return f;
}

void appendGitHeader(std::string& out, const std::optional<DiffFile>& before, const std::optional<DiffFile>& after,
                     const PairFacts& f, const DiffOptions& options) {
  std::string_view oldPath = before ? before->path : after->path;
  std::string_view newPath = after ? after->path : before->path;
  out += "diff --git " + quotePath(options.oldPrefix, oldPath) + " " + quotePath(options.newPrefix, newPath) + "\n";
  if (f.created) out += "new file mode " + std::string(after->mode) + "\n";
  if (f.deleted) out += "deleted file mode " + std::string(before->mode) + "\n";
  if (f.modeChanged) {
    out += "old mode " + std::string(before->mode) + "\n";
    out += "new mode " + std::string(after->mode) + "\n";
  }
  if (f.renamed) {
    out += "similarity index " + std::to_string(contentSimilarityPercent(before->content, after->content)) + "%\n";
    out += "rename from " + quotePath("", oldPath) + "\n";
    out += "rename to " + quotePath("", newPath) + "\n";
  }
}

}  // namespace

std::string unifiedHunks(std::string_view before, std::string_view after, const DiffOptions& options) {
  auto a = splitLines(before);
  auto b = splitLines(after);
  auto blocks = diffLines(a, b, options.algorithm);
  std::string out;
  for (size_t first = 0; first < blocks.size();) {
    size_t last = first;
    while (last + 1 < blocks.size() && blocks[last + 1].startA - blocks[last].endA() <= 2 * options.context) {
      ++last;
    }
    appendHunk(out, a, b, blocks, first, last, options.context);
    first = last + 1;
  }
  return out;
}

std::string unifiedDiff(const std::optional<DiffFile>& before, const std::optional<DiffFile>& after,
                        const DiffOptions& options) {
  if (!before && !after) return {};
  PairFacts f = factsOf(before, after);
  if (!f.contentChanged && !f.renamed && !f.modeChanged) return {};
  std::string out;
  if (options.gitHeader) appendGitHeader(out, before, after, f, options);
  if (!f.contentChanged) return out;
  std::string oldLabel = before ? quotePath(options.oldPrefix, before->path) : std::string(kDevNull);
  std::string newLabel = after ? quotePath(options.newPrefix, after->path) : std::string(kDevNull);
  if (f.binary) {
    out += "Binary files " + oldLabel + " and " + newLabel + " differ\n";
    return out;
  }
  std::string hunks = unifiedHunks(before ? before->content : std::string_view(),
                                   after ? after->content : std::string_view(), options);
  if (hunks.empty()) return out;
  appendFileLine(out, "--- ", oldLabel);
  appendFileLine(out, "+++ ", newLabel);
  out += hunks;
  return out;
}

}  // namespace codecrew::code
