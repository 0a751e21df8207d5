// A copy of tests/data/repo_fixture in a temp dir, plus files that must be
// skipped (ignored by .gitignore, binary), opened as a LocalWorkspace.
#pragma once

#include "tools/workspace/local_workspace.h"

#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace codecrew::tools {

class FixtureRepoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto source = std::filesystem::path(__FILE__).parent_path() / "../../data/repo_fixture";
    std::filesystem::copy(source, dir_.path(), std::filesystem::copy_options::recursive);
    dir_.write("generated/huge.cpp", "struct Vec2 {}; // TODO ignored\n");
    dir_.write("notes.tmp", "TODO ignored\n");
    dir_.write("assets/blob.bin", std::string("TODO\0binary", 11));
    auto ws = LocalWorkspace::open(dir_.str());
    ASSERT_TRUE(ws.ok());
    ws_ = std::move(ws.value());
  }

  testing::TempDir dir_;
  std::unique_ptr<LocalWorkspace> ws_;
};

}  // namespace codecrew::tools
