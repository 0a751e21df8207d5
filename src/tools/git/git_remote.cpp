#include "tools/git/git_remote.h"

#include "tools/process/child_process.h"

#include "core/crypto.h"

#include <cstdlib>
#include <vector>

namespace codecrew::tools {

namespace {

std::string scrub(std::string text, const std::string& token) {
  if (token.empty()) return text;
  for (const std::string& secret : {token, core::base64Encode("x-access-token:" + token)}) {
    for (auto p = text.find(secret); p != std::string::npos; p = text.find(secret, p))
      text.replace(p, secret.size(), "***");
  }
  return text;
}

// The environment of one git process: no user or system configuration, no
// prompts, the proxy variables of this process, and the token as a header.
std::vector<std::string> gitEnv(const RemoteAccess& remote) {
  std::vector<std::string> env = {"GIT_TERMINAL_PROMPT=0", "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
                                  "GIT_ASKPASS=true", "LC_ALL=C"};
  for (const char* name :
       {"PATH", "HOME", "TMPDIR", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "no_proxy", "NO_PROXY",
        "all_proxy", "ALL_PROXY", "GIT_SSL_CAINFO", "SSL_CERT_FILE", "SSL_CERT_DIR"}) {
    if (const char* v = std::getenv(name)) env.push_back(std::string(name) + "=" + v);
  }
  int n = 0;
  auto add = [&](const std::string& key, const std::string& value) {
    env.push_back("GIT_CONFIG_KEY_" + std::to_string(n) + "=" + key);
    env.push_back("GIT_CONFIG_VALUE_" + std::to_string(n) + "=" + value);
    ++n;
  };
  if (!remote.token.empty())
    add("http.extraHeader", "Authorization: Basic " + core::base64Encode("x-access-token:" + remote.token));
  add("credential.helper", "");
  // Workspaces belong to the sandbox's user (sandbox_owner.h); this process
  // works on them on the server's behalf.
  add("safe.directory", "*");
  add("protocol.allow", "never");
  add("protocol.https.allow", "always");
  add("protocol.http.allow", "always");
  env.push_back("GIT_CONFIG_COUNT=" + std::to_string(n));
  return env;
}

struct GitRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

core::Result<GitRun> runGit(const RemoteAccess& remote, std::vector<std::string> args, const std::string& cwd = "") {
  if (remote.url.find('@') != std::string::npos && remote.url.find("://") != std::string::npos &&
      remote.url.find('@') < remote.url.find('/', remote.url.find("://") + 3))
    return core::Error::invalidArgument("a remote URL must not carry credentials");
  ProcessSpec spec;
  spec.argv = {"git"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.env = gitEnv(remote);
  spec.workingDirectory = cwd;
  spec.timeout = remote.timeout;
  auto r = runProcess(spec);
  if (!r) return r.error();
  if (r->timedOut)
    return core::Error{core::ErrorCode::kDeadlineExceeded,
                       "git " + args.front() + " of " + remote.url + " timed out after " +
                           std::to_string(remote.timeout.count()) + " s",
                       nullptr};
  return GitRun{r->exitCode.value_or(-1), scrub(r->stdoutText, remote.token), scrub(r->stderrText, remote.token)};
}

std::string lastLines(const std::string& text) {
  auto t = text;
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
  if (t.size() > 600) t = "..." + t.substr(t.size() - 600);
  return t;
}

core::Error remoteError(const RemoteAccess& remote, const std::string& what, const GitRun& run) {
  const std::string& e = run.err;
  std::string msg = what + " " + remote.url + " failed: " + lastLines(e);
  if (e.find("Authentication failed") != std::string::npos || e.find("401") != std::string::npos ||
      e.find("could not read Username") != std::string::npos)
    return core::Error::unauthenticated(what + " " + remote.url +
                                        " was refused: the token is missing or not valid for this repository "
                                        "(set GITHUB_TOKEN or [github] token)");
  if (e.find("not found") != std::string::npos || e.find("404") != std::string::npos)
    return core::Error::notFound(what + " " + remote.url +
                                 ": the repository was not found (or the token cannot "
                                 "see it)");
  if (e.find("Could not resolve host") != std::string::npos || e.find("Failed to connect") != std::string::npos ||
      e.find("SSL") != std::string::npos || e.find("timed out") != std::string::npos)
    return core::Error::unavailable(msg);
  return core::Error::internal(msg);
}

}  // namespace

core::Result<CloneOutcome> cloneRemote(const RemoteAccess& remote, const std::string& dir, const std::string& branch) {
  CloneOutcome out;
  if (!branch.empty()) {
    auto sha = remoteBranchSha(remote, branch);
    if (!sha) return sha.error();
    out.had_branch = sha->has_value();
  }
  std::vector<std::string> args = {"clone", "--quiet", "--no-tags"};
  if (out.had_branch) args.insert(args.end(), {"--branch", branch});
  args.insert(args.end(), {"--", remote.url, dir});
  auto run = runGit(remote, args);
  if (!run) return run.error();
  if (run->exit_code != 0) return remoteError(remote, "cloning", *run);
  auto head = runGit(remote, {"-C", dir, "rev-parse", "--abbrev-ref", "HEAD"});
  if (head && head->exit_code == 0) {
    out.branch = head->out;
    while (!out.branch.empty() && out.branch.back() == '\n') out.branch.pop_back();
  }
  return out;
}

core::Result<std::optional<std::string>> remoteBranchSha(const RemoteAccess& remote, const std::string& branch) {
  auto run = runGit(remote, {"ls-remote", "--heads", "--", remote.url, "refs/heads/" + branch});
  if (!run) return run.error();
  if (run->exit_code != 0) return remoteError(remote, "reading the branches of", *run);
  if (run->out.size() < 40) return std::optional<std::string>();
  return std::optional<std::string>(run->out.substr(0, 40));
}

core::Status pushHead(const RemoteAccess& remote, const std::string& dir, const std::string& branch) {
  auto run = runGit(remote, {"-C", dir, "push", "--porcelain", "--", remote.url, "HEAD:refs/heads/" + branch});
  if (!run) return run.error();
  if (run->exit_code == 0) return core::okStatus();
  const std::string& e = run->err + run->out;
  if (e.find("non-fast-forward") != std::string::npos || e.find("fetch first") != std::string::npos ||
      e.find("[rejected]") != std::string::npos)
    return core::Error{core::ErrorCode::kFailedPrecondition,
                       "pushing to " + branch + " of " + remote.url +
                           " was refused: the remote branch has commits this execution does not have, and codecrew "
                           "never force-pushes",
                       nullptr};
  if (e.find("workflow") != std::string::npos && e.find("scope") != std::string::npos)
    return core::Error::permissionDenied(
        "pushing to " + branch + " of " + remote.url +
        " was refused: the change touches .github/workflows/, which needs a token with the `workflow` scope "
        "(classic token) or the Workflows read-and-write permission (fine-grained token or GitHub App). "
        "The host said: " +
        lastLines(run->err));
  return remoteError(remote, "pushing to", *run);
}

}  // namespace codecrew::tools
