#include "tools/git/libgit.h"

#include <unistd.h>

#include <mutex>
#include <string>

namespace codecrew::tools {

void ensureLibgit2() {
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    // libgit2 refuses a working directory another user owns (the check that
    // answers CVE-2022-24765: a .git planted in a shared parent directory).
    // Run as root, codecrew gives its workspaces to the sandbox's user
    // (tools/sandbox/sandbox_owner.h) and must still open them. It opens
    // repositories only by explicit path, never searching parent directories
    // (GIT_REPOSITORY_OPEN_NO_SEARCH), and libgit2 runs no hooks or filter
    // commands, so the check guards nothing here.
    if (::geteuid() == 0) git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
    // The repositories codecrew works in are configured by their own
    // .git/config alone: the server user's ~/.gitconfig, the XDG and the
    // system files (and /etc/gitattributes) are neither read nor, on every
    // operation, stat'ed again (about 320 system calls an execution).
    for (git_config_level_t level :
         {GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_PROGRAMDATA})
      git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, "");
    // Trees and commits are made from objects this process has just
    // written: their references are not looked up again on disk.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0);
  });
}

core::Error gitError(std::string_view what, core::ErrorCode code) {
  const git_error* err = git_error_last();
  std::string message(what);
  if (err && err->message) {
    message += ": ";
    message += err->message;
  }
  return {code, std::move(message), nullptr};
}

}  // namespace codecrew::tools
