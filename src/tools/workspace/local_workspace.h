// LocalWorkspace: a Workspace on the local disk. The root is opened once as a
// directory descriptor and every path is resolved beneath it by the kernel
// (see path_guard.h), so symlinks that leave the root, `..` escapes and
// symlink loops are refused even when the tree changes between calls.
// Thread-safety: all methods may be called concurrently; concurrent writes to
// the same path end with one complete version of the file (atomic renames).
#pragma once

#include "tools/process/scoped_fd.h"
#include "tools/workspace/ignore_rules.h"
#include "tools/workspace/workspace.h"

#include <sys/types.h>

#include <memory>
#include <optional>
#include <utility>

namespace codecrew::tools {

// Whether writeFile() waits for its file and directory to reach the disk
// (fsync) before it returns. kUnsynced writes are as atomic (rename) and
// survive the process being killed, not a power loss: for workspaces whose
// content a store already keeps durably (engine/workspace_recorder.h).
enum class WriteDurability { kSynced, kUnsynced };

class LocalWorkspace : public Workspace {
 public:
  // Opens an existing directory as a workspace root (kNotFound when missing,
  // kInvalidArgument when not a directory). Run as root, with a root that
  // another user owns (sandbox_owner.h), the files and directories it creates
  // are given to that user, so the sandbox's commands can change them.
  static core::Result<std::unique_ptr<LocalWorkspace>> open(const std::string& root, WorkspaceLimits limits = {},
                                                            WriteDurability durability = WriteDurability::kSynced);

  const std::string& root() const override { return root_; }
  const WorkspaceLimits& limits() const override { return limits_; }
  core::Result<std::string> readFile(std::string_view path) const override;
  core::Status writeFile(std::string_view path, std::string_view content) override;
  core::Result<Listing> list(const ListOptions& options) const override;
  core::Status move(std::string_view from, std::string_view to, bool overwrite) override;
  core::Status remove(std::string_view path, bool recursive) override;
  bool isIgnored(std::string_view path, bool isDirectory) const override;

 private:
  LocalWorkspace(std::string root, ScopedFd rootFd, WorkspaceLimits limits, WriteDurability durability);

  core::Result<std::string> checkedPath(std::string_view path) const;
  core::Result<std::string> checkedMutablePath(std::string_view path) const;
  // Opens (creating as needed) the directory that will hold a normalized path.
  core::Result<ScopedFd> makeParentDirectory(const std::string& normalized);
  core::Status checkWriteTarget(int parentFd, const std::string& name, const std::string& path) const;
  core::Status listDirectory(const std::string& dir, const ListOptions& options, Listing& out) const;

  std::string root_;
  ScopedFd rootFd_;
  WorkspaceLimits limits_;
  WriteDurability durability_;
  std::unique_ptr<const IgnoreRules> ignore_;     // read once, at open()
  std::optional<std::pair<uid_t, gid_t>> owner_;  // set when run as root and another user owns the root
};

}  // namespace codecrew::tools
