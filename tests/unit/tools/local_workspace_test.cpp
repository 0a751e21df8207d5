#include "tools/workspace/local_workspace.h"

#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace codecrew::tools {
namespace {

namespace fs = std::filesystem;
using core::ErrorCode;

std::string ruleOf(const core::Error& e) {
  if (!e.details.is_object()) return "";
  auto* rule = e.details.as_object().if_contains("rule");
  return rule ? std::string(rule->as_string()) : "";
}

class LocalWorkspaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::make_unique<testing::TempDir>();
    outside_ = std::make_unique<testing::TempDir>();
    fs::create_directories(root_->path() / "ws");
    root_->write("ws/src/main.cpp", "int main() {}\n");
    outside_->write("secret.txt", "top secret\n");
    auto ws = LocalWorkspace::open((root_->path() / "ws").string(), limits_);
    ASSERT_TRUE(ws.ok());
    ws_ = std::move(ws.value());
  }
  fs::path wsPath() const { return root_->path() / "ws"; }

  WorkspaceLimits limits_{.maxFileBytes = 1024, .maxPathBytes = 256, .maxListEntries = 1000};
  std::unique_ptr<testing::TempDir> root_;
  std::unique_ptr<testing::TempDir> outside_;
  std::unique_ptr<LocalWorkspace> ws_;
};

TEST_F(LocalWorkspaceTest, ReadsWritesAndListsInsideRoot) {
  ASSERT_TRUE(ws_->writeFile("a/b/c.txt", "hello").ok());
  auto content = ws_->readFile("a/b/c.txt");
  ASSERT_TRUE(content.ok());
  EXPECT_EQ(*content, "hello");
  ASSERT_TRUE(ws_->writeFile("a/b/c.txt", "again").ok());
  EXPECT_EQ(*ws_->readFile("./a//b/../b/c.txt"), "again");
  auto listing = ws_->list({});
  ASSERT_TRUE(listing.ok());
  std::vector<std::string> paths;
  for (const auto& e : listing->entries) paths.push_back(e.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"a", "a/b", "a/b/c.txt", "src", "src/main.cpp"}));
  for (const auto& e : fs::directory_iterator(wsPath() / "a/b")) {
    EXPECT_EQ(e.path().filename(), "c.txt") << "no temporary files are left behind";
  }
}

TEST_F(LocalWorkspaceTest, RefusesDotDotEscape) {
  auto r = ws_->readFile("../../etc/passwd");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ruleOf(r.error()), "escapes_root");
  EXPECT_EQ(ruleOf(ws_->writeFile("a/../../x", "x").error()), "escapes_root");
  EXPECT_EQ(ruleOf(ws_->move("src/main.cpp", "../moved", false).error()), "escapes_root");
  EXPECT_EQ(ruleOf(ws_->remove("src/../..", true).error()), "escapes_root");
  EXPECT_TRUE(fs::exists(root_->path() / "ws/src/main.cpp"));
}

TEST_F(LocalWorkspaceTest, RefusesAbsolutePaths) {
  auto r = ws_->readFile("/etc/passwd");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ruleOf(r.error()), "absolute_path");
  EXPECT_NE(r.error().message.find("/etc/passwd"), std::string::npos);
  EXPECT_EQ(ruleOf(ws_->writeFile("/tmp/evil", "x").error()), "absolute_path");
  EXPECT_EQ(ruleOf(ws_->remove("/tmp", true).error()), "absolute_path");
}

TEST_F(LocalWorkspaceTest, RefusesSymlinkToEtc) {
  fs::create_symlink("/etc", wsPath() / "etc");
  fs::create_symlink("/etc/passwd", wsPath() / "passwd");
  EXPECT_EQ(ruleOf(ws_->readFile("etc/passwd").error()), "escapes_root");
  EXPECT_EQ(ruleOf(ws_->readFile("passwd").error()), "escapes_root");
  EXPECT_EQ(ruleOf(ws_->writeFile("etc/evil.conf", "x").error()), "escapes_root");
  EXPECT_FALSE(fs::exists("/etc/evil.conf"));
  EXPECT_EQ(ruleOf(ws_->writeFile("passwd", "x").error()), "symlink_target");
  auto listing = ws_->list({.directory = "etc"});
  ASSERT_FALSE(listing.ok());
  EXPECT_EQ(ruleOf(listing.error()), "escapes_root");
  // Deleting the link removes the link, never the target.
  ASSERT_TRUE(ws_->remove("etc", true).ok());
  EXPECT_TRUE(fs::exists("/etc/passwd"));
}

TEST_F(LocalWorkspaceTest, RefusesRelativeSymlinkLeavingRoot) {
  fs::create_symlink("../../" + outside_->path().filename().string() + "/secret.txt", wsPath() / "s");
  fs::create_symlink(outside_->path(), wsPath() / "out");
  EXPECT_EQ(ruleOf(ws_->readFile("s").error()), "escapes_root");
  EXPECT_EQ(ruleOf(ws_->writeFile("out/new.txt", "x").error()), "escapes_root");
  EXPECT_FALSE(fs::exists(outside_->path() / "new.txt"));
}

TEST_F(LocalWorkspaceTest, FollowsSymlinksThatStayInside) {
  fs::create_symlink("src/main.cpp", wsPath() / "link.cpp");
  auto r = ws_->readFile("link.cpp");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "int main() {}\n");
}

TEST_F(LocalWorkspaceTest, RefusesSymlinkLoops) {
  fs::create_symlink("loop2", wsPath() / "loop1");
  fs::create_symlink("loop1", wsPath() / "loop2");
  auto r = ws_->readFile("loop1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ruleOf(r.error()), "symlink_loop");
  EXPECT_EQ(ruleOf(ws_->writeFile("loop1/x", "x").error()), "symlink_loop");
  EXPECT_TRUE(ws_->list({}).ok()) << "listing does not follow links, so loops are harmless";
}

TEST_F(LocalWorkspaceTest, RefusesWritesThroughHardLinkToOutsideFile) {
  std::error_code ec;
  fs::create_hard_link(outside_->path() / "secret.txt", wsPath() / "hard.txt", ec);
  if (ec) GTEST_SKIP() << "temp dirs on different filesystems: " << ec.message();
  auto s = ws_->writeFile("hard.txt", "overwritten");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(ruleOf(s.error()), "hard_link");
  std::ifstream in(outside_->path() / "secret.txt");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "top secret\n");
}

TEST_F(LocalWorkspaceTest, RefusesVeryLongPaths) {
  std::string longName(300, 'a');
  EXPECT_EQ(ruleOf(ws_->readFile(longName).error()), "path_too_long");
  std::string longComponent(250, 'b');
  WorkspaceLimits wide{.maxFileBytes = 1024, .maxPathBytes = 100000};
  auto ws = LocalWorkspace::open(wsPath().string(), wide);
  ASSERT_TRUE(ws.ok());
  EXPECT_EQ(ruleOf((*ws)->writeFile(std::string(300, 'c'), "x").error()), "component_too_long");
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += longComponent + "/";
  EXPECT_FALSE((*ws)->writeFile(deep + "f", "x").ok());
}

TEST_F(LocalWorkspaceTest, RefusesNulBytes) {
  std::string path("src/main.cpp\0/../../etc/passwd", 30);
  EXPECT_EQ(ruleOf(ws_->readFile(path).error()), "nul_byte");
  EXPECT_EQ(ruleOf(ws_->writeFile(path, "x").error()), "nul_byte");
  EXPECT_EQ(ruleOf(ws_->move(path, "x", true).error()), "nul_byte");
  EXPECT_EQ(ruleOf(ws_->remove(path, true).error()), "nul_byte");
}

TEST_F(LocalWorkspaceTest, RefusesDeviceFilesFifosAndSockets) {
  fs::create_symlink("/dev/zero", wsPath() / "zero");
  EXPECT_FALSE(ws_->readFile("zero").ok());
  ASSERT_EQ(::mkfifo((wsPath() / "fifo").c_str(), 0644), 0);
  auto r = ws_->readFile("fifo");
  ASSERT_FALSE(r.ok()) << "must not block on the fifo either";
  EXPECT_EQ(ruleOf(r.error()), "not_regular_file");
  EXPECT_EQ(ruleOf(ws_->writeFile("fifo", "x").error()), "not_regular_file");
  if (::mknod((wsPath() / "null").c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0) {
    EXPECT_EQ(ruleOf(ws_->readFile("null").error()), "not_regular_file");
    EXPECT_EQ(ruleOf(ws_->writeFile("null", "x").error()), "not_regular_file");
  }
  int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string sockPath = (wsPath() / "sock").string();
  std::snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", sockPath.c_str());
  if (::bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    EXPECT_FALSE(ws_->readFile("sock").ok());
  }
  ::close(sock);
}

TEST_F(LocalWorkspaceTest, RefusesFilesOverSizeLimit) {
  root_->write("ws/big.bin", std::string(2048, 'x'));
  EXPECT_EQ(ruleOf(ws_->readFile("big.bin").error()), "size_limit");
  EXPECT_EQ(ruleOf(ws_->writeFile("new.bin", std::string(2048, 'y')).error()), "size_limit");
  EXPECT_FALSE(fs::exists(wsPath() / "new.bin"));
}

TEST_F(LocalWorkspaceTest, ProtectsGitDirAndRoot) {
  EXPECT_EQ(ruleOf(ws_->writeFile(".git/hooks/pre-commit", "x").error()), "protected_git_dir");
  EXPECT_EQ(ruleOf(ws_->remove("", true).error()), "workspace_root");
  EXPECT_EQ(ruleOf(ws_->remove("src/..", true).error()), "workspace_root");
}

TEST_F(LocalWorkspaceTest, MovesAndDeletes) {
  ASSERT_TRUE(ws_->move("src/main.cpp", "lib/app.cpp", false).ok());
  EXPECT_TRUE(fs::exists(wsPath() / "lib/app.cpp"));
  ASSERT_TRUE(ws_->writeFile("x.txt", "x").ok());
  auto clash = ws_->move("x.txt", "lib/app.cpp", false);
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code, ErrorCode::kAlreadyExists);
  ASSERT_TRUE(ws_->move("x.txt", "lib/app.cpp", true).ok());
  EXPECT_EQ(*ws_->readFile("lib/app.cpp"), "x");
  EXPECT_EQ(ruleOf(ws_->remove("lib", false).error()), "directory_not_empty");
  ASSERT_TRUE(ws_->remove("lib", true).ok());
  EXPECT_FALSE(fs::exists(wsPath() / "lib"));
  EXPECT_EQ(ws_->remove("lib", true).error().code, ErrorCode::kNotFound);
}

TEST_F(LocalWorkspaceTest, ListRespectsGitignoreWithoutRepository) {
  root_->write("ws/.gitignore", "build/\n*.log\n!keep.log\n/top.txt\n");
  root_->write("ws/build/out.o", "x");
  root_->write("ws/a.log", "x");
  root_->write("ws/keep.log", "x");
  root_->write("ws/top.txt", "x");
  root_->write("ws/src/top.txt", "x");
  auto ws = LocalWorkspace::open(wsPath().string(), limits_);
  ASSERT_TRUE(ws.ok());
  auto listing = (*ws)->list({});
  ASSERT_TRUE(listing.ok());
  std::vector<std::string> paths;
  for (const auto& e : listing->entries) paths.push_back(e.path);
  EXPECT_EQ(paths, (std::vector<std::string>{".gitignore", "keep.log", "src", "src/main.cpp", "src/top.txt"}));
  auto all = (*ws)->list({.includeIgnored = true});
  EXPECT_EQ(all->entries.size(), 9u);
}

}  // namespace
}  // namespace codecrew::tools
