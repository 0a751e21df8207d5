#include "tools/sandbox/sandbox_owner.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace codecrew::tools {
namespace {

core::Status own(const std::filesystem::path& path) {
  if (::lchown(path.c_str(), kSandboxNobody, kSandboxNobody) == 0) return core::okStatus();
  return core::Error::internal("cannot give '" + path.string() + "' to the sandbox user: " + std::strerror(errno));
}

}  // namespace

core::Status giveToSandboxUser(const std::filesystem::path& dir) {
  if (::geteuid() != 0) return core::okStatus();
  if (auto st = own(dir); !st) return st;
  std::error_code ec;
  // The default options follow no directory symlink: a link is changed, not its target.
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (auto st = own(it->path()); !st) return st;
  }
  if (ec) return core::Error::internal("cannot walk '" + dir.string() + "': " + ec.message());
  return core::okStatus();
}

core::Status checkReachableBySandboxUser(const std::filesystem::path& dir) {
  if (::geteuid() != 0) return core::okStatus();
  namespace fs = std::filesystem;
  fs::path at;
  for (const auto& part : fs::absolute(dir).lexically_normal()) {
    at /= part;
    std::error_code ec;
    auto st = fs::status(at, ec);
    if (ec || !fs::exists(st)) break;  // created later, by this process
    if (!fs::is_directory(st)) break;
    if ((st.permissions() & fs::perms::others_exec) == fs::perms::none)
      return core::Error{core::ErrorCode::kFailedPrecondition,
                         "sandboxed commands run as nobody and cannot reach the workspaces under " + dir.string() +
                             ": " + at.string() + " is not searchable by others (chmod o+x " + at.string() +
                             ", or choose a data directory they can reach)",
                         nullptr};
  }
  return core::okStatus();
}

}  // namespace codecrew::tools
