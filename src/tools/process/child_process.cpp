#include "tools/process/child_process.h"

#include "tools/process/scoped_fd.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace codecrew::tools {
namespace {

using Clock = std::chrono::steady_clock;

struct Pipe {
  ScopedFd read;
  ScopedFd write;
};

core::Result<Pipe> makePipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return core::Error::internal(std::string("pipe2 failed: ") + std::strerror(errno));
  }
  return Pipe{ScopedFd(fds[0]), ScopedFd(fds[1])};
}

// Everything the child needs, prepared before fork so the child only makes
// async-signal-safe calls.
struct ChildPlan {
  std::string program;
  std::vector<char*> argv;
  std::vector<char*> envp;
  const ProcessSpec* spec = nullptr;
};

[[noreturn]] void runChild(const ChildPlan& plan, int in, int out, int err, int execErr) {
  ::setpgid(0, 0);
  sigset_t all;
  sigemptyset(&all);
  ::sigprocmask(SIG_SETMASK, &all, nullptr);
  ::signal(SIGPIPE, SIG_DFL);
  ::dup2(in, 0);
  ::dup2(out, 1);
  ::dup2(err, 2);
  for (int fd : plan.spec->inheritedFds) ::fcntl(fd, F_SETFD, 0);
  const ProcessLimits& limits = plan.spec->limits;
  auto limit = [](int resource, const std::optional<rlim_t>& value) {
    if (!value) return;
    rlimit rl{*value, *value};
    ::setrlimit(resource, &rl);
  };
  limit(RLIMIT_CPU, limits.cpuSeconds);
  limit(RLIMIT_AS, limits.addressSpaceBytes);
  limit(RLIMIT_NPROC, limits.processes);
  limit(RLIMIT_FSIZE, limits.fileSizeBytes);
  int failure = 0;
  if (plan.spec->gid && (::setgroups(0, nullptr) != 0 || ::setgid(*plan.spec->gid) != 0)) failure = errno;
  if (!failure && plan.spec->uid && ::setuid(*plan.spec->uid) != 0) failure = errno;
  if (!failure && !plan.spec->workingDirectory.empty() && ::chdir(plan.spec->workingDirectory.c_str()) != 0) {
    failure = errno;
  }
  if (!failure) {
    ::execve(plan.program.c_str(), plan.argv.data(), plan.envp.data());
    failure = errno;
  }
  [[maybe_unused]] auto n = ::write(execErr, &failure, sizeof(failure));
  ::_exit(127);
}

struct Capture {
  std::string* text;
  bool* truncated;
  std::size_t cap;
  void append(const char* data, std::size_t n) {
    std::size_t room = text->size() < cap ? cap - text->size() : 0;
    if (n > room) *truncated = true;
    text->append(data, std::min(n, room));
  }
};

// Blocks SIGPIPE for the calling thread while feeding stdin, and swallows
// any SIGPIPE that arrives meanwhile.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~SigpipeGuard() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    timespec zero{0, 0};
    while (::sigtimedwait(&set, nullptr, &zero) > 0) {
    }
    ::pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t old_;
};

// Reads both streams and feeds stdin until both streams close or the deadline passes.
bool pumpStreams(const ProcessSpec& spec, ScopedFd& in, ScopedFd& out, ScopedFd& err, ProcessResult& result,
                 std::optional<Clock::time_point> deadline) {
  Capture captures[2] = {{&result.stdoutText, &result.stdoutTruncated, spec.maxOutputBytes},
                         {&result.stderrText, &result.stderrTruncated, spec.maxOutputBytes}};
  std::string_view pending = spec.stdinData;
  if (pending.empty()) in.reset();
  char buffer[65536];
  while (out.valid() || err.valid()) {
    int waitMs = -1;
    if (deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
      if (left <= 0) return false;
      waitMs = static_cast<int>(std::min<long long>(left, 1000));
    }
    pollfd fds[3] = {{out.get(), POLLIN, 0}, {err.get(), POLLIN, 0}, {in.get(), POLLOUT, 0}};
    int rc = ::poll(fds, 3, waitMs);
    if (rc < 0 && errno != EINTR) return true;
    ScopedFd* streams[2] = {&out, &err};
    for (int i = 0; i < 2; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(streams[i]->get(), buffer, sizeof(buffer));
      if (n > 0) captures[i].append(buffer, static_cast<std::size_t>(n));
      if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) streams[i]->reset();
    }
    if (in.valid() && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t n = ::write(in.get(), pending.data(), std::min<std::size_t>(pending.size(), 65536));
      if (n > 0) pending.remove_prefix(static_cast<std::size_t>(n));
      if (pending.empty() || (n < 0 && errno != EINTR && errno != EAGAIN)) in.reset();
    }
  }
  return true;
}

// Waits for the child, killing its process group at the deadline.
int reap(pid_t pid, std::optional<Clock::time_point> deadline, ProcessResult& result, rusage& usage) {
  int status = 0;
  for (;;) {
    pid_t done = ::wait4(pid, &status, WNOHANG, &usage);
    if (done == pid) return status;
    if (done < 0 && errno != EINTR) return status;
    if (deadline && Clock::now() >= *deadline && !result.timedOut) {
      result.timedOut = true;
      ::kill(-pid, SIGKILL);
      ::kill(pid, SIGKILL);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace

std::optional<std::string> findProgram(const std::string& name) {
  if (name.find('/') != std::string::npos)
    return ::access(name.c_str(), X_OK) == 0 ? std::optional(name) : std::nullopt;
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!dirs.empty()) {
    auto colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
    if (dir.empty()) continue;
    std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

core::Result<ProcessResult> runProcess(const ProcessSpec& spec) {
  if (spec.argv.empty()) return core::Error::invalidArgument("runProcess: empty argv");
  auto program = findProgram(spec.argv[0]);
  if (!program) return core::Error::notFound("program not found: " + spec.argv[0]);
  ChildPlan plan{*program, {}, {}, &spec};
  for (const auto& a : spec.argv) plan.argv.push_back(const_cast<char*>(a.c_str()));
  plan.argv.push_back(nullptr);
  for (const auto& e : spec.env) plan.envp.push_back(const_cast<char*>(e.c_str()));
  plan.envp.push_back(nullptr);

  auto in = makePipe(), out = makePipe(), err = makePipe(), execErr = makePipe();
  for (auto* p : {&in, &out, &err, &execErr}) {
    if (!*p) return p->error();
  }
  SigpipeGuard sigpipe;
  const auto start = Clock::now();
  pid_t pid = ::fork();
  if (pid < 0) return core::Error::internal(std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) runChild(plan, in->read.get(), out->write.get(), err->write.get(), execErr->write.get());
  ::setpgid(pid, pid);
  in->read.reset();
  out->write.reset();
  err->write.reset();
  execErr->write.reset();
  int childErrno = 0;
  ssize_t got = ::read(execErr->read.get(), &childErrno, sizeof(childErrno));
  ProcessResult result;
  rusage usage{};
  if (got == sizeof(childErrno)) {
    reap(pid, std::nullopt, result, usage);
    return core::Error::internal("cannot start " + *program + ": " + std::strerror(childErrno));
  }
  for (int fd : {in->write.get(), out->read.get(), err->read.get()}) ::fcntl(fd, F_SETFL, O_NONBLOCK);
  std::optional<Clock::time_point> deadline;
  if (spec.timeout.count() > 0) deadline = start + spec.timeout;
  if (!pumpStreams(spec, in->write, out->read, err->read, result, deadline)) {
    result.timedOut = true;
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
  }
  in->write.reset();
  out->read.reset();
  err->read.reset();
  int status = reap(pid, deadline, result, usage);
  result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  result.cpuSeconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                      static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  if (WIFEXITED(status)) result.exitCode = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

}  // namespace codecrew::tools
