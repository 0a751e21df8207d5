// Where a workflow's repository_url points, and whether this server lets an
// execution start from it: the one place that reads repository_url, so the
// rules (and the network remotes that come with the GitHub integration)
// live here.
//
// A local repository (a path or file:// URL) is allowed only under one of
// the roots the server's configuration names ([repositories] local_roots;
// `serve --dev` adds the directory it was started in, `codecrew run` the
// repository it was pointed at), never under the server's data directory
// (other executions' workspaces, the database), and only when it is a git
// repository. Every refusal has the same message, which says which setting
// to change and nothing about the path (whether it exists, is a directory
// or a repository), so a caller cannot probe the server's files with it.
//
// A network repository is allowed only on a configured remote host (GitHub
// by default, or a GitHub Enterprise server, by base URL; other git hosts
// for clone-only), as https:// (or the exact scheme of the configured base
// URL), with no credentials in the URL (the server's token is used) and an
// owner/name path. Every other scheme (ssh, git://, scp-like) is refused
// with a message that says what is accepted.
// Thread-safety: a value; check() may be called from any thread.
#pragma once

#include "core/result.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::engine {

// The local directory a repository_url names ("" for none, a path, or
// file://path); nullopt for a network URL.
std::optional<std::filesystem::path> localRepositoryPath(const std::string& repository_url);

// A network host repositories may be cloned from.
struct RemoteHost {
  std::string base_url;        // scheme://host[:port], no trailing slash
  std::string token;           // sent to this host only; "" for anonymous clones
  bool pull_requests = false;  // executions deliver pull requests to it (GitHub)
  // The owners (users, organisations) whose repositories may be named;
  // empty: any the token can see. Compared case-insensitively.
  std::vector<std::string> owners;
  // Per tenant (by name): its own list, in place of `owners`.
  std::map<std::string, std::vector<std::string>> tenant_owners;
};

class RepositoryPolicy {
 public:
  RepositoryPolicy() = default;
  // trusted: repositories named on the command line by the user who runs
  // the process (`codecrew run --repo`), allowed as they are, wherever.
  RepositoryPolicy(const std::vector<std::filesystem::path>& local_roots, const std::filesystem::path& data_dir,
                   const std::vector<std::filesystem::path>& trusted = {});

  // ok for "" (a new repository) and for an allowed local git repository
  // or network repository (of an owner the tenant, by name, may use);
  // kInvalidArgument otherwise.
  core::Status check(const std::string& repository_url, const std::string& tenant = "") const;

  const std::vector<std::filesystem::path>& roots() const { return roots_; }

  // Allows network repositories on these hosts.
  void setRemoteHosts(std::vector<RemoteHost> hosts) { remotes_ = std::move(hosts); }
  // The configured host a network URL is on (after check() passed); null
  // for local URLs and unknown hosts.
  const RemoteHost* remoteFor(const std::string& repository_url) const;

 private:
  std::vector<std::filesystem::path> roots_;    // canonical
  std::vector<std::filesystem::path> trusted_;  // canonical
  std::filesystem::path data_dir_;              // canonical; empty: none
  std::vector<RemoteHost> remotes_;
  core::Status checkRemote(const std::string& url, const std::string& tenant) const;
};

}  // namespace codecrew::engine
