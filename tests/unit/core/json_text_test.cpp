#include "core/json_text.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <limits>

namespace codecrew::core {
namespace {

namespace bj = boost::json;

TEST(JsonTextTest, WritesDoublesAsPlainDecimalsAndKeepsTheRest) {
  bj::value v = {{"cost", 0.171},
                 {"whole", 3.0},
                 {"tiny", -2.5e-7},
                 {"count", 12},
                 {"text", "1.5E3 stays \"1.5E3\" \\E"},
                 {"list", bj::array{1.25, 100, nullptr, true}}};
  EXPECT_EQ(jsonText(v), R"({"cost":0.171,"whole":3.0,"tiny":-2.5e-07,"count":12,"text":"1.5E3 stays \"1.5E3\" \\E",)"
                         R"("list":[1.25,100,null,true]})");
}

TEST(JsonTextTest, EveryDoubleReadsBackTheSame) {
  const double samples[] = {0.1 + 0.2, 1e300, -1e-300, 5e-324, 123456789.125, 2.0 / 3.0, -0.0, 1e21, 42.0};
  for (double d : samples) {
    std::string text = jsonText(bj::array{d});
    bj::value back = bj::parse(text);
    ASSERT_TRUE(back.as_array()[0].is_double()) << text;
    EXPECT_EQ(back.as_array()[0].as_double(), d) << text;
  }
}

TEST(JsonTextTest, TextWithoutExponentsIsUntouched) {
  std::string text = R"({"a":[1,2,{"b":"E"}],"c":-7})";
  std::string same = text;
  readableDoubles(text);
  EXPECT_EQ(text, same);
  bj::value inf = std::numeric_limits<double>::infinity();
  std::string boost_text = bj::serialize(inf);
  EXPECT_EQ(jsonText(inf), boost_text);  // out of range: left as Boost.JSON wrote it
  EXPECT_EQ(jsonText(1.5), "1.5");       // a document that is one double
}

}  // namespace
}  // namespace codecrew::core
