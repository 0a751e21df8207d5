#include "tools/git/git_archive.h"

#include "tools/process/child_process.h"

#include <cstdlib>

namespace codecrew::tools {

core::Result<std::string> archiveRef(const std::string& repo_dir, const std::string& ref, std::size_t max_bytes,
                                     std::chrono::milliseconds timeout) {
  if (ref.empty() || ref.front() == '-') return core::Error::invalidArgument("not a ref to archive: '" + ref + "'");
  ProcessSpec spec;
  spec.argv = {"git", "-C", repo_dir, "archive", "--format=tar.gz", ref};
  const char* path = std::getenv("PATH");
  spec.env = {std::string("PATH=") + (path ? path : "/usr/bin:/bin"),
              "HOME=/nonexistent",
              "GIT_CONFIG_NOSYSTEM=1",
              "GIT_CONFIG_GLOBAL=/dev/null",
              "GIT_CONFIG_COUNT=1",
              "GIT_CONFIG_KEY_0=safe.directory",
              "GIT_CONFIG_VALUE_0=*"};
  spec.timeout = timeout;
  spec.maxOutputBytes = max_bytes + 1;
  auto r = runProcess(spec);
  if (!r) return r.error();
  if (r->timedOut)
    return core::Error{core::ErrorCode::kDeadlineExceeded, "git archive of " + ref + " timed out", nullptr};
  if (r->exitCode.value_or(-1) != 0) {
    std::string err = r->stderrText;
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
    if (err.size() > 300) err = "..." + err.substr(err.size() - 300);
    return core::Error{core::ErrorCode::kFailedPrecondition, "git archive of " + ref + " failed: " + err, nullptr};
  }
  if (r->stdoutTruncated || r->stdoutText.size() > max_bytes)
    return core::Error{core::ErrorCode::kFailedPrecondition,
                       "the archive of " + ref + " is larger than " + std::to_string(max_bytes) + " bytes", nullptr};
  return std::move(r->stdoutText);
}

}  // namespace codecrew::tools
