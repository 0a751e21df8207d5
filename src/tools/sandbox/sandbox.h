// Sandbox: runs a command on behalf of an agent, confined to one workspace.
// The engine and the run_command tool see only this interface;
// BubblewrapSandbox is the real implementation and FakeSandbox the scripted
// stand-in for other layers' tests.
// Thread-safety: implementations allow concurrent run() calls.
#pragma once

#include "core/result.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::tools {

struct SandboxLimits {
  std::uint64_t cpuSeconds = 60;
  std::uint64_t memoryBytes = 2ull << 30;  // address space per process
  std::uint64_t maxProcesses = 256;
  std::uint64_t maxFileBytes = 256ull << 20;    // largest file a command may write
  std::chrono::milliseconds wallClock{120000};  // the whole process tree is killed after this
  std::size_t maxOutputBytes = 1 << 20;         // per stream (stdout, stderr)
};

struct SandboxCommand {
  std::vector<std::string> argv;           // e.g. {"sh", "-c", "make test"}
  std::string workspaceRoot;               // absolute host path, mounted read-write
  std::string workingDirectory;            // relative to the workspace root; empty: the root
  std::map<std::string, std::string> env;  // added to a minimal PATH/HOME/LANG environment
  std::string stdinData;
  bool allowNetwork = false;  // only when the crew allows network access
  SandboxLimits limits;
};

struct SandboxResult {
  std::optional<int> exitCode;
  std::optional<int> signal;
  bool timedOut = false;
  std::string stdoutText;
  std::string stderrText;
  bool stdoutTruncated = false;
  bool stderrTruncated = false;
  std::chrono::milliseconds duration{0};
  double cpuSeconds = 0;
};

class Sandbox {
 public:
  virtual ~Sandbox() = default;
  // Runs the command to completion (or to its wall-clock limit). A command
  // that fails is a result; an error means it could not be run at all
  // (kFailedPrecondition when the sandbox is unavailable, naming the fix).
  virtual core::Result<SandboxResult> run(const SandboxCommand& command) = 0;
};

}  // namespace codecrew::tools
