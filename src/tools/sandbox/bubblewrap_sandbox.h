// BubblewrapSandbox: runs commands under bubblewrap (bwrap). Each command gets
// fresh namespaces (no network unless the command allows it), a read-only
// view of the system (/usr, /etc and the /bin, /lib* links), the workspace
// mounted read-write at /workspace, a private tmpfs /tmp, a minimal /proc and
// /dev, resource limits (CPU time, address space, process count, file size)
// and a wall-clock limit after which the whole process tree is killed
// (bwrap's pid namespace dies with it). Output is captured per stream and
// capped.
//
// Run as root, codecrew does not give root to the sandbox: the command runs as
// the workspace directory's owner when that is not root, else as nobody
// (65534), so that RLIMIT_NPROC holds and root-only files stay closed. Such a
// workspace must then be writable by that user (chown it to the sandbox user).
// Thread-safety: run() and probe() may be called concurrently.
#pragma once

#include "tools/sandbox/sandbox.h"

#include <sys/types.h>

namespace codecrew::tools {

struct BubblewrapOptions {
  std::string bwrapProgram = "bwrap";
  std::string mountPoint = "/workspace";
  std::optional<uid_t> uid;  // run as this user (only when codecrew runs as root)
  std::optional<gid_t> gid;
  std::uint64_t tmpBytes = 256ull << 20;  // size of the private /tmp

  bool operator==(const BubblewrapOptions&) const = default;
};

class BubblewrapSandbox : public Sandbox {
 public:
  explicit BubblewrapSandbox(BubblewrapOptions options = {});

  core::Result<SandboxResult> run(const SandboxCommand& command) override;

  // Whether bubblewrap can create a sandbox on this machine; the error says
  // why not and how to fix it (install bubblewrap, enable user namespaces).
  core::Status probe();

  // Starts the probe of a sandbox with default options on a thread of its
  // own, so that it overlaps other start-up work: the next probe() of a
  // BubblewrapSandbox with default options waits for that result instead of
  // probing again (later ones probe as usual). Does nothing while one is
  // pending.
  static void probeAhead();

 private:
  core::Status runProbe();
  struct Identity {
    std::optional<uid_t> uid;
    std::optional<gid_t> gid;
  };
  Identity identityFor(int workspaceFd) const;
  std::vector<std::string> bwrapArgs(const SandboxCommand& command, const std::string& bwrap, int workspaceFd,
                                     int statusFd, const std::string& chdirTo) const;

  BubblewrapOptions options_;
};

}  // namespace codecrew::tools
