// StaticFiles: files of the web directory by relative path, their content
// types, and refusal (as not found) of everything that could leave it.
#include "api/static_files.h"

#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace codecrew::api {
namespace {
namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.path() / "dist";
    fs::create_directories(root_ / "assets" / "fonts");
    write(root_ / "index.html", "<!doctype html><div id=root></div>");
    write(root_ / "favicon.svg", "<svg/>");
    write(root_ / "assets" / "index-3f9a.js", "console.log(1)");
    write(root_ / "assets" / "fonts" / "a.woff2", "wOF2");
    write(root_ / ".env", "SECRET=1");
    write(dir_.path() / "secret.txt", "outside");
  }

  static void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

  bool found(std::string_view relative) const { return StaticFiles(root_).read(relative).ok(); }

  codecrew::testing::TempDir dir_;
  fs::path root_;
};

TEST_F(StaticFilesTest, ReadsFilesUnderTheRootWithTheirType) {
  StaticFiles files(root_);
  EXPECT_TRUE(files.hasIndex());
  auto index = files.read("index.html");
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->body, "<!doctype html><div id=root></div>");
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  auto js = files.read("assets/index-3f9a.js");
  ASSERT_TRUE(js.ok());
  EXPECT_EQ(js->body, "console.log(1)");
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(files.read("assets/fonts/a.woff2")->content_type, "font/woff2");
  EXPECT_EQ(files.read("favicon.svg")->content_type, "image/svg+xml");
}

TEST_F(StaticFilesTest, ContentTypes) {
  EXPECT_EQ(StaticFiles::contentType("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(StaticFiles::contentType("logo.png"), "image/png");
  EXPECT_EQ(StaticFiles::contentType("manifest.json"), "application/json");
  EXPECT_EQ(StaticFiles::contentType("index-1.js.map"), "application/json");
  EXPECT_EQ(StaticFiles::contentType("favicon.ico"), "image/x-icon");
  EXPECT_EQ(StaticFiles::contentType("x.woff2"), "font/woff2");
  EXPECT_EQ(StaticFiles::contentType("x.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticFiles::contentType("README"), "application/octet-stream");
  EXPECT_EQ(StaticFiles::contentType(".js"), "application/octet-stream");
}

TEST_F(StaticFilesTest, MissingFilesAndDirectoriesAreNotFound) {
  auto missing = StaticFiles(root_).read("assets/nope.js");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("assets/nope.js"), std::string::npos);
  EXPECT_FALSE(found("assets"));
  EXPECT_FALSE(found("assets/"));
  EXPECT_FALSE(found(""));
  StaticFiles none(dir_.path() / "not-built");
  EXPECT_FALSE(none.hasIndex());
  EXPECT_FALSE(none.read("index.html").ok());
  EXPECT_FALSE(StaticFiles("").read("index.html").ok());
}

TEST_F(StaticFilesTest, TraversalIsRefusedAsNotFound) {
  for (const char* p :
       {"../secret.txt", "assets/../../secret.txt", "assets/../index.html", "./index.html", "/etc/passwd",
        "assets//index-3f9a.js", "assets\\..\\..\\secret.txt", ".env", "assets/.hidden"}) {
    auto r = StaticFiles(root_).read(p);
    ASSERT_FALSE(r.ok()) << p;
    EXPECT_EQ(r.error().code, core::ErrorCode::kNotFound) << p;
  }
  EXPECT_FALSE(found(std::string_view("index.html\0x", 12)));
  EXPECT_FALSE(found((dir_.path() / "secret.txt").string()));
}

TEST_F(StaticFilesTest, SymlinksMayNotLeaveTheRoot) {
  fs::create_symlink(dir_.path() / "secret.txt", root_ / "escape.txt");
  fs::create_directory_symlink(dir_.path(), root_ / "assets" / "up");
  fs::create_symlink(root_ / "favicon.svg", root_ / "assets" / "icon.svg");
  EXPECT_FALSE(found("escape.txt"));
  EXPECT_FALSE(found("assets/up/secret.txt"));
  EXPECT_TRUE(found("assets/icon.svg"));  // a link that stays inside is fine
}

TEST_F(StaticFilesTest, ARootThatIsASymlinkStillServes) {
  fs::create_directory_symlink(root_, dir_.path() / "current");
  StaticFiles files(dir_.path() / "current");
  EXPECT_TRUE(files.read("assets/index-3f9a.js").ok());
  EXPECT_FALSE(files.read("../secret.txt").ok());
}

}  // namespace
}  // namespace codecrew::api
