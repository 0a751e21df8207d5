// ServerProcess: runs the real `codecrew serve` binary on port 0 with a
// temporary data directory, reads the address from the first line of its
// standard output, and stops it (SIGTERM, then SIGKILL) when destroyed.
// runCommand: runs a codecrew CLI verb and captures its output.
// Thread-safety: one test thread owns each object.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace codecrew::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs binary with args (env added to the current environment) and waits.
CommandResult runCommand(const std::string& binary, const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env = {});

class ServerProcess {
 public:
  // Starts `binary serve --port 0 --data-dir data_dir <extra_args...>` and
  // waits (up to 20 s) for its address line. Throws if it does not start.
  ServerProcess(const std::string& binary, const std::string& data_dir, const std::vector<std::string>& extra_args = {},
                const std::map<std::string, std::string>& env = {});
  // Starts `binary <verb> --data-dir data_dir <extra_args...>` of a verb that
  // serves no port (`worker`) and waits for its first line ("... started").
  static std::unique_ptr<ServerProcess> verb(const std::string& binary, const std::string& verb,
                                             const std::string& data_dir, const std::vector<std::string>& extra_args,
                                             const std::map<std::string, std::string>& env);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& firstLine() const { return first_line_; }
  // Sends SIGTERM and waits for exit; returns the exit status (or -1).
  int terminate(int timeout_ms = 20000);
  // Waits for the process to end by itself (e.g. killed by a fault hook);
  // the exit status, or -2 if it is still running after timeout_ms.
  int awaitExit(int timeout_ms);
  // Sends a signal (SIGKILL, SIGSTOP, SIGCONT) to the process.
  void signal(int sig);
  // The server's standard error so far (its log).
  std::string stderrText() const;

 private:
  ServerProcess() = default;
  // Starts binary with args and reads its first line (up to 20 s).
  void spawn(const std::string& binary, const std::vector<std::string>& args,
             const std::map<std::string, std::string>& env, const std::string& data_dir);

  pid_t pid_ = -1;
  int port_ = 0;
  std::string first_line_;
  std::string stderr_path_;
};

}  // namespace codecrew::testing
