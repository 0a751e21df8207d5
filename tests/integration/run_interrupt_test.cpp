// Ctrl-C on `codecrew run`, with the real binary and a slow fake upstream:
// the run stops at once with exit code 130 and prints the command that
// resumes the execution, and that command continues it.
#include "fake_upstream.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace codecrew::testing {
namespace {

std::string readAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Starts `codecrew args...` with standard output and error in out_path and
// env set over the current environment (an empty value unsets). Everything
// the child needs is made before fork: the test process has threads.
pid_t spawn(const std::vector<std::string>& args, const std::string& out_path,
            const std::map<std::string, std::string>& env) {
  static const std::string program = CODECREW_BINARY;
  std::vector<std::string> argv_text = {program};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<std::string> env_text;
  for (char** e = environ; *e; ++e) {
    const std::string entry = *e;
    if (!env.count(entry.substr(0, entry.find('=')))) env_text.push_back(entry);
  }
  for (const auto& [k, v] : env)
    if (!v.empty()) env_text.push_back(k + "=" + v);
  std::vector<char*> argv, envp;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  const int fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    ::execve(program.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(fd);
  return pid;
}

// Waits for text to appear in the file (up to 30 s).
bool waitFor(const std::string& path, const std::string& text) {
  for (int i = 0; i < 600; ++i) {
    if (readAll(path).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST(RunInterrupt, CtrlCPrintsTheResumeCommandAndExits130) {
  FakeUpstreamOptions options;
  options.latency_ms = 2000;  // every model call is still in flight when the signal comes
  FakeUpstream upstream(options);
  // Started: an upstream that is not listening (port 0) fails every call at
  // once, and the run could fail for good before the signal comes.
  ASSERT_TRUE(upstream.start().ok());
  TempDir dir;
  const std::string repo = dir.str() + "/repo", data = dir.str() + "/data", out = dir.str() + "/out.txt";
  const std::map<std::string, std::string> env = {
      {"OPENAI_API_KEY", "sk-test"}, {"OPENAI_BASE_URL", upstream.baseUrl() + "/v1"},
      {"ANTHROPIC_API_KEY", ""},     {"GEMINI_API_KEY", ""},
      {"GROQ_API_KEY", ""},          {"OPENROUTER_API_KEY", ""},
      {"AZURE_OPENAI_API_KEY", ""},  {"OLLAMA_HOST", ""},
      {"CODECREW_MODEL", "gpt-4o"}};
  const pid_t pid = spawn({"run", "a hello world script", "--repo", repo, "--data-dir", data, "--crew", "codegen",
                           "--approve-all"},
                          out, env);
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(waitFor(out, "codecrew run: execution 1 with crew codegen")) << readAll(out);
  ::kill(pid, SIGINT);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << readAll(out);
  EXPECT_EQ(WEXITSTATUS(status), 130) << readAll(out);
  const std::string resume = "codecrew run --resume 1 --repo " + repo + " --data-dir " + data;
  EXPECT_NE(readAll(out).find("interrupted: execution 1 keeps every finished step. Resume it with `" + resume + "`"),
            std::string::npos)
      << readAll(out);

  // The printed command continues the same execution, under its own crew.
  const std::string again = dir.str() + "/again.txt";
  const pid_t resumed = spawn({"run", "--resume", "1", "--repo", repo, "--data-dir", data, "--approve-all"}, again,
                              env);
  ASSERT_TRUE(waitFor(again, "codecrew run: execution 1 with crew codegen")) << readAll(again);
  ::kill(resumed, SIGINT);
  ASSERT_EQ(::waitpid(resumed, &status, 0), resumed);
  EXPECT_EQ(WEXITSTATUS(status), 130) << readAll(again);
}

}  // namespace
}  // namespace codecrew::testing
