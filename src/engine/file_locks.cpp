#include "engine/file_locks.h"

#include <filesystem>

namespace codecrew::engine {

std::string FileLockTable::normalise(const std::string& path) {
  std::string p = std::filesystem::path(path).lexically_normal().generic_string();
  while (p.starts_with("./")) p.erase(0, 2);
  return p;
}

bool FileLockTable::tryLockAll(const std::vector<std::string>& paths, const std::string& owner) {
  std::lock_guard lock(mu_);
  for (const auto& p : paths) {
    auto it = owners_.find(normalise(p));
    if (it != owners_.end() && it->second != owner) return false;
  }
  for (const auto& p : paths) owners_[normalise(p)] = owner;
  return true;
}

bool FileLockTable::tryLock(const std::string& path, const std::string& owner) { return tryLockAll({path}, owner); }

std::optional<std::string> FileLockTable::holder(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = owners_.find(normalise(path));
  if (it == owners_.end()) return std::nullopt;
  return it->second;
}

void FileLockTable::unlockAll(const std::string& owner) {
  std::lock_guard lock(mu_);
  std::erase_if(owners_, [&](const auto& kv) { return kv.second == owner; });
}

std::size_t FileLockTable::lockedCount() const {
  std::lock_guard lock(mu_);
  return owners_.size();
}

}  // namespace codecrew::engine
