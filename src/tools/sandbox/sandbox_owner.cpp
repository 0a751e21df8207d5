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

}  // namespace codecrew::tools
