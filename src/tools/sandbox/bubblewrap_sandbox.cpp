#include "tools/sandbox/bubblewrap_sandbox.h"

#include "tools/process/child_process.h"
#include "tools/process/scoped_fd.h"
#include "tools/sandbox/sandbox_owner.h"
#include "tools/workspace/path_guard.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <csignal>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <future>
#include <mutex>
#include <optional>

namespace codecrew::tools {
namespace {

constexpr const char* kFixHint =
    "Fix: install bubblewrap (apt-get install bubblewrap) and allow unprivileged user namespaces "
    "(sysctl -w kernel.unprivileged_userns_clone=1 and user.max_user_namespaces > 0; inside a container, "
    "allow the unshare and mount system calls)";

core::Error unavailable(const std::string& why) {
  return {core::ErrorCode::kFailedPrecondition, "the sandbox cannot run: " + why + ". " + kFixHint, nullptr};
}

// Bind mounts and links that make up the read-only system view.
void addSystemView(std::vector<std::string>& args) {
  for (const char* dir : {"/usr", "/etc"}) {
    args.insert(args.end(), {"--ro-bind", dir, dir});
  }
  for (const char* top : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
    std::error_code ec;
    auto status = std::filesystem::symlink_status(top, ec);
    if (ec || !std::filesystem::exists(status)) continue;
    if (std::filesystem::is_symlink(status)) {
      args.insert(args.end(), {"--symlink", std::filesystem::read_symlink(top, ec).string(), top});
    } else {
      args.insert(args.end(), {"--ro-bind", top, top});
    }
  }
}

std::string readAvailable(int fd) {
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof(buffer))) > 0) text.append(buffer, static_cast<std::size_t>(n));
  return text;
}

// The host pid of the sandbox's init process, from bwrap's status JSON.
std::optional<pid_t> sandboxInitPid(const std::string& status) {
  auto key = status.find("\"child-pid\":");
  if (key == std::string::npos) return std::nullopt;
  return static_cast<pid_t>(std::strtol(status.c_str() + key + 12, nullptr, 10));
}

// Waits until the sandbox's init has exited: the kernel tears the pid
// namespace down (every process in it killed and reaped) before that.
void awaitSandboxExit(pid_t initPid) {
  ScopedFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, initPid, 0)));
  if (!pidfd.valid()) return;
  ::syscall(SYS_pidfd_send_signal, pidfd.get(), SIGKILL, nullptr, 0);
  pollfd fds{pidfd.get(), POLLIN, 0};
  ::poll(&fds, 1, 10000);
}

}  // namespace

BubblewrapSandbox::BubblewrapSandbox(BubblewrapOptions options) : options_(std::move(options)) {}

BubblewrapSandbox::Identity BubblewrapSandbox::identityFor(int workspaceFd) const {
  if (::geteuid() != 0) return {};
  if (options_.uid) return {options_.uid, options_.gid ? options_.gid : std::optional<gid_t>(*options_.uid)};
  struct stat st {};
  if (::fstat(workspaceFd, &st) == 0 && st.st_uid != 0) return {st.st_uid, st.st_gid};
  return {kSandboxNobody, kSandboxNobody};
}

std::vector<std::string> BubblewrapSandbox::bwrapArgs(const SandboxCommand& command, const std::string& bwrap,
                                                      int workspaceFd, int statusFd, const std::string& chdirTo) const {
  std::vector<std::string> args{bwrap, "--unshare-all", "--unshare-user", "--disable-userns"};
  if (command.allowNetwork) args.emplace_back("--share-net");
  args.insert(args.end(), {"--die-with-parent", "--new-session", "--hostname", "codecrew-sandbox"});
  addSystemView(args);
  args.insert(args.end(), {"--proc",
                           "/proc",
                           "--dev",
                           "/dev",
                           "--size",
                           std::to_string(options_.tmpBytes),
                           "--tmpfs",
                           "/tmp",
                           "--bind-fd",
                           std::to_string(workspaceFd),
                           options_.mountPoint,
                           "--remount-ro",
                           "/",
                           "--chdir",
                           chdirTo,
                           "--json-status-fd",
                           std::to_string(statusFd),
                           "--clearenv",
                           "--setenv",
                           "PATH",
                           "/usr/local/bin:/usr/bin:/bin",
                           "--setenv",
                           "HOME",
                           "/tmp",
                           "--setenv",
                           "TMPDIR",
                           "/tmp",
                           "--setenv",
                           "LANG",
                           "C.UTF-8"});
  for (const auto& [key, value] : command.env) args.insert(args.end(), {"--setenv", key, value});
  args.emplace_back("--");
  args.insert(args.end(), command.argv.begin(), command.argv.end());
  return args;
}

core::Result<SandboxResult> BubblewrapSandbox::run(const SandboxCommand& command) {
  if (command.argv.empty()) return core::Error::invalidArgument("run_command: the command is empty");
  auto bwrap = findProgram(options_.bwrapProgram);
  if (!bwrap) return unavailable("bubblewrap (" + options_.bwrapProgram + ") is not installed");
  if (command.workspaceRoot.empty() || command.workspaceRoot.front() != '/') {
    return core::Error::invalidArgument("sandbox workspace root must be an absolute path: " + command.workspaceRoot);
  }
  auto cwd = normalizeRelativePath(command.workingDirectory, WorkspaceLimits{});
  if (!cwd) return cwd.error();
  ScopedFd workspaceFd(::open(command.workspaceRoot.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!workspaceFd.valid()) {
    return core::Error::notFound("workspace root '" + command.workspaceRoot + "': " + std::strerror(errno));
  }
  int statusPipe[2];
  if (::pipe2(statusPipe, O_CLOEXEC) != 0) return core::Error::internal("pipe2 failed");
  ScopedFd statusRead(statusPipe[0]), statusWrite(statusPipe[1]);
  const std::string chdirTo = cwd->empty() ? options_.mountPoint : options_.mountPoint + "/" + *cwd;
  Identity identity = identityFor(workspaceFd.get());
  const SandboxLimits& limits = command.limits;
  ProcessSpec spec;
  spec.argv = bwrapArgs(command, *bwrap, workspaceFd.get(), statusWrite.get(), chdirTo);
  spec.env = {"PATH=/usr/local/bin:/usr/bin:/bin"};
  spec.stdinData = command.stdinData;
  spec.limits = {limits.cpuSeconds, limits.memoryBytes, limits.maxProcesses, limits.maxFileBytes};
  spec.uid = identity.uid;
  spec.gid = identity.gid;
  spec.inheritedFds = {workspaceFd.get(), statusWrite.get()};
  spec.timeout = limits.wallClock;
  spec.maxOutputBytes = limits.maxOutputBytes;
  auto ran = runProcess(spec);
  if (!ran) return ran.error();
  statusWrite.reset();
  ::fcntl(statusRead.get(), F_SETFL, O_NONBLOCK);
  std::string status = readAvailable(statusRead.get());
  if (auto initPid = sandboxInitPid(status)) awaitSandboxExit(*initPid);
  status += readAvailable(statusRead.get());
  if (!ran->timedOut && status.find("\"exit-code\"") == std::string::npos) {
    return unavailable("bubblewrap could not set up the sandbox (" + ran->stderrText.substr(0, 500) + ")");
  }
  return SandboxResult{ran->exitCode,
                       ran->signal,
                       ran->timedOut,
                       std::move(ran->stdoutText),
                       std::move(ran->stderrText),
                       ran->stdoutTruncated,
                       ran->stderrTruncated,
                       ran->duration,
                       ran->cpuSeconds};
}

namespace {

std::mutex g_ahead_mu;
std::optional<std::future<core::Status>> g_ahead;  // guarded by g_ahead_mu: the probe probeAhead() started

}  // namespace

void BubblewrapSandbox::probeAhead() {
  std::lock_guard lock(g_ahead_mu);
  if (g_ahead) return;
  g_ahead = std::async(std::launch::async, [] { return BubblewrapSandbox().runProbe(); });
}

core::Status BubblewrapSandbox::probe() {
  if (options_ == BubblewrapOptions{}) {
    std::optional<std::future<core::Status>> ahead;
    {
      std::lock_guard lock(g_ahead_mu);
      ahead.swap(g_ahead);
    }
    if (ahead) return ahead->get();
  }
  return runProbe();
}

core::Status BubblewrapSandbox::runProbe() {
  std::string dir = (std::filesystem::temp_directory_path() / "codecrew-probe-XXXXXX").string();
  if (!::mkdtemp(dir.data())) return core::Error::internal("mkdtemp failed for the sandbox probe");
  ScopedFd fd(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  Identity identity = identityFor(fd.get());
  if (identity.uid && ::chown(dir.c_str(), *identity.uid, identity.gid.value_or(*identity.uid)) != 0) {
    ::rmdir(dir.c_str());
    return core::Error::internal("cannot chown the sandbox probe directory");
  }
  SandboxCommand command{.argv = {"true"}, .workspaceRoot = dir};
  command.limits.wallClock = std::chrono::milliseconds(20000);
  auto result = run(command);
  ::rmdir(dir.c_str());
  if (!result) return result.error();
  if (result->exitCode != 0) return unavailable("a trivial command failed in the sandbox: " + result->stderrText);
  return core::okStatus();
}

}  // namespace codecrew::tools
