#include "tools/semantic/repository_key.h"

#include "core/crypto.h"
#include "tools/git/libgit.h"

namespace codecrew::tools {

core::Result<std::string> repositoryKeyOf(const std::string& workdir) {
  ensureLibgit2();
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, workdir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0)
    return core::Error{core::ErrorCode::kFailedPrecondition, "not a git repository: " + workdir, nullptr};
  RepoPtr repo(raw);
  git_revwalk* walkRaw = nullptr;
  if (git_revwalk_new(&walkRaw, repo.get()) != 0) return gitError("cannot walk the history");
  RevwalkPtr walk(walkRaw);
  git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME | GIT_SORT_REVERSE);
  if (git_revwalk_push_head(walk.get()) != 0)
    return core::Error{core::ErrorCode::kFailedPrecondition, "the repository has no commit yet", nullptr};
  git_oid root;
  if (git_revwalk_next(&root, walk.get()) != 0)
    return core::Error{core::ErrorCode::kFailedPrecondition, "the repository has no commit yet", nullptr};
  char hex[GIT_OID_HEXSZ + 1] = {};
  git_oid_tostr(hex, sizeof hex, &root);
  return "root-" + std::string(hex).substr(0, 16);
}

}  // namespace codecrew::tools
