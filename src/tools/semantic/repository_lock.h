// RepositoryLock: exclusive access to one repository's index folder, for the
// threads of this process (a mutex per folder) and for other processes (an
// flock(2) on <folder>/lock), so concurrent executions of one repository,
// in the server or in separate workers, update and read it one at a time.
// The lock is held for the object's lifetime.
// Thread-safety: acquire() may be called from any thread; a RepositoryLock
// belongs to the thread that holds it.
#pragma once

#include "core/result.h"

#include <filesystem>
#include <memory>
#include <mutex>

namespace codecrew::tools {

class RepositoryLock {
 public:
  // Blocks until both locks are held; creates the folder. kInternal when
  // the lock file cannot be opened.
  static core::Result<RepositoryLock> acquire(const std::filesystem::path& folder);
  RepositoryLock(RepositoryLock&& other) noexcept;
  RepositoryLock& operator=(RepositoryLock&&) = delete;
  ~RepositoryLock();

 private:
  RepositoryLock(std::shared_ptr<std::mutex> mutex, int fd) : mutex_(std::move(mutex)), fd_(fd) {}
  std::shared_ptr<std::mutex> mutex_;  // locked while fd_ >= 0
  int fd_ = -1;
};

}  // namespace codecrew::tools
