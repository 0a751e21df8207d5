// FileLockTable: which agent task currently owns which workspace file, so two
// agents never edit one file at once. A task takes all the files it declares
// before it starts (all or none, so no deadlock), and any further file when
// it first writes it; everything it holds is released when it ends.
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::engine {

class FileLockTable {
 public:
  // Takes every path for owner, or none when any is held by another owner.
  bool tryLockAll(const std::vector<std::string>& paths, const std::string& owner);
  // Takes one path (re-entrant for the same owner); false if another owner holds it.
  bool tryLock(const std::string& path, const std::string& owner);
  // The owner of a path, if any.
  std::optional<std::string> holder(const std::string& path) const;
  // Releases every path owner holds.
  void unlockAll(const std::string& owner);
  std::size_t lockedCount() const;

 private:
  static std::string normalise(const std::string& path);

  mutable std::mutex mu_;
  std::map<std::string, std::string> owners_;  // path -> owner; guarded by mu_
};

}  // namespace codecrew::engine
