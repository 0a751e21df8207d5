#include "tools/git/git_repository.h"

#include "tools/git/object_batch.h"

namespace codecrew::tools {
namespace {

using core::ErrorCode;

std::string oidHex(const git_oid& oid) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof(hex), &oid);
  return hex;
}

ChangeKind kindOf(git_delta_t status) {
  switch (status) {
    case GIT_DELTA_ADDED: return ChangeKind::kAdded;
    case GIT_DELTA_UNTRACKED: return ChangeKind::kUntracked;
    case GIT_DELTA_DELETED: return ChangeKind::kDeleted;
    case GIT_DELTA_RENAMED: return ChangeKind::kRenamed;
    case GIT_DELTA_TYPECHANGE: return ChangeKind::kTypeChanged;
    default: return ChangeKind::kModified;
  }
}

}  // namespace

std::string_view changeKindName(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kAdded: return "added";
    case ChangeKind::kModified: return "modified";
    case ChangeKind::kDeleted: return "deleted";
    case ChangeKind::kRenamed: return "renamed";
    case ChangeKind::kTypeChanged: return "type_changed";
    case ChangeKind::kUntracked: return "untracked";
  }
  return "modified";
}

GitRepository::GitRepository(RepoPtr repo) : repo_(std::move(repo)) {
  const char* dir = git_repository_workdir(repo_.get());
  workdir_ = dir ? dir : "";
}

core::Result<GitRepository> GitRepository::open(const std::string& dir) {
  ensureLibgit2();
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0) {
    return gitError("no git repository at '" + dir + "'", ErrorCode::kNotFound);
  }
  RepoPtr repo(raw);
  if (git_repository_is_bare(repo.get())) {
    return core::Error{ErrorCode::kFailedPrecondition, "'" + dir + "' is a bare repository", nullptr};
  }
  return GitRepository(std::move(repo));
}

core::Result<GitRepository> GitRepository::cloneLocal(const std::string& source, const std::string& dir) {
  if (source.find("://") != std::string::npos && source.rfind("file://", 0) != 0)
    return core::Error{ErrorCode::kInvalidArgument, "'" + source + "' is not a local repository", nullptr};
  auto opened = open(source.rfind("file://", 0) == 0 ? source.substr(7) : source);
  if (!opened.ok()) return opened.error();
  git_clone_options options = GIT_CLONE_OPTIONS_INIT;
  options.local = GIT_CLONE_LOCAL_NO_LINKS;
  git_repository* raw = nullptr;
  if (git_clone(&raw, source.c_str(), dir.c_str(), &options) != 0) {
    return gitError("cannot clone '" + source + "' into '" + dir + "'");
  }
  return GitRepository(RepoPtr(raw));
}

core::Result<GitRepository> GitRepository::openOrInit(const std::string& dir, const std::string& initialBranch) {
  auto opened = open(dir);
  if (opened.ok() || opened.error().code != ErrorCode::kNotFound) return opened;
  git_repository_init_options options = GIT_REPOSITORY_INIT_OPTIONS_INIT;
  options.flags = GIT_REPOSITORY_INIT_MKPATH;
  options.initial_head = initialBranch.c_str();
  git_repository* raw = nullptr;
  if (git_repository_init_ext(&raw, dir.c_str(), &options) != 0) {
    return gitError("cannot create a git repository at '" + dir + "'");
  }
  return GitRepository(RepoPtr(raw));
}

core::Status GitRepository::setLogRefUpdates(bool log) {
  git_config* raw = nullptr;
  if (git_repository_config(&raw, repo_.get()) != 0) return gitError("cannot open the repository's configuration");
  GitPtr<git_config, git_config_free> config(raw);
  if (git_config_set_bool(config.get(), "core.logAllRefUpdates", log ? 1 : 0) != 0)
    return gitError("cannot set core.logAllRefUpdates");
  return core::okStatus();
}

core::Result<std::string> GitRepository::headCommit() const {
  git_oid oid;
  if (git_reference_name_to_id(&oid, repo_.get(), "HEAD") != 0) {
    return gitError("HEAD has no commit yet", ErrorCode::kNotFound);
  }
  return oidHex(oid);
}

core::Result<std::string> GitRepository::currentBranch() const {
  git_reference* raw = nullptr;
  int rc = git_repository_head(&raw, repo_.get());
  if (rc == GIT_EUNBORNBRANCH) {
    ReferencePtr head;
    git_reference* sym = nullptr;
    if (git_reference_lookup(&sym, repo_.get(), "HEAD") != 0) return gitError("cannot read HEAD");
    head.reset(sym);
    std::string target = git_reference_symbolic_target(head.get());
    return target.starts_with("refs/heads/") ? target.substr(11) : target;
  }
  if (rc != 0) return gitError("cannot read HEAD");
  ReferencePtr head(raw);
  if (git_repository_head_detached(repo_.get()) == 1) return std::string("HEAD");
  return std::string(git_reference_shorthand(head.get()));
}

core::Result<TreePtr> GitRepository::treeOf(const std::string& commit) const {
  if (commit.empty()) return TreePtr();
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repo_.get(), (commit + "^{tree}").c_str()) != 0) {
    return gitError("unknown commit '" + commit + "'", ErrorCode::kNotFound);
  }
  return TreePtr(reinterpret_cast<git_tree*>(raw));
}

core::Status GitRepository::checkoutBranch(const std::string& name, const std::string& from) {
  int valid = 0;
  if (git_branch_name_is_valid(&valid, name.c_str()) != 0 || !valid) {
    return core::Error::invalidArgument("not a valid branch name: '" + name + "'");
  }
  git_reference* raw = nullptr;
  if (git_branch_lookup(&raw, repo_.get(), name.c_str(), GIT_BRANCH_LOCAL) != 0) {
    git_object* target = nullptr;
    std::string spec = (from.empty() ? std::string("HEAD") : from) + "^{commit}";
    if (git_revparse_single(&target, repo_.get(), spec.c_str()) != 0) {
      return gitError("cannot branch from '" + (from.empty() ? std::string("HEAD") : from) + "'", ErrorCode::kNotFound);
    }
    ObjectPtr commit(target);
    if (git_branch_create(&raw, repo_.get(), name.c_str(), reinterpret_cast<git_commit*>(commit.get()), 0) != 0) {
      return gitError("cannot create branch '" + name + "'");
    }
  }
  ReferencePtr branch(raw);
  git_object* treeish = nullptr;
  if (git_reference_peel(&treeish, branch.get(), GIT_OBJECT_COMMIT) != 0) return gitError("cannot resolve " + name);
  ObjectPtr commit(treeish);
  git_checkout_options options = GIT_CHECKOUT_OPTIONS_INIT;
  options.checkout_strategy = GIT_CHECKOUT_SAFE;
  if (git_checkout_tree(repo_.get(), commit.get(), &options) != 0) {
    return gitError("cannot check out '" + name + "' (local changes would be overwritten?)", ErrorCode::kConflict);
  }
  if (git_repository_set_head(repo_.get(), git_reference_name(branch.get())) != 0) {
    return gitError("cannot move HEAD to '" + name + "'");
  }
  return core::okStatus();
}

core::Result<std::string> GitRepository::commitAll(const GitAuthor& author, const std::string& message) {
  if (author.name.empty() || author.email.empty())
    return core::Error::invalidArgument("commit author needs a name and an email");
  if (message.empty()) return core::Error::invalidArgument("commit message is empty");
  git_index* rawIndex = nullptr;
  if (git_repository_index(&rawIndex, repo_.get()) != 0) return gitError("cannot open the index");
  IndexPtr index(rawIndex);
  // The blobs, trees and commit are written as one pack (object_batch.h);
  // the index and the branch name them only once it is on disk.
  auto batch = ObjectBatch::open(repo_.get());
  if (!batch) return batch.error();
  // Unless this commit is written, the index in memory goes back to the one
  // on disk: it may name blobs that only the discarded batch held.
  struct IndexRestore {
    git_index* index;
    bool written = false;
    ~IndexRestore() {
      if (!written) git_index_read(index, 1);
    }
  } restore{index.get()};
  // One pass over the working tree: add_all stages new, modified and
  // deleted files alike (its diff of the index against the tree).
  if (git_index_add_all(index.get(), nullptr, GIT_INDEX_ADD_DEFAULT, nullptr, nullptr) != 0) {
    return gitError("cannot stage changes");
  }
  git_oid treeId;
  if (git_index_write_tree(&treeId, index.get()) != 0) return gitError("cannot write the tree");
  CommitPtr parent;
  git_oid headId;
  if (git_reference_name_to_id(&headId, repo_.get(), "HEAD") == 0) {
    git_commit* rawParent = nullptr;
    if (git_commit_lookup(&rawParent, repo_.get(), &headId) != 0) return gitError("cannot read HEAD commit");
    parent.reset(rawParent);
    if (git_oid_equal(git_commit_tree_id(parent.get()), &treeId)) {
      return core::Error{ErrorCode::kFailedPrecondition, "nothing to commit: the tree is unchanged since HEAD",
                         nullptr};
    }
  } else if (git_index_entrycount(index.get()) == 0) {
    return core::Error{ErrorCode::kFailedPrecondition, "nothing to commit: the working tree is empty", nullptr};
  }
  git_tree* rawTree = nullptr;
  if (git_tree_lookup(&rawTree, repo_.get(), &treeId) != 0) return gitError("cannot read the new tree");
  TreePtr tree(rawTree);
  git_signature* rawSig = nullptr;
  if (git_signature_now(&rawSig, author.name.c_str(), author.email.c_str()) != 0) {
    return gitError("invalid commit author", ErrorCode::kInvalidArgument);
  }
  SignaturePtr signature(rawSig);
  const git_commit* parents[1] = {parent.get()};
  git_oid commitId;
  if (git_commit_create(&commitId, repo_.get(), nullptr, signature.get(), signature.get(), nullptr, message.c_str(),
                        tree.get(), parent ? 1 : 0, parents) != 0) {
    return gitError("cannot create the commit");
  }
  const bool initial = !parent;
  tree.reset();
  parent.reset();
  if (auto ok = batch->write(); !ok) return ok.error();
  if (git_index_write(index.get()) != 0) return gitError("cannot write the index");
  restore.written = true;
  // HEAD's branch (HEAD itself when detached) moves to the commit.
  std::string target = "HEAD";
  git_reference* rawHead = nullptr;
  if (git_reference_lookup(&rawHead, repo_.get(), "HEAD") == 0) {
    ReferencePtr head(rawHead);
    if (git_reference_type(head.get()) == GIT_REFERENCE_SYMBOLIC) target = git_reference_symbolic_target(head.get());
  }
  const std::string summary = message.substr(0, message.find('\n'));
  const std::string logMessage = std::string(initial ? "commit (initial): " : "commit: ") + summary;
  git_reference* rawRef = nullptr;
  if (git_reference_create(&rawRef, repo_.get(), target.c_str(), &commitId, 1, logMessage.c_str()) != 0) {
    return gitError("cannot move " + target + " to the new commit");
  }
  ReferencePtr moved(rawRef);
  return oidHex(commitId);
}

core::Result<DiffPtr> GitRepository::diffToWorkdir(const std::string& baseCommit) const {
  auto tree = treeOf(baseCommit);
  if (!tree) return tree.error();
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS | GIT_DIFF_SHOW_UNTRACKED_CONTENT;
  git_diff* raw = nullptr;
  if (git_diff_tree_to_workdir_with_index(&raw, repo_.get(), tree->get(), &options) != 0) {
    return gitError("cannot diff against '" + baseCommit + "'");
  }
  DiffPtr diff(raw);
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_FOR_UNTRACKED;
  if (git_diff_find_similar(diff.get(), &find) != 0) return gitError("cannot detect renames");
  return diff;
}

core::Result<std::string> GitRepository::diffAgainst(const std::string& baseCommit) const {
  auto diff = diffToWorkdir(baseCommit);
  if (!diff) return diff.error();
  git_buf buf = GIT_BUF_INIT;
  if (git_diff_to_buf(&buf, diff->get(), GIT_DIFF_FORMAT_PATCH) != 0) return gitError("cannot format the diff");
  std::string text(buf.ptr ? buf.ptr : "", buf.size);
  git_buf_dispose(&buf);
  return text;
}

core::Result<std::vector<ChangedFile>> GitRepository::changedFilesSince(const std::string& baseCommit) const {
  auto diff = diffToWorkdir(baseCommit);
  if (!diff) return diff.error();
  std::vector<ChangedFile> files;
  for (std::size_t i = 0; i < git_diff_num_deltas(diff->get()); ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff->get(), i);
    ChangeKind kind = kindOf(delta->status);
    if (kind == ChangeKind::kUntracked) kind = ChangeKind::kAdded;
    files.push_back({delta->new_file.path, delta->old_file.path, kind});
  }
  return files;
}

core::Result<std::vector<ChangedFile>> GitRepository::status() const {
  auto head = headCommit();
  auto diff = diffToWorkdir(head.ok() ? *head : std::string());
  if (!diff) return diff.error();
  std::vector<ChangedFile> files;
  for (std::size_t i = 0; i < git_diff_num_deltas(diff->get()); ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff->get(), i);
    files.push_back({delta->new_file.path, delta->old_file.path, kindOf(delta->status)});
  }
  return files;
}

}  // namespace codecrew::tools
