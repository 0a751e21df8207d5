// ObjectBatch: the objects a repository writes while the batch is open are
// kept in memory and reach the disk as one pack when the batch is written
// (two files: the pack and its index), instead of one loose file, and often
// one fan-out directory, per object. A commit of one changed file writes five
// objects (the blob, three trees, the commit): on a busy file system each
// created file is the most expensive thing a crew step does.
//
// Contract: while open, the repository reads every object it had (its own
// object directory and its alternates) and the batch's; after write() the
// batch's objects are on disk and the repository is as it was; after
// discard(), or when the batch is destroyed unwritten, they are forgotten.
// Nothing written may be referenced from disk (a ref, the index) before
// write() has returned ok: a process that dies first leaves no reference to
// an object it never stored.
// Thread-safety: one batch per repository at a time, on the repository's
// thread (a GitRepository is not shared between threads).
#pragma once

#include "core/result.h"
#include "tools/git/libgit.h"

namespace codecrew::tools {

class ObjectBatch {
 public:
  // Swaps the repository's object database for one that writes to memory.
  static core::Result<ObjectBatch> open(git_repository* repo);

  ObjectBatch(ObjectBatch&& other) noexcept;
  ObjectBatch& operator=(ObjectBatch&&) = delete;
  ObjectBatch(const ObjectBatch&) = delete;
  ~ObjectBatch();

  // Stores the batch's objects as one pack in the repository's object
  // directory and gives the repository back its own database.
  core::Status write();
  // Gives the repository back its own database; the batch's objects are lost.
  void discard();

 private:
  ObjectBatch(git_repository* repo, OdbPtr original, OdbPtr staged, git_odb_backend* memory)
      : repo_(repo), original_(std::move(original)), staged_(std::move(staged)), memory_(memory) {}

  git_repository* repo_;
  OdbPtr original_;          // the repository's own database, restored at the end
  OdbPtr staged_;            // memory first, then the original's directories
  git_odb_backend* memory_;  // owned by staged_
};

}  // namespace codecrew::tools
