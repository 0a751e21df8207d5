// Workspace: the files of one execution, confined to a single root directory.
// Every tool that touches files goes through this interface, so the rules about
// what may be read or written (no escapes through `..`, absolute paths or
// symlinks, no device files, no hard-linked files, size limits, no writes into
// .git) are enforced in one place. LocalWorkspace is the real implementation.
// Thread-safety: implementations are safe to call from several threads at once
// (they keep no mutable state besides the filesystem itself).
#pragma once

#include "core/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace codecrew::tools {

struct WorkspaceLimits {
  std::uint64_t maxFileBytes = 8ull << 20;  // larger files are neither read nor written
  std::size_t maxPathBytes = 1024;          // longer relative paths are refused
  std::size_t maxListEntries = 20000;       // list() stops (truncated) after this many
};

enum class EntryType { kFile, kDirectory, kSymlink, kOther };

std::string_view entryTypeName(EntryType type);

struct FileEntry {
  std::string path;  // relative to the root, '/'-separated
  EntryType type = EntryType::kFile;
  std::uint64_t size = 0;
};

struct ListOptions {
  std::string directory;  // relative; empty means the root
  bool recursive = true;
  bool includeIgnored = false;  // when false, .gitignore'd entries (and .git) are skipped
};

struct Listing {
  std::vector<FileEntry> entries;  // sorted by path
  bool truncated = false;
};

class Workspace {
 public:
  virtual ~Workspace() = default;

  // The absolute, symlink-free path of the root.
  virtual const std::string& root() const = 0;
  virtual const WorkspaceLimits& limits() const = 0;

  // The bytes of a regular file inside the root. Refuses (kInvalidArgument or
  // kPermissionDenied, with details {path, rule}) escapes, non-regular files
  // and files over the size limit; kNotFound when it does not exist.
  virtual core::Result<std::string> readFile(std::string_view path) const = 0;

  // Replaces or creates a file atomically (temp file in the same directory,
  // fsync unless the workspace says otherwise, rename), creating parent directories inside the root. Refuses
  // symlinks, hard-linked files, non-regular targets and paths inside .git.
  virtual core::Status writeFile(std::string_view path, std::string_view content) = 0;

  // Entries below a directory, never following symlinks.
  virtual core::Result<Listing> list(const ListOptions& options) const = 0;

  // Renames a file or directory inside the root; refuses to replace an
  // existing target unless overwrite is set (and never replaces a directory).
  virtual core::Status move(std::string_view from, std::string_view to, bool overwrite) = 0;

  // Deletes a file, a symlink (not its target), or a directory (only when
  // recursive, or when it is empty). The root itself cannot be deleted.
  virtual core::Status remove(std::string_view path, bool recursive) = 0;

  // Whether a path (relative, existing or not) is excluded by .gitignore rules.
  virtual bool isIgnored(std::string_view path, bool isDirectory) const = 0;
};

}  // namespace codecrew::tools
