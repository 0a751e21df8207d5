#include "tools/git/object_batch.h"

#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>

#include <string>

namespace codecrew::tools {

core::Result<ObjectBatch> ObjectBatch::open(git_repository* repo) {
  git_odb* raw = nullptr;
  if (git_repository_odb(&raw, repo) != 0) return gitError("cannot open the object database");
  OdbPtr original(raw);
  raw = nullptr;
  if (git_odb_new(&raw) != 0) return gitError("cannot make an object database");
  OdbPtr staged(raw);
  git_odb_backend* memory = nullptr;
  if (git_mempack_new(&memory) != 0) return gitError("cannot make an in-memory object store");
  if (git_odb_add_backend(staged.get(), memory, 1000) != 0) {
    memory->free(memory);
    return gitError("cannot add the in-memory object store");
  }
  // The repository's objects (its directory, as an alternate, with its own
  // alternates): read, never written, through the staged database.
  const std::string objects = std::string(git_repository_path(repo)) + "objects";
  if (git_odb_add_disk_alternate(staged.get(), objects.c_str()) != 0)
    return gitError("cannot read the object directory");
  if (git_repository_set_odb(repo, staged.get()) != 0) return gitError("cannot stage objects in memory");
  return ObjectBatch(repo, std::move(original), std::move(staged), memory);
}

ObjectBatch::ObjectBatch(ObjectBatch&& other) noexcept
    : repo_(other.repo_),
      original_(std::move(other.original_)),
      staged_(std::move(other.staged_)),
      memory_(other.memory_) {
  other.repo_ = nullptr;
}

ObjectBatch::~ObjectBatch() { discard(); }

void ObjectBatch::discard() {
  if (!repo_) return;
  git_repository_set_odb(repo_, original_.get());
  repo_ = nullptr;
}

core::Status ObjectBatch::write() {
  if (!repo_) return core::Error::internal("the object batch was already written or discarded");
  git_buf pack = GIT_BUF_INIT;
  int rc = git_mempack_dump(&pack, repo_, memory_);
  // Back to the repository's own database before anything else can fail.
  git_odb* original = original_.get();
  git_repository_set_odb(repo_, original);
  repo_ = nullptr;
  if (rc != 0) {
    git_buf_dispose(&pack);
    return gitError("cannot pack the new objects");
  }
  git_odb_writepack* writer = nullptr;
  git_indexer_progress progress{};
  if (git_odb_write_pack(&writer, original, nullptr, nullptr) != 0) {
    git_buf_dispose(&pack);
    return gitError("cannot write a pack");
  }
  rc = writer->append(writer, pack.ptr, pack.size, &progress);
  if (rc == 0) rc = writer->commit(writer, &progress);
  writer->free(writer);
  git_buf_dispose(&pack);
  if (rc != 0) return gitError("cannot write the new objects");
  return core::okStatus();  // the database finds the new pack on its first miss
}

}  // namespace codecrew::tools
