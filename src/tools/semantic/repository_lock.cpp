#include "tools/semantic/repository_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <map>

namespace codecrew::tools {
namespace repository_lock_detail {

std::shared_ptr<std::mutex> mutexFor(const std::filesystem::path& folder) {
  static std::mutex guard;
  static std::map<std::string, std::shared_ptr<std::mutex>> mutexes;
  std::lock_guard lock(guard);
  auto& m = mutexes[folder.lexically_normal().string()];
  if (!m) m = std::make_shared<std::mutex>();
  return m;
}

}  // namespace repository_lock_detail

core::Result<RepositoryLock> RepositoryLock::acquire(const std::filesystem::path& folder) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  auto mutex = repository_lock_detail::mutexFor(folder);
  mutex->lock();
  int fd = ::open((folder / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    mutex->unlock();
    return core::Error::internal("cannot open the index lock in " + folder.string());
  }
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    ::close(fd);
    mutex->unlock();
    return core::Error::internal("cannot lock the index in " + folder.string());
  }
  return RepositoryLock(std::move(mutex), fd);
}

RepositoryLock::RepositoryLock(RepositoryLock&& other) noexcept
    : mutex_(std::move(other.mutex_)), fd_(std::exchange(other.fd_, -1)) {}

RepositoryLock::~RepositoryLock() {
  if (fd_ < 0) return;
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
  mutex_->unlock();
}

}  // namespace codecrew::tools
