// Small shared helpers for code that calls libgit2: one-time library
// initialisation, RAII owners for libgit2 objects, and the conversion of the
// last libgit2 error into a core::Error.
// Thread-safety: ensureLibgit2 may be called from any thread, any number of
// times; the owners are move-only values.
#pragma once

#include "core/error.h"

#include <git2.h>

#include <memory>
#include <string_view>

namespace codecrew::tools {

// Initialises libgit2 once per process (never shut down).
void ensureLibgit2();

// An Error describing the last libgit2 failure, prefixed with what was tried.
core::Error gitError(std::string_view what, core::ErrorCode code = core::ErrorCode::kInternal);

template <typename T, void (*Free)(T*)>
struct GitDeleter {
  void operator()(T* p) const {
    if (p) Free(p);
  }
};
template <typename T, void (*Free)(T*)>
using GitPtr = std::unique_ptr<T, GitDeleter<T, Free>>;

using RepoPtr = GitPtr<git_repository, git_repository_free>;
using IndexPtr = GitPtr<git_index, git_index_free>;
using TreePtr = GitPtr<git_tree, git_tree_free>;
using CommitPtr = GitPtr<git_commit, git_commit_free>;
using ReferencePtr = GitPtr<git_reference, git_reference_free>;
using DiffPtr = GitPtr<git_diff, git_diff_free>;
using SignaturePtr = GitPtr<git_signature, git_signature_free>;
using ObjectPtr = GitPtr<git_object, git_object_free>;
using StatusListPtr = GitPtr<git_status_list, git_status_list_free>;
using OdbPtr = GitPtr<git_odb, git_odb_free>;
using RevwalkPtr = GitPtr<git_revwalk, git_revwalk_free>;

}  // namespace codecrew::tools
