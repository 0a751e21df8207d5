#include "tools/workspace/ignore_rules.h"

#include "tools/git/libgit.h"

#include <fnmatch.h>

#include <fstream>
#include <mutex>
#include <sstream>

namespace codecrew::tools {
namespace {

bool isGitPath(std::string_view path) { return path == ".git" || path.starts_with(".git/"); }

// libgit2 answers; a repository handle is not safe for concurrent use, so
// calls are serialised.
class LibgitIgnoreRules : public IgnoreRules {
 public:
  explicit LibgitIgnoreRules(RepoPtr repo) : repo_(std::move(repo)) {}

  bool isIgnored(std::string_view path, bool isDirectory) const override {
    if (isGitPath(path)) return true;
    std::string query(path);
    if (isDirectory) query += '/';
    int ignored = 0;
    std::lock_guard lock(mutex_);
    if (git_ignore_path_is_ignored(&ignored, repo_.get(), query.c_str()) != 0) return false;
    return ignored != 0;
  }

 private:
  RepoPtr repo_;
  mutable std::mutex mutex_;
};

class NoIgnoreRules : public IgnoreRules {
 public:
  bool isIgnored(std::string_view path, bool) const override { return isGitPath(path); }
};

std::string_view trimTrailingSpaces(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) {
    line.remove_suffix(1);
  }
  return line;
}

}  // namespace

GitignoreFileRules::GitignoreFileRules(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = trimTrailingSpaces(text.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty() || line.front() == '#') continue;
    Rule rule;
    if (line.front() == '!') {
      rule.negate = true;
      line.remove_prefix(1);
    }
    if (!line.empty() && line.back() == '/') {
      rule.directoryOnly = true;
      line.remove_suffix(1);
    }
    if (line.starts_with("**/")) {
      line.remove_prefix(3);
    } else if (line.find('/') != std::string_view::npos) {
      rule.anchored = true;
      if (line.front() == '/') line.remove_prefix(1);
    }
    if (line.empty()) continue;
    rule.pattern = std::string(line);
    rules_.push_back(std::move(rule));
  }
}

bool GitignoreFileRules::matches(const Rule& rule, std::string_view path, bool isDirectory) const {
  if (rule.directoryOnly && !isDirectory) return false;
  const bool doubleStar = rule.pattern.find("**") != std::string::npos;
  const int flags = doubleStar ? 0 : FNM_PATHNAME;
  if (rule.anchored) return fnmatch(rule.pattern.c_str(), std::string(path).c_str(), flags) == 0;
  auto slash = path.rfind('/');
  std::string base(slash == std::string_view::npos ? path : path.substr(slash + 1));
  return fnmatch(rule.pattern.c_str(), base.c_str(), flags) == 0;
}

bool GitignoreFileRules::isIgnored(std::string_view path, bool isDirectory) const {
  if (isGitPath(path)) return true;
  // A path inside an ignored directory is ignored, whatever rules say about it.
  for (std::size_t slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', slash + 1)) {
    if (isIgnored(path.substr(0, slash), true)) return true;
  }
  bool ignored = false;
  for (const Rule& rule : rules_) {
    if (matches(rule, path, isDirectory)) ignored = !rule.negate;
  }
  return ignored;
}

std::unique_ptr<IgnoreRules> makeIgnoreRules(const std::string& root) {
  ensureLibgit2();
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, root.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) == 0) {
    RepoPtr repo(raw);
    const char* workdir = git_repository_workdir(repo.get());
    if (workdir) return std::make_unique<LibgitIgnoreRules>(std::move(repo));
  }
  std::ifstream in(root + "/.gitignore", std::ios::binary);
  if (!in) return std::make_unique<NoIgnoreRules>();
  std::stringstream buffer;
  buffer << in.rdbuf();
  return std::make_unique<GitignoreFileRules>(buffer.str());
}

}  // namespace codecrew::tools
