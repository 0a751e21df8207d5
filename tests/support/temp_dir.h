// TempDir: a fresh directory under the system temp dir, removed with its
// contents when the object is destroyed. For hermetic tests.
#pragma once

#include <filesystem>
#include <string>

namespace codecrew::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  // Writes content to a file below the directory (creating parent folders).
  std::filesystem::path write(const std::string& relative, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

}  // namespace codecrew::testing
