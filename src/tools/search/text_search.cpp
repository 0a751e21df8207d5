#include "tools/search/text_search.h"

#include <fnmatch.h>
#include <re2/filtered_re2.h>
#include <re2/re2.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>

namespace codecrew::tools {
namespace {

constexpr int kMaxContextLines = 20;

std::string buildPattern(const TextSearchOptions& options) {
  std::string core = options.regex ? options.query : RE2::QuoteMeta(options.query);
  std::string pattern = options.caseSensitive ? "(?m)" : "(?mi)";
  if (options.wholeWord) return pattern + "\\b(?:" + core + ")\\b";
  return pattern + (options.regex ? "(?:" + core + ")" : core);
}

std::string_view lineAround(std::string_view text, std::size_t lineStart) {
  std::size_t end = text.find('\n', lineStart);
  if (end == std::string_view::npos) end = text.size();
  std::string_view line = text.substr(lineStart, end - lineStart);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

void addContext(std::string_view text, std::size_t lineStart, int count, TextMatch& match) {
  std::size_t start = lineStart;
  for (int i = 0; i < count && start > 0; ++i) {
    const std::size_t prevEnd = start - 1;  // the previous line's newline
    std::size_t prevStart = prevEnd == 0 ? std::string_view::npos : text.rfind('\n', prevEnd - 1);
    prevStart = prevStart == std::string_view::npos ? 0 : prevStart + 1;
    match.before.insert(match.before.begin(), std::string(lineAround(text, prevStart)));
    start = prevStart;
  }
  std::size_t next = text.find('\n', lineStart);
  for (int i = 0; i < count && next != std::string_view::npos && next + 1 < text.size(); ++i) {
    match.after.emplace_back(lineAround(text, next + 1));
    next = text.find('\n', next + 1);
  }
}

// Files a search thread takes at least, so that a small tree is searched
// on the calling thread alone; and the most threads one search uses.
constexpr std::size_t kFilesPerThread = 64;
constexpr unsigned kMaxThreads = 8;

// Whether a regular expression may turn case folding on by itself ((?i)).
bool mayFoldCase(std::string_view pattern) {
  for (std::size_t at = pattern.find("(?"); at != std::string_view::npos; at = pattern.find("(?", at + 2)) {
    for (std::size_t i = at + 2; i < pattern.size() && pattern[i] != ':' && pattern[i] != ')'; ++i)
      if (pattern[i] == 'i') return true;
  }
  return false;
}

// Whether every letter a pattern matches literally is written in it as a
// lower-case ASCII letter (no upper-case letter, no \x or octal escape).
bool lettersWrittenInLowerCase(std::string_view pattern) {
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] >= 'A' && pattern[i] <= 'Z') return false;
    if (pattern[i] == '\\' && i + 1 < pattern.size()) {
      const char next = pattern[++i];
      if (next == 'x' || (next >= '0' && next <= '7')) return false;
    }
  }
  return true;
}

bool contains(std::string_view text, const std::string& atom) {
  return ::memmem(text.data(), text.size(), atom.data(), atom.size()) != nullptr;
}

// ASCII letters to lower case, eight bytes at a time.
void lowerAscii(std::string_view text, std::string& out) {
  out.resize(text.size());
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, text.data() + i, 8);
    // Bytes in 'A'..'Z' (high bit clear) get 0x20 added.
    const std::uint64_t ascii = ~w & kHigh;
    const std::uint64_t aboveA = (w & ~kHigh) + kOnes * (0x80 - 'A');
    const std::uint64_t aboveZ = (w & ~kHigh) + kOnes * (0x80 - 'Z' - 1);
    const std::uint64_t upper = aboveA & ~aboveZ & ascii;
    w += (upper >> 2);  // 0x80 >> 2 == 0x20
    std::memcpy(out.data() + i, &w, 8);
  }
  for (; i < text.size(); ++i) out[i] = text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] + 32) : text[i];
}

// RE2's prefilter for a case-sensitive regular expression: strings (atoms)
// that any match must contain, combined with AND and OR. A file where they
// cannot be found is not scanned by the regular expression at all. The atoms
// are in lower case, so they are looked for in the file as it is (enough
// when they are there, or when the pattern writes every letter it matches
// in lower case) and else in an ASCII-lowered copy. That is exact only for
// ASCII atoms of a pattern without case folding (folding maps some
// non-ASCII letters to ASCII ones, e.g. the Kelvin sign to k), so the
// prefilter is off otherwise.
class Prefilter {
 public:
  Prefilter(const std::string& pattern, const RE2::Options& reOptions, bool caseSensitive) {
    if (!caseSensitive || mayFoldCase(pattern)) return;
    int id = 0;
    if (filter_.Add(pattern, reOptions, &id) != RE2::NoError) return;
    filter_.Compile(&atoms_);
    for (const auto& atom : atoms_)
      for (unsigned char c : atom)
        if (c >= 0x80) atoms_.clear();
    usable_ = !atoms_.empty();
    lowerCaseOnly_ = lettersWrittenInLowerCase(pattern);
  }

  // False when the text cannot match; `lowered` is scratch space.
  bool mayMatch(std::string_view text, std::string& lowered) const {
    if (!usable_) return true;
    if (passes(text)) return true;
    if (lowerCaseOnly_) return false;
    lowerAscii(text, lowered);
    return passes(lowered);
  }

 private:
  bool passes(std::string_view text) const {
    std::vector<int> found, passing;
    for (std::size_t i = 0; i < atoms_.size(); ++i)
      if (contains(text, atoms_[i])) found.push_back(static_cast<int>(i));
    filter_.AllPotentials(found, &passing);
    return !passing.empty();
  }

  static constexpr int kMinAtomLength = 3;
  re2::FilteredRE2 filter_{kMinAtomLength};
  std::vector<std::string> atoms_;
  bool usable_ = false;
  bool lowerCaseOnly_ = false;
};

// What one compiled query needs to scan a file.
struct Matcher {
  const RE2& re;
  // Set for a case-sensitive literal: every match is an occurrence of it, so
  // the scan jumps from one occurrence to the next (memmem) and only asks
  // the regular expression about those (it still decides whole words).
  std::string_view literal;
  // The literal's occurrences are the matches (no whole-word condition):
  // the regular expression is not asked at all.
  bool literalIsMatch = false;
  const Prefilter* prefilter = nullptr;  // for regular expressions
};

// The matches in one file, at most `limit` of them (one more than a search
// can take tells it that it was truncated).
std::vector<TextMatch> searchFile(const Matcher& matcher, const std::string& path, std::string_view text, int context,
                                  std::size_t limit) {
  std::vector<TextMatch> out;
  std::size_t pos = 0, counted = 0;
  int line = 1;
  re2::StringPiece match;
  while (pos <= text.size() && out.size() < limit) {
    if (!matcher.literal.empty()) {
      const void* found = ::memmem(text.data() + pos, text.size() - pos, matcher.literal.data(),
                                   matcher.literal.size());
      if (!found) break;
      pos = static_cast<std::size_t>(static_cast<const char*>(found) - text.data());
    }
    std::size_t at = pos;
    if (!matcher.literalIsMatch) {
      if (!matcher.re.Match(text, pos, text.size(), RE2::UNANCHORED, &match, 1)) break;
      at = static_cast<std::size_t>(match.data() - text.data());
    }
    line += static_cast<int>(
        std::count(text.begin() + static_cast<long>(counted), text.begin() + static_cast<long>(at), '\n'));
    counted = at;
    std::size_t lineStart = at == 0 ? 0 : text.rfind('\n', at - 1);
    lineStart = lineStart == std::string_view::npos || at == 0 ? 0 : lineStart + 1;
    TextMatch m{path, line, static_cast<int>(at - lineStart) + 1, std::string(lineAround(text, lineStart)), {}, {}};
    if (context > 0) addContext(text, lineStart, context, m);
    out.push_back(std::move(m));
    std::size_t lineEnd = text.find('\n', at);
    if (lineEnd == std::string_view::npos) break;
    pos = lineEnd + 1;
  }
  return out;
}

// One file's part of a search, filled by whichever thread searched it.
struct FileOutcome {
  bool searched = false;  // read, and not binary
  std::vector<TextMatch> matches;
};

// Files handed out in path order to the threads of one search, and how far
// the finished ones reach: once the files before some point hold more
// matches than the search takes, no later file is needed.
class FileQueue {
 public:
  FileQueue(std::size_t files, std::size_t maxResults)
      : done_(files, false), counts_(files, 0), maxResults_(maxResults) {}

  // The next file to search, or false when none is left or needed.
  bool next(std::size_t& index) {
    if (enough_.load(std::memory_order_relaxed)) return false;
    index = next_.fetch_add(1, std::memory_order_relaxed);
    return index < done_.size();
  }

  void finished(std::size_t index, std::size_t matches) {
    std::lock_guard lock(mu_);
    done_[index] = true;
    counts_[index] = matches;
    while (frontier_ < done_.size() && done_[frontier_]) {
      prefixMatches_ += counts_[frontier_++];
      if (prefixMatches_ > maxResults_) enough_.store(true, std::memory_order_relaxed);
    }
  }

 private:
  std::atomic<std::size_t> next_{0};
  std::atomic<bool> enough_{false};
  std::mutex mu_;
  std::vector<bool> done_;           // guarded by mu_
  std::vector<std::size_t> counts_;  // guarded by mu_
  std::size_t frontier_ = 0;         // guarded by mu_: files [0, frontier_) are done
  std::size_t prefixMatches_ = 0;    // guarded by mu_: their matches
  const std::size_t maxResults_;
};

unsigned threadsFor(const TextSearchOptions& options, std::size_t files) {
  if (options.threads > 0)
    return static_cast<unsigned>(std::min<std::size_t>(options.threads, std::max<std::size_t>(files, 1)));
  const unsigned cores = std::min(kMaxThreads, std::max(1u, std::thread::hardware_concurrency()));
  return static_cast<unsigned>(std::min<std::size_t>(cores, std::max<std::size_t>(1, files / kFilesPerThread)));
}

}  // namespace

bool looksBinary(std::string_view content) {
  return std::memchr(content.data(), '\0', std::min<std::size_t>(content.size(), 8192)) != nullptr;
}

core::Result<TextSearchResult> searchText(const Workspace& workspace, const TextSearchOptions& options) {
  if (options.query.empty()) return core::Error::invalidArgument("search query is empty");
  RE2::Options reOptions;
  reOptions.set_log_errors(false);
  RE2 re(buildPattern(options), reOptions);
  if (!re.ok()) return core::Error::invalidArgument("invalid regular expression: " + re.error());
  auto listing = workspace.list({.directory = options.directory, .recursive = true});
  if (!listing) return listing.error();
  std::vector<const FileEntry*> files;
  for (const FileEntry& entry : listing->entries) {
    if (entry.type != EntryType::kFile || entry.size > workspace.limits().maxFileBytes) continue;
    if (!options.pathGlob.empty() && fnmatch(options.pathGlob.c_str(), entry.path.c_str(), 0) != 0) continue;
    files.push_back(&entry);
  }
  const bool literal = !options.regex && options.caseSensitive;
  std::optional<Prefilter> prefilter;
  if (options.regex) prefilter.emplace(buildPattern(options), reOptions, options.caseSensitive);
  const Matcher matcher{re, literal ? std::string_view(options.query) : "", literal && !options.wholeWord,
                        prefilter ? &*prefilter : nullptr};
  const int context = std::clamp(options.contextLines, 0, kMaxContextLines);
  // A file needs no more matches than the search takes, plus one to know it was cut.
  const std::size_t limit = options.maxResults + (options.maxResults < SIZE_MAX ? 1 : 0);
  // Files are searched in parallel and their matches put together in path
  // order, so the result is the one a single thread would find.
  std::vector<FileOutcome> outcomes(files.size());
  FileQueue queue(files.size(), options.maxResults);
  auto work = [&] {
    std::string lowered;
    for (std::size_t i = 0; queue.next(i);) {
      auto content = workspace.readFile(files[i]->path);
      if (content && !looksBinary(*content)) {
        outcomes[i].searched = true;
        if (!matcher.prefilter || matcher.prefilter->mayMatch(*content, lowered))
          outcomes[i].matches = searchFile(matcher, files[i]->path, *content, context, limit);
      }
      queue.finished(i, outcomes[i].matches.size());
    }
  };
  {
    std::vector<std::jthread> helpers;
    for (unsigned t = 1; t < threadsFor(options, files.size()); ++t) helpers.emplace_back(work);
    work();
  }
  TextSearchResult result;
  for (FileOutcome& outcome : outcomes) {
    if (!outcome.searched) continue;
    ++result.filesSearched;
    for (TextMatch& m : outcome.matches) {
      if (result.matches.size() >= options.maxResults) {
        result.truncated = true;
        return result;
      }
      result.matches.push_back(std::move(m));
    }
  }
  return result;
}

}  // namespace codecrew::tools
