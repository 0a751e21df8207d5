// Helpers for the code-layer tests: file trees on disk, running git and GNU
// patch on them, and locating the golden fixtures. Header-only because the
// test build compiles only *_test.cpp files of this folder.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace codecrew::code::testing {

using Tree = std::map<std::string, std::string>;  // relative path -> content

inline std::filesystem::path goldenDir() {
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "data" / "diff";
}

inline std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void writeFile(const std::filesystem::path& p, const std::string& content) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << content;
}

// Every regular file below `root` (none when root is missing).
inline Tree readTree(const std::filesystem::path& root) {
  Tree tree;
  if (!std::filesystem::exists(root)) return tree;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) tree[std::filesystem::relative(e.path(), root).generic_string()] = readFile(e.path());
  }
  return tree;
}

inline void writeTree(const std::filesystem::path& root, const Tree& tree) {
  std::filesystem::create_directories(root);
  for (const auto& [path, content] : tree) writeFile(root / path, content);
}

struct CommandResult {
  int status = -1;
  std::string output;  // stdout and stderr together
};

// Runs a shell command in `dir` (a directory inside a test's TempDir) and
// captures what it prints.
inline CommandResult runIn(const std::filesystem::path& dir, const std::string& command) {
  // Git must not read the user's configuration or find a repository above `dir`.
  std::string full = "export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_CEILING_DIRECTORIES='" +
                     dir.parent_path().string() + "'; cd '" + dir.string() + "' && { " + command +
                     " ; } 2>&1 </dev/null";
  CommandResult r;
  FILE* pipe = popen(full.c_str(), "r");
  if (!pipe) return r;
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) r.output.append(buf, n);
  r.status = pclose(pipe);
  return r;
}

}  // namespace codecrew::code::testing
