// runProcess: runs one program as a child process with its own process group,
// resource limits (setrlimit in the child), an optional unprivileged uid/gid,
// stdin fed from a string, stdout and stderr captured separately up to a cap,
// and a wall-clock timeout after which the whole process group is killed.
// It is the one place that forks; the sandbox and the ctags runner build on it.
// Thread-safety: runProcess may be called from several threads at once; it
// blocks the calling thread until the child has been reaped.
#pragma once

#include "core/result.h"

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::tools {

struct ProcessLimits {
  std::optional<rlim_t> cpuSeconds;         // RLIMIT_CPU
  std::optional<rlim_t> addressSpaceBytes;  // RLIMIT_AS
  std::optional<rlim_t> processes;          // RLIMIT_NPROC (not enforced for root)
  std::optional<rlim_t> fileSizeBytes;      // RLIMIT_FSIZE
};

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH when it has no '/'
  std::vector<std::string> env;   // KEY=VALUE, the child's whole environment
  std::string workingDirectory;   // empty: inherit
  std::string stdinData;          // written to the child's stdin, then closed
  ProcessLimits limits;
  std::optional<uid_t> uid;  // switch to this uid (and gid) before exec
  std::optional<gid_t> gid;
  std::vector<int> inheritedFds;         // descriptors kept open (same numbers) in the child
  std::chrono::milliseconds timeout{0};  // 0: no wall-clock limit
  std::size_t maxOutputBytes = 1 << 20;  // per stream; the rest is read and dropped
};

struct ProcessResult {
  std::optional<int> exitCode;  // set when the child exited
  std::optional<int> signal;    // set when a signal ended it
  bool timedOut = false;        // the wall-clock limit killed it
  std::string stdoutText;
  std::string stderrText;
  bool stdoutTruncated = false;
  bool stderrTruncated = false;
  std::chrono::milliseconds duration{0};
  double cpuSeconds = 0;  // user + system time of the child and its waited-for descendants
};

// Runs the process to completion. Errors: kNotFound when the program does not
// exist, kInternal when it cannot be started; a non-zero exit is a result.
core::Result<ProcessResult> runProcess(const ProcessSpec& spec);

// The absolute path of a program found in PATH (or the argument when it has a '/').
std::optional<std::string> findProgram(const std::string& name);

}  // namespace codecrew::tools
