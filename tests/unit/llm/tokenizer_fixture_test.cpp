// Token ids and counts against fixtures generated from js-tiktoken (and
// tiktoken where the two differ): tests/data/tokenizer/expected.json.
#include "tokenizer_test_env.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace codecrew::llm::tokenizer {
namespace {

namespace json = boost::json;

const json::object& fixture() {
  static const json::object* parsed = [] {
    const std::string text = testenv::readFile(testenv::fixturesDir() + "/expected.json");
    auto value = json::parse(text);
    return new json::object(std::move(value.as_object()));
  }();
  return *parsed;
}

const char* const kEncodings[] = {"cl100k_base", "o200k_base"};

std::vector<uint32_t> idsOf(const json::value& v) {
  std::vector<uint32_t> ids;
  for (const auto& id : v.as_array()) ids.push_back(static_cast<uint32_t>(id.to_number<int64_t>()));
  return ids;
}

// The text a count case describes: inline, a corpus file, or a repeated unit.
std::string caseText(const json::object& c) {
  if (const auto* text = c.if_contains("text")) return std::string(text->as_string());
  if (const auto* file = c.if_contains("file")) {
    return testenv::readFile(testenv::fixturesDir() + "/" + std::string(file->as_string()));
  }
  std::string out;
  const std::string unit(c.at("repeat").as_string());
  for (int64_t k = 0; k < c.at("times").to_number<int64_t>(); ++k) out += unit;
  return out;
}

TEST(TokenizerFixture, FixtureHasBothSections) {
  EXPECT_GE(fixture().at("ids").as_array().size(), 25u);
  EXPECT_GE(fixture().at("counts").as_array().size(), 500u);
}

TEST(TokenizerFixture, IdsMatchForFixedStrings) {
  for (const char* encoding : kEncodings) {
    const auto tok = testenv::tokenizerFor(encoding);
    ASSERT_NE(tok, nullptr);
    for (const auto& entry : fixture().at("ids").as_array()) {
      const auto& c = entry.as_object();
      const std::string text(c.at("text").as_string());
      const bool special = c.at("special").as_bool();
      const auto got = special ? tok->encode(text, SpecialTokenPolicy::all()) : tok->encode(text);
      EXPECT_EQ(got, idsOf(c.at(encoding))) << encoding << " " << c.at("name").as_string();
      EXPECT_EQ(tok->decode(got), text) << encoding << " " << c.at("name").as_string();
    }
  }
}

TEST(TokenizerFixture, CountsMatchOnTheCorpus) {
  for (const char* encoding : kEncodings) {
    const auto tok = testenv::tokenizerFor(encoding);
    ASSERT_NE(tok, nullptr);
    size_t checked = 0;
    for (const auto& entry : fixture().at("counts").as_array()) {
      const auto& c = entry.as_object();
      const std::string text = caseText(c);
      const auto expected = static_cast<size_t>(c.at(encoding).to_number<int64_t>());
      EXPECT_EQ(tok->count(text), expected) << encoding << " " << c.at("name").as_string();
      ++checked;
    }
    EXPECT_EQ(checked, fixture().at("counts").as_array().size());
  }
}

TEST(TokenizerFixture, EncodeThenDecodeGivesTheTextBack) {
  for (const char* encoding : kEncodings) {
    const auto tok = testenv::tokenizerFor(encoding);
    ASSERT_NE(tok, nullptr);
    for (const auto& entry : fixture().at("counts").as_array()) {
      const auto& c = entry.as_object();
      const std::string text = caseText(c);
      const auto ids = tok->encode(text);
      EXPECT_EQ(ids.size(), tok->count(text)) << c.at("name").as_string();
      EXPECT_EQ(tok->decode(ids), text) << encoding << " " << c.at("name").as_string();
    }
  }
}

}  // namespace
}  // namespace codecrew::llm::tokenizer
