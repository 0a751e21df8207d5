// Golden-file tests of the ADF converter: each tests/data/jira/adf/<case>.json
// (a Jira field's value: an ADF document, a string, a list, null) must become
// <case>.md exactly. CODECREW_UPDATE_GOLDEN=1 rewrites the .md files (then
// read the diff before committing it).
#include "integrations/jira/adf_markdown.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace codecrew::integrations::jira {
namespace {

namespace bj = boost::json;
namespace fs = std::filesystem;

fs::path adfDir() { return fs::path(CODECREW_JIRA_TEST_DATA) / "adf"; }

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> caseNames() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(adfDir()))
    if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

class AdfGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(AdfGolden, RendersTheExpectedMarkdown) {
  const auto input = bj::parse(readFile(adfDir() / (GetParam() + ".json")));
  const std::string rendered = adfToMarkdown(input) + "\n";
  const auto expected_path = adfDir() / (GetParam() + ".md");
  const char* update = std::getenv("CODECREW_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") std::ofstream(expected_path, std::ios::binary) << rendered;
  ASSERT_TRUE(fs::exists(expected_path)) << expected_path << " is missing (CODECREW_UPDATE_GOLDEN=1 writes it)";
  EXPECT_EQ(rendered, readFile(expected_path));
}

INSTANTIATE_TEST_SUITE_P(Cases, AdfGolden, ::testing::ValuesIn(caseNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(AdfMarkdownTest, EveryGoldenCaseHasItsExpectedFile) {
  for (const auto& name : caseNames()) EXPECT_TRUE(fs::exists(adfDir() / (name + ".md"))) << name;
  EXPECT_GE(caseNames().size(), 5u);
}

TEST(AdfMarkdownTest, ValuesThatAreNotDocumentsGiveNothing) {
  EXPECT_EQ(adfToMarkdown(bj::value(42)), "");
  EXPECT_EQ(adfToMarkdown(bj::object{{"no", "type"}}), "");
  EXPECT_EQ(adfToMarkdown(bj::parse(R"({"type": "doc", "content": "not a list"})")), "");
  EXPECT_EQ(adfToMarkdown(bj::parse(R"({"type": "doc", "content": [{"type": "paragraph", "content": [1, null]}]})")),
            "");
}

TEST(AdfMarkdownTest, DeepNestingKeepsEveryLevel) {
  bj::value node = bj::object{{"type", "text"}, {"text", "deep"}};
  node = bj::object{{"type", "paragraph"}, {"content", bj::array{node}}};
  for (int i = 0; i < 50; ++i) node = bj::object{{"type", "blockquote"}, {"content", bj::array{node}}};
  auto out = adfToMarkdown(bj::object{{"type", "doc"}, {"content", bj::array{node}}});
  EXPECT_NE(out.find("deep"), std::string::npos);
  EXPECT_EQ(std::count(out.begin(), out.end(), '>'), 50);
}

}  // namespace
}  // namespace codecrew::integrations::jira
