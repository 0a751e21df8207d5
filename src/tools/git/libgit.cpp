#include "tools/git/libgit.h"

#include <mutex>
#include <string>

namespace codecrew::tools {

void ensureLibgit2() {
  static std::once_flag once;
  std::call_once(once, [] { git_libgit2_init(); });
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
