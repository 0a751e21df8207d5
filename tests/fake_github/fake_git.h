// The git side of the fake GitHub: bare repositories made and read with the
// git CLI, and the smart HTTP protocol bridged to `git http-backend` as a
// CGI program. Every git process runs with a clean configuration (no
// system or global config, no prompts) and a fixed identity.
// Thread-safety: functions of their arguments; git itself locks the
// repositories it writes.
#pragma once

#include "core/result.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace codecrew::testing::fake_git {

struct GitRun {
  int exit_code = -1;
  std::string out;
  std::string err;
  bool ok() const { return exit_code == 0; }
};

// Runs `git <args>` in cwd (empty: inherit) with the clean environment plus
// `env` (KEY=VALUE) and `input` on stdin. kNotFound when git is missing.
core::Result<GitRun> git(const std::vector<std::string>& args, const std::string& cwd = "",
                         const std::vector<std::string>& env = {}, const std::string& input = "");

// A bare repository at `path` whose `default_branch` holds one commit (a
// fixed author and date) with `files` (path -> content), configured as
// GitHub's are for the fake: pushes over HTTP allowed, non-fast-forward
// updates refused, and a pre-receive hook refusing changes under
// .github/workflows/ when FAKE_GITHUB_SCOPES (comma-separated) lacks
// "workflow". `scratch` is a directory the function may use and remove.
core::Status createBareRepository(const std::string& path, const std::string& default_branch,
                                  const std::map<std::string, std::string>& files, const std::string& scratch);

// The commit a branch of the bare repository points at (nullopt: no such branch).
std::optional<std::string> branchSha(const std::string& repo, const std::string& branch);
// A file's content at a commit-ish (nullopt: no such file or revision).
std::optional<std::string> fileAt(const std::string& repo, const std::string& revision, const std::string& path);
// Whether `ancestor` is reachable from `descendant` (both commit-ish).
bool isAncestor(const std::string& repo, const std::string& ancestor, const std::string& descendant);

// One changed file of base...head, as GitHub's pull request files list it.
struct ChangedFile {
  std::string filename;
  std::string status;  // added, modified, removed, renamed
  int additions = 0;
  int deletions = 0;
  std::string patch;  // the hunks ("@@ ..."), empty for a binary file
};
core::Result<std::vector<ChangedFile>> changedFiles(const std::string& repo, const std::string& base,
                                                    const std::string& head);

// A CGI answer of `git http-backend`.
struct CgiAnswer {
  int status = 200;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct CgiRequest {
  std::string project_root;  // GIT_PROJECT_ROOT: the folder holding <owner>/<repo>.git
  std::string method;        // GET or POST
  std::string path_info;     // "/<owner>/<repo>.git/info/refs"
  std::string query;         // the query string, undecoded
  std::string content_type;
  std::string content_encoding;  // "gzip" when git compressed the body
  std::string git_protocol;      // the Git-Protocol header ("version=2")
  std::string remote_user;
  std::string remote_addr;
  std::string body;
  std::vector<std::string> env;  // more KEY=VALUE (FAKE_GITHUB_SCOPES)
};

// Runs `git http-backend` for one request and parses its CGI answer.
core::Result<CgiAnswer> httpBackend(const CgiRequest& request);

}  // namespace codecrew::testing::fake_git
