#include "support/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace codecrew::testing {
namespace {

std::vector<char*> argvOf(const std::string& binary, const std::vector<std::string>& args,
                          std::vector<std::string>& storage) {
  storage.clear();
  storage.push_back(binary);
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  return argv;
}

void applyEnv(const std::map<std::string, std::string>& env) {
  for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
}

std::string readFd(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, size_t(n));
  return out;
}

int waitExit(pid_t pid, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (r < 0) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -2;
}

}  // namespace

CommandResult runCommand(const std::string& binary, const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env) {
  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> storage;
  auto argv = argvOf(binary, args, storage);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    close(out_pipe[0]);
    close(err_pipe[0]);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    applyEnv(env);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  CommandResult r;
  std::thread err_reader([&] { r.err = readFd(err_pipe[0]); });
  r.out = readFd(out_pipe[0]);
  err_reader.join();
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

ServerProcess::ServerProcess(const std::string& binary, const std::string& data_dir,
                             const std::vector<std::string>& extra_args,
                             const std::map<std::string, std::string>& env) {
  std::vector<std::string> args = {"serve", "--port", "0", "--data-dir", data_dir};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  spawn(binary, args, env, data_dir);
  auto colon = first_line_.rfind(':');
  port_ = std::stoi(first_line_.substr(colon + 1));
}

std::unique_ptr<ServerProcess> ServerProcess::verb(const std::string& binary, const std::string& verb,
                                                   const std::string& data_dir,
                                                   const std::vector<std::string>& extra_args,
                                                   const std::map<std::string, std::string>& env) {
  std::unique_ptr<ServerProcess> p(new ServerProcess());
  std::vector<std::string> args = {verb, "--data-dir", data_dir};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  p->spawn(binary, args, env, data_dir);
  return p;
}

void ServerProcess::signal(int sig) {
  if (pid_ > 0) kill(pid_, sig);
}

void ServerProcess::spawn(const std::string& binary, const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& env, const std::string& data_dir) {
  stderr_path_ = data_dir + "/" + args.front() + "-stderr.log";
  std::filesystem::create_directories(data_dir);
  int out_pipe[2];
  if (pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> storage;
  auto argv = argvOf(binary, args, storage);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out_pipe[1], 1);
    int err = open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (err >= 0) dup2(err, 2);
    close(out_pipe[0]);
    applyEnv(env);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  std::string buffered;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (buffered.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{out_pipe[0], POLLIN, 0};
    if (poll(&p, 1, 100) > 0) {
      char buf[512];
      ssize_t n = read(out_pipe[0], buf, sizeof buf);
      if (n <= 0) break;
      buffered.append(buf, size_t(n));
    }
  }
  close(out_pipe[0]);
  auto nl = buffered.find('\n');
  if (nl == std::string::npos) {
    terminate(2000);
    throw std::runtime_error("codecrew " + args.front() + " did not print its first line; stderr: " + stderrText());
  }
  first_line_ = buffered.substr(0, nl);
}

ServerProcess::~ServerProcess() { terminate(); }

int ServerProcess::terminate(int timeout_ms) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int code = waitExit(pid_, timeout_ms);
  if (code == -2) {
    kill(pid_, SIGKILL);
    code = waitExit(pid_, 5000);
  }
  pid_ = -1;
  return code;
}

int ServerProcess::awaitExit(int timeout_ms) {
  if (pid_ <= 0) return -1;
  int code = waitExit(pid_, timeout_ms);
  if (code != -2) pid_ = -1;
  return code;
}

std::string ServerProcess::stderrText() const {
  std::ifstream in(stderr_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace codecrew::testing
