#include "tools/sandbox/bubblewrap_sandbox.h"
#include "tools/sandbox/fake_sandbox.h"
#include "tools/sandbox/sandbox_owner.h"

#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace codecrew::tools {
namespace {

namespace fs = std::filesystem;

// Live processes whose command line mentions marker.
int processesWithMarker(const std::string& marker) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream in(entry.path() / "cmdline", std::ios::binary);
    std::string cmdline((std::istreambuf_iterator<char>(in)), {});
    if (cmdline.find(marker) != std::string::npos) ++count;
  }
  return count;
}

class BubblewrapSandboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto probe = sandbox_.probe();
    if (!probe.ok()) GTEST_SKIP() << "bubblewrap cannot run on this machine: " << probe.error().message;
    fs::create_directories(dir_.path() / "ws");
    workspace_ = (dir_.path() / "ws").string();
    if (::geteuid() == 0) {
      // Run as root, the sandbox runs commands as nobody: it must reach and own the workspace.
      fs::permissions(dir_.path(), fs::perms::owner_all | fs::perms::others_exec | fs::perms::group_exec);
      ASSERT_TRUE(giveToSandboxUser(workspace_).ok());
    }
  }

  SandboxResult run(std::string script, SandboxLimits limits = {}, bool network = false) {
    SandboxCommand command{.argv = {"sh", "-c", std::move(script), marker_},
                           .workspaceRoot = workspace_,
                           .allowNetwork = network,
                           .limits = limits};
    auto result = sandbox_.run(command);
    EXPECT_TRUE(result.ok()) << result.error().message;
    return result.ok() ? std::move(result.value()) : SandboxResult{};
  }

  BubblewrapSandbox sandbox_;
  testing::TempDir dir_;
  std::string workspace_;
  std::string marker_ = "codecrew-sandbox-test-" + std::to_string(::getpid());
};

TEST_F(BubblewrapSandboxTest, CapturesExitCodeAndBothStreams) {
  auto r = run("echo out; echo err >&2; exit 3");
  EXPECT_EQ(r.exitCode, 3);
  EXPECT_EQ(r.stdoutText, "out\n");
  EXPECT_EQ(r.stderrText, "err\n");
  EXPECT_FALSE(r.timedOut);
}

TEST_F(BubblewrapSandboxTest, WorkspaceIsWritableAtMountPoint) {
  auto r = run("pwd; mkdir -p sub && echo hi > sub/f.txt && cat /workspace/sub/f.txt");
  EXPECT_EQ(r.exitCode, 0) << r.stderrText;
  EXPECT_EQ(r.stdoutText, "/workspace\nhi\n");
  std::ifstream in(workspace_ + "/sub/f.txt");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "hi\n");
}

TEST_F(BubblewrapSandboxTest, RunsPythonGitAndMake) {
  auto r = run("python3 -c 'print(6*7)' && git --version >/dev/null && make --version >/dev/null && echo ok");
  EXPECT_EQ(r.exitCode, 0) << r.stderrText;
  EXPECT_EQ(r.stdoutText, "42\nok\n");
}

TEST_F(BubblewrapSandboxTest, CannotWriteOutsideWorkspace) {
  const std::string name = "codecrew-escape-" + std::to_string(::getpid());
  auto r = run("for p in /usr/" + name + " /etc/" + name + " /" + name + " /tmp/" + name +
               "; do echo x > $p && echo wrote $p; done; touch " + dir_.str() + "/" + name + " || true");
  EXPECT_FALSE(fs::exists("/usr/" + name));
  EXPECT_FALSE(fs::exists("/etc/" + name));
  EXPECT_FALSE(fs::exists("/" + name));
  EXPECT_FALSE(fs::exists("/tmp/" + name)) << "the sandbox /tmp is private";
  EXPECT_FALSE(fs::exists(dir_.path() / name));
  EXPECT_EQ(r.stdoutText, "wrote /tmp/" + name + "\n") << "only the private /tmp is writable";
}

TEST_F(BubblewrapSandboxTest, CannotReadRootOrShadow) {
  auto r = run("cat /etc/shadow && echo read-shadow; ls /root && echo read-root; exit 0");
  EXPECT_EQ(r.stdoutText.find("read-shadow"), std::string::npos);
  EXPECT_EQ(r.stdoutText.find("read-root"), std::string::npos);
}

TEST_F(BubblewrapSandboxTest, HasNoNetworkUnlessAllowed) {
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  socklen_t len = sizeof(addr);
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  const std::string port = std::to_string(ntohs(addr.sin_port));
  const std::string script = "python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", " + port +
                             "), timeout=2); print(\"connected\")'";
  auto r = run(script);
  EXPECT_NE(r.exitCode, 0);
  EXPECT_EQ(r.stdoutText, "");
  EXPECT_LT(::accept(listener, nullptr, nullptr), 0) << "no connection reached the host";
  auto allowed = run(script, {}, true);
  EXPECT_EQ(allowed.stdoutText, "connected\n") << allowed.stderrText;
  ::close(listener);
}

TEST_F(BubblewrapSandboxTest, ForkBombIsContained) {
  SandboxLimits limits;
  limits.maxProcesses = 64;
  limits.wallClock = std::chrono::milliseconds(4000);
  auto r = run("bomb() { bomb | bomb & }; bomb; sleep 100", limits);
  EXPECT_TRUE(r.timedOut || r.exitCode.has_value());
  EXPECT_EQ(processesWithMarker(marker_), 0) << "every process of the sandbox is gone";
}

TEST_F(BubblewrapSandboxTest, EndlessLoopIsKilledAtWallClockLimit) {
  SandboxLimits limits;
  limits.wallClock = std::chrono::milliseconds(1000);
  auto r = run("sleep 1000 & while :; do :; done", limits);
  EXPECT_TRUE(r.timedOut);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_FALSE(r.exitCode.has_value());
  EXPECT_EQ(processesWithMarker(marker_), 0) << "the background sleep died with the tree";
}

TEST_F(BubblewrapSandboxTest, CpuLimitStopsBusyLoop) {
  SandboxLimits limits;
  limits.cpuSeconds = 1;
  limits.wallClock = std::chrono::milliseconds(30000);
  auto r = run("while :; do :; done", limits);
  EXPECT_FALSE(r.timedOut);
  EXPECT_NE(r.exitCode, 0);
}

TEST_F(BubblewrapSandboxTest, MemoryLimitRefusesLargeAllocations) {
  SandboxLimits limits;
  limits.memoryBytes = 512ull << 20;
  auto r = run("python3 -c 'x = bytearray(1 << 31)'", limits);
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.stderrText.find("MemoryError"), std::string::npos) << r.stderrText;
}

TEST_F(BubblewrapSandboxTest, EndlessOutputIsCapped) {
  SandboxLimits limits;
  limits.maxOutputBytes = 1 << 20;
  limits.wallClock = std::chrono::milliseconds(1500);
  auto r = run("yes", limits);
  EXPECT_TRUE(r.timedOut);
  EXPECT_TRUE(r.stdoutTruncated);
  EXPECT_EQ(r.stdoutText.size(), 1u << 20);
  auto bounded = run("head -c 50000000 /dev/zero; echo done >&2", limits);
  EXPECT_EQ(bounded.exitCode, 0);
  EXPECT_TRUE(bounded.stdoutTruncated);
  EXPECT_EQ(bounded.stdoutText.size(), 1u << 20);
  EXPECT_EQ(bounded.stderrText, "done\n");
}

TEST(BubblewrapSandboxErrors, MissingBwrapNamesTheFix) {
  BubblewrapSandbox sandbox({.bwrapProgram = "/nonexistent/bwrap"});
  auto r = sandbox.run({.argv = {"true"}, .workspaceRoot = "/tmp"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message.find("apt-get install bubblewrap"), std::string::npos);
  EXPECT_NE(r.error().message.find("unprivileged_userns_clone"), std::string::npos);
}

TEST(BubblewrapSandboxProbe, ProbeAheadAnswersTheNextDefaultProbeOnly) {
  const bool works = BubblewrapSandbox().probe().ok();
  BubblewrapSandbox::probeAhead();
  BubblewrapSandbox::probeAhead();  // one pending at a time
  // A sandbox with other options probes for itself.
  auto missing = BubblewrapSandbox({.bwrapProgram = "/nonexistent/bwrap"}).probe();
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("apt-get install bubblewrap"), std::string::npos);
  // The default one takes the early probe's answer, the next probes again: both as a probe says.
  EXPECT_EQ(BubblewrapSandbox().probe().ok(), works);
  EXPECT_EQ(BubblewrapSandbox().probe().ok(), works);
}

TEST(FakeSandboxTest, ReturnsScriptedResultsAndRecordsCommands) {
  FakeSandbox fake;
  fake.pushResult(SandboxResult{.exitCode = 2, .stdoutText = "first"});
  fake.pushResult(core::Error::unavailable("down"));
  EXPECT_EQ(fake.run({.argv = {"make"}})->stdoutText, "first");
  EXPECT_FALSE(fake.run({.argv = {"make", "test"}}).ok());
  EXPECT_EQ(fake.run({.argv = {"ls"}})->exitCode, 0);
  ASSERT_EQ(fake.commands().size(), 3u);
  EXPECT_EQ(fake.commands()[1].argv[1], "test");
}

}  // namespace
}  // namespace codecrew::tools
