// IgnoreRules: decides whether a workspace path is excluded by .gitignore.
// When the root is a git repository libgit2 answers (every .gitignore, the
// repository's info/exclude and core.excludesFile count); otherwise the root's
// .gitignore is parsed with a simple matcher (patterns, `!` negation, trailing
// `/` for directories, anchored patterns, `*`, `?`, `[...]` and `**`).
// `.git` itself is always ignored.
// Thread-safety: isIgnored may be called from several threads at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace codecrew::tools {

class IgnoreRules {
 public:
  virtual ~IgnoreRules() = default;
  // path is normalized and relative to the root.
  virtual bool isIgnored(std::string_view path, bool isDirectory) const = 0;
};

// Rules parsed from .gitignore text (the simple matcher).
class GitignoreFileRules : public IgnoreRules {
 public:
  explicit GitignoreFileRules(std::string_view gitignoreText);
  bool isIgnored(std::string_view path, bool isDirectory) const override;

 private:
  struct Rule {
    std::string pattern;
    bool negate = false;
    bool directoryOnly = false;
    bool anchored = false;
  };
  bool matches(const Rule& rule, std::string_view path, bool isDirectory) const;

  std::vector<Rule> rules_;
};

// The rules for a root directory: libgit2's when it is a repository, else the
// root .gitignore's (or none).
std::unique_ptr<IgnoreRules> makeIgnoreRules(const std::string& root);

}  // namespace codecrew::tools
