// For the fake GitHub's own tests: a working clone driven with the git CLI
// over the fake's smart HTTP, the token sent as http.extraHeader (never in
// the URL).
// Thread-safety: one test thread owns each object.
#pragma once

#include "fake_git.h"
#include "fake_github.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace codecrew::testing {

class TestWorkdir {
 public:
  // token: the one sent ("" sends no Authorization header).
  TestWorkdir(const FakeGitHub& hub, std::string token) : hub_(hub), token_(std::move(token)) {}

  std::string path() const { return (dir_.path() / "work").string(); }

  // `git <args>` in the clone (or in the temp dir before it exists), with the token.
  fake_git::GitRun git(std::vector<std::string> args, bool in_clone = true) const {
    std::vector<std::string> all;
    if (!token_.empty()) {
      all.push_back("-c");
      all.push_back("http.extraHeader=Authorization: " + FakeGitHub::basicAuthorization(token_));
    }
    all.insert(all.end(), args.begin(), args.end());
    auto r = fake_git::git(all, in_clone ? path() : dir_.str());
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : fake_git::GitRun{};
  }

  fake_git::GitRun clone(const std::string& owner, const std::string& name) const {
    return git({"clone", "--quiet", hub_.gitUrl(owner, name), path()}, false);
  }

  void write(const std::string& file, const std::string& content) const {
    auto target = std::filesystem::path(path()) / file;
    std::filesystem::create_directories(target.parent_path());
    std::ofstream(target, std::ios::binary) << content;
  }

  // Writes the file and commits it; the new commit's sha.
  std::string commit(const std::string& file, const std::string& content, const std::string& message) const {
    write(file, content);
    EXPECT_TRUE(git({"add", "-A"}).ok());
    auto c = git({"commit", "--quiet", "-m", message});
    EXPECT_TRUE(c.ok()) << c.err;
    return head();
  }

  std::string head() const {
    auto r = git({"rev-parse", "HEAD"});
    std::string out = r.out;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }

 private:
  const FakeGitHub& hub_;
  std::string token_;
  TempDir dir_;
};

}  // namespace codecrew::testing
