#include "engine/repository_location.h"

#include "tools/git/git_repository.h"

#include <algorithm>
#include <system_error>

namespace codecrew::engine {
namespace fs = std::filesystem;

std::optional<fs::path> localRepositoryPath(const std::string& url) {
  if (url.empty()) return fs::path();
  if (url.rfind("file://", 0) == 0) return fs::path(url.substr(7));
  if (url.find("://") != std::string::npos || url.find('@') != std::string::npos) return std::nullopt;
  return fs::path(url);
}

namespace {

// The path with symlinks and dot segments resolved as far as it exists.
fs::path resolved(const fs::path& p) {
  std::error_code ec;
  auto c = fs::weakly_canonical(p, ec);
  return ec ? p.lexically_normal() : c;
}

bool within(const fs::path& path, const fs::path& root) {
  auto rel = path.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

RepositoryPolicy::RepositoryPolicy(const std::vector<fs::path>& local_roots, const fs::path& data_dir,
                                   const std::vector<fs::path>& trusted) {
  for (const auto& r : local_roots)
    if (!r.empty()) roots_.push_back(resolved(fs::absolute(r)));
  for (const auto& t : trusted)
    if (!t.empty()) trusted_.push_back(resolved(fs::absolute(t)));
  if (!data_dir.empty()) data_dir_ = resolved(fs::absolute(data_dir));
}

core::Status RepositoryPolicy::check(const std::string& url) const {
  auto local = localRepositoryPath(url);
  if (!local)
    return core::Error::invalidArgument("repository_url '" + url +
                                        "' is a network remote; this server works on local repositories (a path "
                                        "or file:// URL) until the git integrations land");
  if (local->empty()) return core::okStatus();
  auto refused = core::Error::invalidArgument(
      "repository_url '" + url +
      "' is not allowed: a local repository must be a git repository under one of the directories of "
      "[repositories] local_roots in codecrew.toml (or CODECREW_REPOSITORY_ROOTS)");
  if (!local->is_absolute()) return refused;
  fs::path path = resolved(*local);
  bool trusted = std::find(trusted_.begin(), trusted_.end(), path) != trusted_.end();
  if (!trusted && !data_dir_.empty() && within(path, data_dir_)) return refused;
  bool allowed = trusted;
  for (const auto& root : roots_) allowed = allowed || within(path, root);
  if (!allowed) return refused;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return refused;
  if (!tools::GitRepository::open(path.string())) return refused;
  return core::okStatus();
}

}  // namespace codecrew::engine
