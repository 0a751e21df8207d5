#include "engine/repository_location.h"

#include "tools/git/git_repository.h"

#include <algorithm>
#include <cctype>
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

const RemoteHost* RepositoryPolicy::remoteFor(const std::string& url) const {
  for (const auto& r : remotes_)
    if (url.size() > r.base_url.size() + 1 && url.compare(0, r.base_url.size(), r.base_url) == 0 &&
        url[r.base_url.size()] == '/')
      return &r;
  return nullptr;
}

core::Status RepositoryPolicy::checkRemote(const std::string& url, const std::string& tenant) const {
  std::string hosts;
  for (const auto& r : remotes_) hosts += (hosts.empty() ? "" : ", ") + r.base_url;
  auto refused = [&](const std::string& why) {
    return core::Error::invalidArgument("repository_url '" + url + "' " + why);
  };
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos)
    return refused("is not supported: use an https:// URL of a configured host (" + hosts +
                   "), or a local path under [repositories] local_roots; ssh and scp-like remotes are not");
  auto authority_end = url.find('/', scheme_end + 3);
  auto at = url.find('@', scheme_end + 3);
  if (at != std::string::npos && (authority_end == std::string::npos || at < authority_end))
    return refused(
        "carries credentials; give the token to the server instead (GITHUB_TOKEN or [github] token) "
        "and use the plain URL");
  const RemoteHost* host = remoteFor(url);
  if (!host) {
    if (url.compare(0, 8, "https://") != 0)
      return refused("is not supported: only https:// URLs of a configured host (" + hosts +
                     ") are accepted for network repositories");
    return refused("is on a host this server does not clone from; configured hosts: " + hosts +
                   " (add more with [repositories] remote_hosts)");
  }
  std::string path = url.substr(host->base_url.size() + 1);
  while (!path.empty() && path.back() == '/') path.pop_back();
  auto slash = path.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 >= path.size() || path.find("..") != std::string::npos ||
      path.find_first_of("?#\\ ") != std::string::npos)
    return refused("must name a repository as " + host->base_url + "/<owner>/<name>");
  const auto per_tenant = host->tenant_owners.find(tenant);
  const auto& owners = per_tenant != host->tenant_owners.end() ? per_tenant->second : host->owners;
  if (!owners.empty()) {
    auto lower = [](std::string s) {
      for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return s;
    };
    const std::string owner = lower(path.substr(0, slash));
    bool listed = false;
    for (const auto& o : owners) listed = listed || lower(o) == owner;
    if (!listed)
      return refused("is not allowed: its owner is not one of " +
                     std::string(per_tenant != host->tenant_owners.end() ? "[github.tenants." + tenant + "] owners"
                                                                         : "[github] owners") +
                     " in codecrew.toml");
  }
  return core::okStatus();
}

core::Status RepositoryPolicy::check(const std::string& url, const std::string& tenant) const {
  auto local = localRepositoryPath(url);
  if (!local) return checkRemote(url, tenant);
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
