#include "support/temp_dir.h"

#include <stdlib.h>
#include <fstream>
#include <stdexcept>

namespace codecrew::testing {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "codecrew-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
  // Traversable by others, as a data directory is: a server run as root
  // runs sandboxed commands as the sandbox's user, which must reach the
  // workspaces under it (mkdtemp makes 0700).
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                          std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                          std::filesystem::perms::others_exec);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::write(const std::string& relative, const std::string& content) const {
  auto p = path_ / relative;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << content;
  return p;
}

}  // namespace codecrew::testing
