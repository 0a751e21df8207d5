#include "fake_git.h"

#include "tools/process/child_process.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace codecrew::testing::fake_git {
namespace {

namespace fs = std::filesystem;

// Refuses what GitHub refuses to an OAuth token without the workflow scope:
// a push whose new commits create, change or delete a file under
// .github/workflows/. GitHub's words, one line per file.
constexpr const char* kPreReceiveHook = R"(#!/bin/sh
# The fake GitHub's pre-receive hook (tests/fake_github/fake_git.cpp).
case ",$FAKE_GITHUB_SCOPES," in *,workflow,*) exit 0 ;; esac
zero=0000000000000000000000000000000000000000
files=$(
  while read -r old new ref; do
    [ "$new" = "$zero" ] && continue
    for c in $(git rev-list "$new" --not --all); do
      git diff-tree --no-commit-id --name-only -r --root "$c" -- .github/workflows
    done
  done | sort -u
)
[ -z "$files" ] && exit 0
for f in $files; do
  echo "refusing to allow an OAuth App to create or update workflow \`$f\` without \`workflow\` scope" >&2
done
exit 1
)";

std::vector<std::string> cleanEnv() {
  const char* path = std::getenv("PATH");
  const char* home = std::getenv("HOME");
  return {"PATH=" + std::string(path ? path : "/usr/local/bin:/usr/bin:/bin"),
          "HOME=" + std::string(home ? home : "/tmp"),
          "LANG=C",
          "GIT_CONFIG_NOSYSTEM=1",
          "GIT_CONFIG_GLOBAL=/dev/null",
          "GIT_TERMINAL_PROMPT=0",
          "GIT_AUTHOR_NAME=Octo Cat",
          "GIT_AUTHOR_EMAIL=octocat@example.com",
          "GIT_COMMITTER_NAME=Octo Cat",
          "GIT_COMMITTER_EMAIL=octocat@example.com",
          "GIT_AUTHOR_DATE=2026-01-01T00:00:00Z",
          "GIT_COMMITTER_DATE=2026-01-01T00:00:00Z"};
}

core::Result<tools::ProcessResult> run(std::vector<std::string> argv, const std::string& cwd,
                                       const std::vector<std::string>& env, const std::string& input) {
  tools::ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.env = cleanEnv();
  spec.env.insert(spec.env.end(), env.begin(), env.end());
  spec.workingDirectory = cwd;
  spec.stdinData = input;
  spec.timeout = std::chrono::seconds(120);
  spec.maxOutputBytes = std::size_t(512) << 20;
  return tools::runProcess(spec);
}

core::Status check(const core::Result<GitRun>& r, const std::string& what) {
  if (!r) return r.error();
  if (!r->ok()) return core::Error::internal(what + " failed: " + r->err);
  return core::okStatus();
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// The lines of text ('\n'-separated, a last empty one dropped).
std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

core::Result<GitRun> git(const std::vector<std::string>& args, const std::string& cwd,
                         const std::vector<std::string>& env, const std::string& input) {
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run(std::move(argv), cwd, env, input);
  if (!r) return r.error();
  GitRun out;
  out.exit_code = r->exitCode.value_or(-1);
  out.out = std::move(r->stdoutText);
  out.err = std::move(r->stderrText);
  return out;
}

core::Status createBareRepository(const std::string& path, const std::string& default_branch,
                                  const std::map<std::string, std::string>& files, const std::string& scratch) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (auto st = check(git({"init", "--quiet", "--bare", "--initial-branch=" + default_branch, path}), "git init"); !st)
    return st;
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"http.receivepack", "true"}, {"receive.denyNonFastForwards", "true"}, {"uploadpack.allowFilter", "true"}}) {
    if (auto st = check(git({"config", key, value}, path), "git config " + key); !st) return st;
  }
  fs::remove_all(scratch, ec);
  fs::create_directories(scratch, ec);
  if (auto st = check(git({"init", "--quiet", "--initial-branch=" + default_branch, scratch}), "git init"); !st)
    return st;
  for (const auto& [file, content] : files) {
    fs::path target = fs::path(scratch) / file;
    fs::create_directories(target.parent_path(), ec);
    std::ofstream(target, std::ios::binary) << content;
  }
  if (auto st = check(git({"add", "-A"}, scratch), "git add"); !st) return st;
  if (auto st = check(git({"commit", "--quiet", "--allow-empty", "-m", "Initial commit"}, scratch), "git commit"); !st)
    return st;
  if (auto st = check(git({"push", "--quiet", path, default_branch + ":" + default_branch}, scratch), "git push"); !st)
    return st;
  fs::remove_all(scratch, ec);
  // The hook comes last: the initial commit may hold workflows.
  fs::path hook = fs::path(path) / "hooks" / "pre-receive";
  std::ofstream(hook, std::ios::binary) << kPreReceiveHook;
  fs::permissions(hook, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec, ec);
  if (ec) return core::Error::internal("cannot make the pre-receive hook executable: " + ec.message());
  return core::okStatus();
}

std::optional<std::string> branchSha(const std::string& repo, const std::string& branch) {
  if (branch.empty()) return std::nullopt;
  auto r = git({"rev-parse", "--verify", "--quiet", "refs/heads/" + branch + "^{commit}"}, repo);
  if (!r || !r->ok()) return std::nullopt;
  return trimmed(r->out);
}

std::optional<std::string> fileAt(const std::string& repo, const std::string& revision, const std::string& path) {
  auto r = git({"show", revision + ":" + path}, repo);
  if (!r || !r->ok()) return std::nullopt;
  return r->out;
}

bool isAncestor(const std::string& repo, const std::string& ancestor, const std::string& descendant) {
  auto r = git({"merge-base", "--is-ancestor", ancestor, descendant}, repo);
  return r && r->ok();
}

core::Result<std::vector<ChangedFile>> changedFiles(const std::string& repo, const std::string& base,
                                                    const std::string& head) {
  const std::string range = base + "..." + head;
  auto names = git({"diff", "--name-status", "-M", range}, repo);
  if (!names) return names.error();
  if (!names->ok()) return core::Error::invalidArgument("git diff " + range + ": " + names->err);
  auto counts = git({"diff", "--numstat", "-M", range}, repo);
  if (!counts) return counts.error();
  std::vector<ChangedFile> out;
  auto count_lines = lines(counts->out);
  std::size_t i = 0;
  for (const auto& line : lines(names->out)) {
    std::vector<std::string> parts;
    std::istringstream fields(line);
    for (std::string f; std::getline(fields, f, '\t');) parts.push_back(f);
    if (parts.size() < 2) continue;
    ChangedFile file;
    file.filename = parts.back();
    switch (parts[0][0]) {
      case 'A': file.status = "added"; break;
      case 'D': file.status = "removed"; break;
      case 'R': file.status = "renamed"; break;
      default: file.status = "modified"; break;
    }
    if (i < count_lines.size()) {
      std::istringstream n(count_lines[i++]);
      std::string add, del;
      n >> add >> del;
      file.additions = add == "-" ? 0 : std::atoi(add.c_str());
      file.deletions = del == "-" ? 0 : std::atoi(del.c_str());
    }
    auto patch = git({"diff", "-M", range, "--", file.filename}, repo);
    if (patch && patch->ok()) {
      auto at = patch->out.find("\n@@");
      if (at != std::string::npos) file.patch = trimmed(patch->out.substr(at + 1));
    }
    out.push_back(std::move(file));
  }
  return out;
}

core::Result<CgiAnswer> httpBackend(const CgiRequest& request) {
  std::vector<std::string> env{"GIT_PROJECT_ROOT=" + request.project_root,
                               "GIT_HTTP_EXPORT_ALL=1",
                               "GATEWAY_INTERFACE=CGI/1.1",
                               "SERVER_PROTOCOL=HTTP/1.1",
                               "REQUEST_METHOD=" + request.method,
                               "PATH_INFO=" + request.path_info,
                               "QUERY_STRING=" + request.query,
                               "REMOTE_USER=" + request.remote_user,
                               "REMOTE_ADDR=" + request.remote_addr};
  if (request.method == "POST") {
    env.push_back("CONTENT_TYPE=" + request.content_type);
    env.push_back("CONTENT_LENGTH=" + std::to_string(request.body.size()));
  }
  if (!request.content_encoding.empty()) env.push_back("HTTP_CONTENT_ENCODING=" + request.content_encoding);
  if (!request.git_protocol.empty()) env.push_back("HTTP_GIT_PROTOCOL=" + request.git_protocol);
  env.insert(env.end(), request.env.begin(), request.env.end());
  auto r = run({"git", "http-backend"}, "", env, request.body);
  if (!r) return r.error();
  if (r->timedOut) return core::Error::internal("git http-backend timed out");
  const std::string& out = r->stdoutText;
  std::size_t end = out.find("\r\n\r\n");
  std::size_t skip = 4;
  if (std::size_t lf = out.find("\n\n"); lf != std::string::npos && (end == std::string::npos || lf < end)) {
    end = lf;
    skip = 2;
  }
  if (end == std::string::npos)
    return core::Error::internal("git http-backend answered no CGI header: " + r->stderrText);
  CgiAnswer answer;
  for (auto line : lines(out.substr(0, end))) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (name == "Status") answer.status = std::atoi(value.c_str());
    else if (name == "Content-Type") answer.content_type = value;
    else answer.headers.emplace_back(name, value);
  }
  answer.body = out.substr(end + skip);
  return answer;
}

}  // namespace codecrew::testing::fake_git
