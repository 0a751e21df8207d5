#include "tools/workspace/path_guard.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace codecrew::tools {
namespace {

constexpr std::size_t kMaxComponentBytes = 255;

core::Error errnoError(int err, std::string_view path) {
  switch (err) {
    case ENOENT: return {core::ErrorCode::kNotFound, "no such file or directory: " + std::string(path), nullptr};
    case EXDEV:
      return pathError(core::ErrorCode::kPermissionDenied, path, "escapes_root",
                       "resolves outside the workspace root (a symlink or '..' leaves it)");
    case ELOOP:
      return pathError(core::ErrorCode::kInvalidArgument, path, "symlink_loop",
                       "too many levels of symbolic links (a symlink loop, or a symlink where none is allowed)");
    case ENOTDIR:
      return pathError(core::ErrorCode::kInvalidArgument, path, "not_a_directory",
                       "a parent component is not a directory");
    case ENAMETOOLONG: return pathError(core::ErrorCode::kInvalidArgument, path, "path_too_long", "path is too long");
    case EACCES:
    case EPERM: return pathError(core::ErrorCode::kPermissionDenied, path, "permission", std::strerror(err));
    case EISDIR: return pathError(core::ErrorCode::kInvalidArgument, path, "is_directory", "is a directory");
    default: return {core::ErrorCode::kInternal, std::string(path) + ": " + std::strerror(err), nullptr};
  }
}

}  // namespace

core::Error pathError(core::ErrorCode code, std::string_view path, std::string_view rule, std::string_view reason) {
  boost::json::object details;
  details["path"] = path;
  details["rule"] = rule;
  std::string shown(path.substr(0, 200));
  for (char& c : shown) {
    if (c == '\0') c = '?';
  }
  return {code, "refused path '" + shown + "': " + std::string(reason) + " [rule " + std::string(rule) + "]",
          std::move(details)};
}

core::Result<std::string> normalizeRelativePath(std::string_view path, const WorkspaceLimits& limits) {
  if (path.find('\0') != std::string_view::npos) {
    return pathError(core::ErrorCode::kInvalidArgument, path, "nul_byte", "contains a NUL byte");
  }
  if (path.size() > limits.maxPathBytes) {
    return pathError(core::ErrorCode::kInvalidArgument, path, "path_too_long",
                     "longer than " + std::to_string(limits.maxPathBytes) + " bytes");
  }
  if (!path.empty() && path.front() == '/') {
    return pathError(core::ErrorCode::kInvalidArgument, path, "absolute_path",
                     "absolute paths are not allowed; give a path relative to the workspace root");
  }
  std::vector<std::string_view> parts;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t next = path.find('/', pos);
    if (next == std::string_view::npos) next = path.size();
    std::string_view part = path.substr(pos, next - pos);
    pos = next + 1;
    if (part.empty() || part == ".") continue;
    if (part.size() > kMaxComponentBytes) {
      return pathError(core::ErrorCode::kInvalidArgument, path, "component_too_long",
                       "a path component is longer than 255 bytes");
    }
    if (part == "..") {
      if (parts.empty()) {
        return pathError(core::ErrorCode::kPermissionDenied, path, "escapes_root",
                         "'..' climbs above the workspace root");
      }
      parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (auto part : parts) {
    if (!out.empty()) out += '/';
    out += part;
  }
  return out;
}

bool isInsideGitDir(std::string_view normalized) { return normalized == ".git" || normalized.starts_with(".git/"); }

core::Result<ScopedFd> openBeneath(int rootFd, std::string_view normalized, int flags, int mode) {
  open_how how{};
  how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
  how.mode = (flags & O_CREAT) ? static_cast<std::uint64_t>(mode) : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  std::string target = normalized.empty() ? std::string(".") : std::string(normalized);
  for (;;) {
    long fd = ::syscall(SYS_openat2, rootFd, target.c_str(), &how, sizeof(how));
    if (fd >= 0) return ScopedFd(static_cast<int>(fd));
    if (errno == EINTR || errno == EAGAIN) continue;
    if (errno == ENOSYS) {
      return core::Error{core::ErrorCode::kUnimplemented,
                         "openat2 is not available (Linux 5.6 or later is required for workspaces)", nullptr};
    }
    return errnoError(errno, normalized);
  }
}

std::pair<std::string, std::string> splitParent(std::string_view normalized) {
  auto slash = normalized.rfind('/');
  if (slash == std::string_view::npos) return {"", std::string(normalized)};
  return {std::string(normalized.substr(0, slash)), std::string(normalized.substr(slash + 1))};
}

}  // namespace codecrew::tools
