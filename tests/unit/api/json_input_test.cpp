#include "api/json_input.h"

#include <gtest/gtest.h>

namespace codecrew::api {
namespace {

TEST(JsonInputTest, ReportsWhereJsonIsBroken) {
  auto r = JsonInput::parse("{\n  \"a\": 1,\n  \"b\": }");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("line 3"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().details.at("line").as_int64(), 3);
}

TEST(JsonInputTest, RejectsNonObjectsEmptyAndTrailingData) {
  EXPECT_FALSE(JsonInput::parse("").ok());
  EXPECT_FALSE(JsonInput::parse("[1]").ok());
  EXPECT_FALSE(JsonInput::parse("{} {}").ok());
  EXPECT_TRUE(JsonInput::parse(" {} ").ok());
}

TEST(JsonInputTest, CollectsEveryProblem) {
  auto in = JsonInput::parse(R"({"name": 5, "crew": "x", "n": 1000, "extra": true})");
  ASSERT_TRUE(in.ok());
  in->string("name", true, 1, 10);
  in->enumString("crew", true, {"sdlc", "review"});
  in->integer("n", true, 0, 10);
  in->string("missing", true, 1, 10);
  auto st = in->finish();
  ASSERT_FALSE(st.ok());
  auto& fields = st.error().details.at("fields").as_array();
  EXPECT_EQ(fields.size(), 5u);
  EXPECT_NE(st.error().message.find("extra is not a known field"), std::string::npos);
  EXPECT_NE(st.error().message.find("missing is required"), std::string::npos);
  EXPECT_NE(st.error().message.find("sdlc, review"), std::string::npos);
}

TEST(JsonInputTest, AcceptsValidInput) {
  auto in = JsonInput::parse(R"({"name": "ok", "n": 3, "obj": {"k": 1}, "nothing": null})");
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->string("name", true, 1, 10).value(), "ok");
  EXPECT_EQ(in->integer("n", false, 0, 10).value(), 3);
  EXPECT_TRUE(in->object("obj", false).has_value());
  EXPECT_FALSE(in->string("nothing", false, 0, 10).has_value());
  EXPECT_TRUE(in->finish().ok());
}

}  // namespace
}  // namespace codecrew::api
