// GitRepository, continued: the history of a workspace as commit objects and
// patches, and its restoration on another host.
#include "tools/git/git_repository.h"

#include <optional>
#include <string_view>
#include <vector>

namespace codecrew::tools {
namespace {

using core::ErrorCode;

using OdbObjectPtr = GitPtr<git_odb_object, git_odb_object_free>;

std::string shaOf(const git_oid& oid) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof(hex), &oid);
  return hex;
}

core::Error historyError(std::string message) {
  return core::Error{ErrorCode::kFailedPrecondition, std::move(message), nullptr};
}

// The tree and parents a commit object names (its "tree" and "parent"
// header lines, which come first and in that order).
struct CommitHeaders {
  git_oid tree;
  std::vector<git_oid> parents;
};

bool readHeaderLine(std::string_view& rest, std::string_view key, git_oid& out) {
  if (!rest.starts_with(key) || rest.size() < key.size() + GIT_OID_HEXSZ + 1) return false;
  std::string hex(rest.substr(key.size(), GIT_OID_HEXSZ));
  if (rest[key.size() + GIT_OID_HEXSZ] != '\n' || git_oid_fromstr(&out, hex.c_str()) != 0) return false;
  rest.remove_prefix(key.size() + GIT_OID_HEXSZ + 1);
  return true;
}

std::optional<CommitHeaders> commitHeaders(std::string_view object) {
  CommitHeaders h;
  if (!readHeaderLine(object, "tree ", h.tree)) return std::nullopt;
  git_oid parent;
  while (readHeaderLine(object, "parent ", parent)) h.parents.push_back(parent);
  return h;
}

}  // namespace

core::Result<std::vector<std::string>> GitRepository::commitsSince(const std::string& since,
                                                                   const std::string& head) const {
  git_revwalk* raw = nullptr;
  if (git_revwalk_new(&raw, repo_.get()) != 0) return gitError("cannot walk the history");
  RevwalkPtr walk(raw);
  git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
  git_oid oid;
  if (git_oid_fromstr(&oid, head.c_str()) != 0 || git_revwalk_push(walk.get(), &oid) != 0)
    return gitError("unknown commit '" + head + "'", ErrorCode::kNotFound);
  if (!since.empty() && (git_oid_fromstr(&oid, since.c_str()) != 0 || git_revwalk_hide(walk.get(), &oid) != 0))
    return gitError("unknown commit '" + since + "'", ErrorCode::kNotFound);
  std::vector<std::string> out;
  int rc = 0;
  while ((rc = git_revwalk_next(&oid, walk.get())) == 0) out.push_back(shaOf(oid));
  if (rc != GIT_ITEROVER) return gitError("cannot walk the history from '" + head + "'");
  return out;
}

core::Result<std::string> GitRepository::commitObject(const std::string& commit) const {
  git_oid oid;
  if (git_oid_fromstr(&oid, commit.c_str()) != 0)
    return core::Error::invalidArgument("not a commit sha: '" + commit + "'");
  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repo_.get()) != 0) return gitError("cannot open the object database");
  OdbPtr odb(raw_odb);
  git_odb_object* raw = nullptr;
  if (git_odb_read(&raw, odb.get(), &oid) != 0)
    return gitError("unknown commit '" + commit + "'", ErrorCode::kNotFound);
  OdbObjectPtr object(raw);
  if (git_odb_object_type(object.get()) != GIT_OBJECT_COMMIT)
    return core::Error::invalidArgument("'" + commit + "' is not a commit");
  return std::string(static_cast<const char*>(git_odb_object_data(object.get())), git_odb_object_size(object.get()));
}

core::Result<std::string> GitRepository::patchText(git_tree* from, git_tree* to, bool workdir) const {
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.flags = GIT_DIFF_SHOW_BINARY;
  git_diff* raw = nullptr;
  int rc = 0;
  if (workdir) {
    options.flags |= GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS | GIT_DIFF_SHOW_UNTRACKED_CONTENT;
    rc = git_diff_tree_to_workdir_with_index(&raw, repo_.get(), from, &options);
  } else {
    rc = git_diff_tree_to_tree(&raw, repo_.get(), from, to, &options);
  }
  if (rc != 0) return gitError("cannot diff the trees");
  DiffPtr diff(raw);
  git_buf buf = GIT_BUF_INIT;
  if (git_diff_to_buf(&buf, diff.get(), GIT_DIFF_FORMAT_PATCH) != 0) return gitError("cannot format the patch");
  std::string text(buf.ptr ? buf.ptr : "", buf.size);
  git_buf_dispose(&buf);
  return text;
}

core::Result<std::string> GitRepository::commitPatch(const std::string& commit) const {
  git_oid oid;
  if (git_oid_fromstr(&oid, commit.c_str()) != 0)
    return core::Error::invalidArgument("not a commit sha: '" + commit + "'");
  git_commit* raw = nullptr;
  if (git_commit_lookup(&raw, repo_.get(), &oid) != 0)
    return gitError("unknown commit '" + commit + "'", ErrorCode::kNotFound);
  CommitPtr c(raw);
  git_tree* raw_tree = nullptr;
  if (git_commit_tree(&raw_tree, c.get()) != 0) return gitError("cannot read the tree of '" + commit + "'");
  TreePtr tree(raw_tree);
  TreePtr parent_tree;
  if (git_commit_parentcount(c.get()) > 0) {
    git_commit* raw_parent = nullptr;
    if (git_commit_parent(&raw_parent, c.get(), 0) != 0) return gitError("cannot read the parent of '" + commit + "'");
    CommitPtr parent(raw_parent);
    if (git_commit_tree(&raw_tree, parent.get()) != 0) return gitError("cannot read the parent tree of " + commit);
    parent_tree.reset(raw_tree);
  }
  return patchText(parent_tree.get(), tree.get(), false);
}

core::Result<std::string> GitRepository::restoreCommit(const std::string& object, const std::string& patch) {
  git_oid oid;
  if (git_odb_hash(&oid, object.data(), object.size(), GIT_OBJECT_COMMIT) != 0) return gitError("cannot hash a commit");
  const std::string sha = shaOf(oid);
  auto headers = commitHeaders(object);
  if (!headers) return historyError("commit " + sha + ": the stored object is not a commit");
  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repo_.get()) != 0) return gitError("cannot open the object database");
  OdbPtr odb(raw_odb);
  if (git_odb_exists(odb.get(), &oid)) return sha;
  TreePtr base;
  for (std::size_t i = 0; i < headers->parents.size(); ++i) {
    git_commit* raw_parent = nullptr;
    if (git_commit_lookup(&raw_parent, repo_.get(), &headers->parents[i]) != 0)
      return historyError("commit " + sha + ": its parent " + shaOf(headers->parents[i]) + " is not in the repository");
    CommitPtr parent(raw_parent);
    if (i > 0) continue;
    git_tree* raw_tree = nullptr;
    if (git_commit_tree(&raw_tree, parent.get()) != 0) return gitError("cannot read the tree of a parent of " + sha);
    base.reset(raw_tree);
  }
  if (!base) {  // a root commit: its patch starts from the empty tree
    git_treebuilder* raw_builder = nullptr;
    git_oid empty;
    git_tree* raw_tree = nullptr;
    if (git_treebuilder_new(&raw_builder, repo_.get(), nullptr) != 0) return gitError("cannot build the empty tree");
    int rc = git_treebuilder_write(&empty, raw_builder);
    git_treebuilder_free(raw_builder);
    if (rc != 0 || git_tree_lookup(&raw_tree, repo_.get(), &empty) != 0) return gitError("cannot write the empty tree");
    base.reset(raw_tree);
  }
  git_diff* raw_diff = nullptr;
  if (git_diff_from_buffer(&raw_diff, patch.data(), patch.size()) != 0)
    return historyError(gitError("commit " + sha + ": its stored patch cannot be read").message);
  DiffPtr diff(raw_diff);
  git_index* raw_index = nullptr;
  if (git_apply_to_tree(&raw_index, repo_.get(), base.get(), diff.get(), nullptr) != 0)
    return historyError(gitError("commit " + sha + ": its stored patch does not apply").message);
  IndexPtr index(raw_index);
  git_oid tree;
  if (git_index_write_tree_to(&tree, index.get(), repo_.get()) != 0) return gitError("cannot write a tree");
  if (!git_oid_equal(&tree, &headers->tree))
    return historyError("commit " + sha + ": its stored patch makes tree " + shaOf(tree) + ", not the commit's " +
                        shaOf(headers->tree));
  git_oid written;
  if (git_odb_write(&written, odb.get(), object.data(), object.size(), GIT_OBJECT_COMMIT) != 0)
    return gitError("cannot write commit " + sha);
  return sha;
}

core::Result<std::string> GitRepository::workingTreePatch(const std::string& base) const {
  auto tree = treeOf(base);
  if (!tree) return tree.error();
  return patchText(tree->get(), nullptr, true);
}

core::Status GitRepository::applyToWorkingTree(const std::string& patch) {
  if (patch.empty()) return core::okStatus();
  git_diff* raw = nullptr;
  if (git_diff_from_buffer(&raw, patch.data(), patch.size()) != 0)
    return historyError(gitError("the patch cannot be read").message);
  DiffPtr diff(raw);
  if (git_apply(repo_.get(), diff.get(), GIT_APPLY_LOCATION_WORKDIR, nullptr) != 0)
    return historyError(gitError("the patch does not apply to the working tree").message);
  return core::okStatus();
}

core::Status GitRepository::resetBranch(const std::string& name, const std::string& commit) {
  git_oid oid;
  git_commit* raw = nullptr;
  if (git_oid_fromstr(&oid, commit.c_str()) != 0 || git_commit_lookup(&raw, repo_.get(), &oid) != 0)
    return gitError("unknown commit '" + commit + "'", ErrorCode::kNotFound);
  CommitPtr target(raw);
  auto current = currentBranch();
  if (current && *current == name && git_repository_detach_head(repo_.get()) != 0)
    return gitError("cannot detach HEAD from '" + name + "'");
  git_reference* raw_ref = nullptr;
  if (git_branch_create(&raw_ref, repo_.get(), name.c_str(), target.get(), 1) != 0)
    return gitError("cannot point branch '" + name + "' at " + commit);
  ReferencePtr branch(raw_ref);
  git_checkout_options options = GIT_CHECKOUT_OPTIONS_INIT;
  options.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_REMOVE_UNTRACKED;
  if (git_checkout_tree(repo_.get(), reinterpret_cast<git_object*>(target.get()), &options) != 0)
    return gitError("cannot check out " + commit);
  if (git_repository_set_head(repo_.get(), git_reference_name(branch.get())) != 0)
    return gitError("cannot move HEAD to '" + name + "'");
  return core::okStatus();
}

bool GitRepository::descendsFrom(const std::string& head, const std::string& ancestor) const {
  git_oid h, a;
  if (git_oid_fromstr(&h, head.c_str()) != 0 || git_oid_fromstr(&a, ancestor.c_str()) != 0) return false;
  git_commit* raw = nullptr;
  if (git_commit_lookup(&raw, repo_.get(), &a) != 0) return false;
  CommitPtr found(raw);
  return git_oid_equal(&h, &a) || git_graph_descendant_of(repo_.get(), &h, &a) == 1;
}

}  // namespace codecrew::tools
