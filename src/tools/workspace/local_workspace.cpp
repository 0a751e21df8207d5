#include "tools/workspace/local_workspace.h"

#include "tools/workspace/path_guard.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cstdio>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

namespace codecrew::tools {
namespace {

using core::ErrorCode;

core::Error sysError(std::string_view what, std::string_view path) {
  return {ErrorCode::kInternal, std::string(what) + " '" + std::string(path) + "': " + std::strerror(errno), nullptr};
}

EntryType typeOf(mode_t mode) {
  if (S_ISREG(mode)) return EntryType::kFile;
  if (S_ISDIR(mode)) return EntryType::kDirectory;
  if (S_ISLNK(mode)) return EntryType::kSymlink;
  return EntryType::kOther;
}

std::string joinPath(const std::string& dir, std::string_view name) {
  return dir.empty() ? std::string(name) : dir + "/" + std::string(name);
}

// Names of a directory's entries (without . and ..).
core::Result<std::vector<std::string>> readNames(int dirFd, std::string_view path) {
  int dupFd = ::fcntl(dirFd, F_DUPFD_CLOEXEC, 0);
  if (dupFd < 0) return sysError("cannot duplicate descriptor for", path);
  DIR* dir = ::fdopendir(dupFd);
  if (!dir) {
    ::close(dupFd);
    return sysError("cannot read directory", path);
  }
  std::vector<std::string> names;
  while (dirent* entry = ::readdir(dir)) {
    std::string_view name(entry->d_name);
    if (name != "." && name != "..") names.emplace_back(name);
  }
  ::closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

core::Status removeTree(int parentFd, const std::string& name, const std::string& path) {
  struct stat st {};
  if (::fstatat(parentFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return sysError("cannot stat", path);
  if (S_ISDIR(st.st_mode)) {
    ScopedFd dirFd(::openat(parentFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dirFd.valid()) return sysError("cannot open directory", path);
    auto names = readNames(dirFd.get(), path);
    if (!names) return names.error();
    for (const auto& child : *names) {
      std::string child_path = path;
      child_path.append("/").append(child);
      if (auto s = removeTree(dirFd.get(), child, child_path); !s) return s;
    }
    if (::unlinkat(parentFd, name.c_str(), AT_REMOVEDIR) != 0) return sysError("cannot remove directory", path);
    return core::okStatus();
  }
  if (::unlinkat(parentFd, name.c_str(), 0) != 0) return sysError("cannot remove", path);
  return core::okStatus();
}

core::Status writeAll(int fd, std::string_view content, const std::string& path) {
  while (!content.empty()) {
    ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return sysError("cannot write", path);
    }
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return core::okStatus();
}

std::string tempName(const std::string& name) {
  static std::atomic<unsigned> counter{0};
  return "." + name.substr(0, 200) + ".codecrew-tmp-" + std::to_string(::getpid()) + "-" +
         std::to_string(counter.fetch_add(1));
}

}  // namespace

std::string_view entryTypeName(EntryType type) {
  switch (type) {
    case EntryType::kFile: return "file";
    case EntryType::kDirectory: return "directory";
    case EntryType::kSymlink: return "symlink";
    case EntryType::kOther: return "other";
  }
  return "other";
}

core::Result<std::unique_ptr<LocalWorkspace>> LocalWorkspace::open(const std::string& root, WorkspaceLimits limits,
                                                                   WriteDurability durability) {
  char resolved[PATH_MAX];
  if (!::realpath(root.c_str(), resolved)) {
    return core::Error{ErrorCode::kNotFound, "workspace root '" + root + "': " + std::strerror(errno), nullptr};
  }
  ScopedFd fd(::open(resolved, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    return core::Error::invalidArgument("workspace root '" + root +
                                        "' is not an openable directory: " + std::strerror(errno));
  }
  return std::unique_ptr<LocalWorkspace>(new LocalWorkspace(resolved, std::move(fd), limits, durability));
}

LocalWorkspace::LocalWorkspace(std::string root, ScopedFd rootFd, WorkspaceLimits limits, WriteDurability durability)
    : root_(std::move(root)),
      rootFd_(std::move(rootFd)),
      limits_(limits),
      durability_(durability),
      ignore_(makeIgnoreRules(root_)) {
  struct stat st {};
  if (::geteuid() == 0 && ::fstat(rootFd_.get(), &st) == 0 && st.st_uid != 0) owner_ = {st.st_uid, st.st_gid};
}

bool LocalWorkspace::isIgnored(std::string_view path, bool isDirectory) const {
  return ignore_->isIgnored(path, isDirectory);
}

core::Result<std::string> LocalWorkspace::checkedPath(std::string_view path) const {
  return normalizeRelativePath(path, limits_);
}

core::Result<std::string> LocalWorkspace::checkedMutablePath(std::string_view path) const {
  auto normalized = normalizeRelativePath(path, limits_);
  if (!normalized) return normalized;
  if (normalized->empty()) {
    return pathError(ErrorCode::kPermissionDenied, path, "workspace_root",
                     "the workspace root itself cannot be changed");
  }
  if (isInsideGitDir(*normalized)) {
    return pathError(ErrorCode::kPermissionDenied, path, "protected_git_dir",
                     ".git is managed by the git tools and cannot be changed directly");
  }
  return normalized;
}

core::Result<std::string> LocalWorkspace::readFile(std::string_view path) const {
  auto normalized = checkedPath(path);
  if (!normalized) return normalized.error();
  auto fd = openBeneath(rootFd_.get(), *normalized, O_RDONLY | O_NOCTTY | O_NONBLOCK);
  if (!fd) return fd.error();
  struct stat st {};
  if (::fstat(fd->get(), &st) != 0) return sysError("cannot stat", *normalized);
  if (!S_ISREG(st.st_mode)) {
    return pathError(ErrorCode::kInvalidArgument, path, "not_regular_file",
                     std::string("is a ") + (S_ISDIR(st.st_mode) ? "directory" : "device, fifo or socket") +
                         ", not a regular file");
  }
  if (static_cast<std::uint64_t>(st.st_size) > limits_.maxFileBytes) {
    return pathError(ErrorCode::kInvalidArgument, path, "size_limit",
                     "file has " + std::to_string(st.st_size) + " bytes, over the limit of " +
                         std::to_string(limits_.maxFileBytes));
  }
  std::string content;
  content.resize(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::read(fd->get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sysError("cannot read", *normalized);
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  content.resize(done);
  return content;
}

core::Result<ScopedFd> LocalWorkspace::makeParentDirectory(const std::string& normalized) {
  auto [parent, name] = splitParent(normalized);
  std::string prefix;
  std::size_t pos = 0;
  while (true) {
    auto fd = openBeneath(rootFd_.get(), prefix, O_RDONLY | O_DIRECTORY);
    if (!fd) return fd.error();
    if (prefix.size() == parent.size()) return fd;
    std::size_t next = parent.find('/', pos);
    if (next == std::string::npos) next = parent.size();
    std::string component = parent.substr(pos, next - pos);
    pos = next + 1;
    if (::mkdirat(fd->get(), component.c_str(), 0755) == 0) {
      if (owner_ && ::fchownat(fd->get(), component.c_str(), owner_->first, owner_->second, AT_SYMLINK_NOFOLLOW) != 0)
        return sysError("cannot give the workspace's owner directory", joinPath(prefix, component));
    } else if (errno != EEXIST) {
      return sysError("cannot create directory", joinPath(prefix, component));
    }
    prefix = joinPath(prefix, component);
  }
}

core::Status LocalWorkspace::checkWriteTarget(int parentFd, const std::string& name, const std::string& path) const {
  struct stat st {};
  if (::fstatat(parentFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return core::okStatus();
    return sysError("cannot stat", path);
  }
  if (S_ISLNK(st.st_mode)) {
    return pathError(ErrorCode::kPermissionDenied, path, "symlink_target",
                     "is a symbolic link; write to the file it points to instead");
  }
  if (!S_ISREG(st.st_mode)) {
    return pathError(ErrorCode::kInvalidArgument, path, "not_regular_file", "exists and is not a regular file");
  }
  if (st.st_nlink > 1) {
    return pathError(ErrorCode::kPermissionDenied, path, "hard_link",
                     "has " + std::to_string(st.st_nlink) +
                         " hard links; it may be shared with a file outside the workspace");
  }
  return core::okStatus();
}

core::Status LocalWorkspace::writeFile(std::string_view path, std::string_view content) {
  auto normalized = checkedMutablePath(path);
  if (!normalized) return normalized.error();
  if (content.size() > limits_.maxFileBytes) {
    return pathError(ErrorCode::kInvalidArgument, path, "size_limit",
                     "content has " + std::to_string(content.size()) + " bytes, over the limit of " +
                         std::to_string(limits_.maxFileBytes));
  }
  auto parentFd = makeParentDirectory(*normalized);
  if (!parentFd) return parentFd.error();
  const std::string name = splitParent(*normalized).second;
  if (auto s = checkWriteTarget(parentFd->get(), name, *normalized); !s) return s;
  mode_t mode = 0644;
  struct stat st {};
  if (::fstatat(parentFd->get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) mode = st.st_mode & 07777;
  const std::string temp = tempName(name);
  ScopedFd out(::openat(parentFd->get(), temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (!out.valid()) return sysError("cannot create temporary file for", *normalized);
  core::Status written = owner_ && ::fchown(out.get(), owner_->first, owner_->second) != 0
                             ? sysError("cannot give the workspace's owner", *normalized)
                             : writeAll(out.get(), content, *normalized);
  const bool sync = durability_ == WriteDurability::kSynced;
  if (written && ::fchmod(out.get(), mode) == 0 && (!sync || ::fsync(out.get()) == 0) &&
      ::renameat(parentFd->get(), temp.c_str(), parentFd->get(), name.c_str()) == 0) {
    if (sync) ::fsync(parentFd->get());
    return core::okStatus();
  }
  core::Error failure = written ? sysError("cannot commit write of", *normalized) : written.error();
  ::unlinkat(parentFd->get(), temp.c_str(), 0);
  return failure;
}

core::Result<Listing> LocalWorkspace::list(const ListOptions& options) const {
  auto normalized = checkedPath(options.directory);
  if (!normalized) return normalized.error();
  Listing out;
  if (auto s = listDirectory(*normalized, options, out); !s) return s.error();
  std::sort(out.entries.begin(), out.entries.end(),
            [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  return out;
}

core::Status LocalWorkspace::listDirectory(const std::string& dir, const ListOptions& options, Listing& out) const {
  auto fd = openBeneath(rootFd_.get(), dir, O_RDONLY | O_DIRECTORY);
  if (!fd) return fd.error();
  auto names = readNames(fd->get(), dir);
  if (!names) return names.error();
  for (const auto& name : *names) {
    if (out.entries.size() >= limits_.maxListEntries) {
      out.truncated = true;
      return core::okStatus();
    }
    struct stat st {};
    if (::fstatat(fd->get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    std::string path = joinPath(dir, name);
    EntryType type = typeOf(st.st_mode);
    const bool isDir = type == EntryType::kDirectory;
    if (!options.includeIgnored && isIgnored(path, isDir)) continue;
    out.entries.push_back({path, type, type == EntryType::kFile ? static_cast<std::uint64_t>(st.st_size) : 0});
    if (isDir && options.recursive) {
      if (auto s = listDirectory(path, options, out); !s) return s;
    }
  }
  return core::okStatus();
}

core::Status LocalWorkspace::move(std::string_view from, std::string_view to, bool overwrite) {
  auto src = checkedMutablePath(from);
  if (!src) return src.error();
  auto dst = checkedMutablePath(to);
  if (!dst) return dst.error();
  auto [srcParent, srcName] = splitParent(*src);
  auto srcParentFd = openBeneath(rootFd_.get(), srcParent, O_RDONLY | O_DIRECTORY);
  if (!srcParentFd) return srcParentFd.error();
  struct stat st {};
  if (::fstatat(srcParentFd->get(), srcName.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return core::Error::notFound("no such file or directory: " + *src);
  }
  if ((*dst + "/").starts_with(*src + "/")) {
    return pathError(ErrorCode::kInvalidArgument, to, "move_into_itself", "cannot move a directory into itself");
  }
  auto dstParentFd = makeParentDirectory(*dst);
  if (!dstParentFd) return dstParentFd.error();
  const std::string dstName = splitParent(*dst).second;
  struct stat existing {};
  if (::fstatat(dstParentFd->get(), dstName.c_str(), &existing, AT_SYMLINK_NOFOLLOW) == 0) {
    if (!overwrite) return core::Error::alreadyExists("target exists (pass overwrite to replace it): " + *dst);
    if (S_ISDIR(existing.st_mode)) {
      return pathError(ErrorCode::kInvalidArgument, to, "replace_directory", "will not replace a directory");
    }
  }
  if (::renameat(srcParentFd->get(), srcName.c_str(), dstParentFd->get(), dstName.c_str()) != 0) {
    return sysError("cannot move to '" + *dst + "'", *src);
  }
  return core::okStatus();
}

core::Status LocalWorkspace::remove(std::string_view path, bool recursive) {
  auto normalized = checkedMutablePath(path);
  if (!normalized) return normalized.error();
  auto [parent, name] = splitParent(*normalized);
  auto parentFd = openBeneath(rootFd_.get(), parent, O_RDONLY | O_DIRECTORY);
  if (!parentFd) return parentFd.error();
  struct stat st {};
  if (::fstatat(parentFd->get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return core::Error::notFound("no such file or directory: " + *normalized);
  }
  if (S_ISDIR(st.st_mode) && !recursive) {
    if (::unlinkat(parentFd->get(), name.c_str(), AT_REMOVEDIR) != 0) {
      if (errno == ENOTEMPTY || errno == EEXIST) {
        return pathError(ErrorCode::kFailedPrecondition, path, "directory_not_empty",
                         "directory is not empty (pass recursive to delete it with its contents)");
      }
      return sysError("cannot remove directory", *normalized);
    }
    return core::okStatus();
  }
  return removeTree(parentFd->get(), name, *normalized);
}

}  // namespace codecrew::tools
