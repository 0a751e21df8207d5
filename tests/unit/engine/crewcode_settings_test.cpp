// [crewcode] settings: defaults, the TOML keys, environment overrides and
// refusals that name the key.
#include "engine/crewcode_settings.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace codecrew::engine {
namespace {

boost::json::object doc(const char* text) { return boost::json::parse(text).as_object(); }

TEST(CrewCodeSettings, DefaultsKeysAndEnvironment) {
  auto d = loadCrewCodeSettings({}, {});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->session_ttl, std::chrono::hours(24));
  EXPECT_EQ(d->run_timeout, std::chrono::minutes(5));

  auto t = loadCrewCodeSettings(doc(R"({"crewcode": {"session_ttl_seconds": 60, "run_timeout_seconds": 5,
                                        "max_file_bytes": 10, "max_session_bytes": 20, "max_session_files": 2}})"),
                                {});
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->session_ttl, std::chrono::seconds(60));
  EXPECT_EQ(t->run_timeout, std::chrono::seconds(5));
  EXPECT_EQ(t->max_file_bytes, 10);
  EXPECT_EQ(t->max_session_bytes, 20);
  EXPECT_EQ(t->max_session_files, 2);

  auto e = loadCrewCodeSettings(doc(R"({"crewcode": {"session_ttl_seconds": 60}})"),
                                {{"CODECREW_SESSION_TTL_SECONDS", "7"}, {"CODECREW_CREWCODE_TIMEOUT_SECONDS", "0"}});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->session_ttl, std::chrono::seconds(7));
  EXPECT_EQ(e->run_timeout, std::chrono::seconds(0));
}

TEST(CrewCodeSettings, RefusalsNameTheKey) {
  auto bad_env = loadCrewCodeSettings({}, {{"CODECREW_SESSION_TTL_SECONDS", "a day"}});
  ASSERT_FALSE(bad_env.ok());
  EXPECT_NE(bad_env.error().message.find("CODECREW_SESSION_TTL_SECONDS"), std::string::npos);
  auto zero = loadCrewCodeSettings(doc(R"({"crewcode": {"session_ttl_seconds": 0}})"), {});
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.error().message.find("crewcode.session_ttl_seconds"), std::string::npos);
  auto text = loadCrewCodeSettings(doc(R"({"crewcode": {"max_file_bytes": "1MB"}})"), {});
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().message.find("crewcode.max_file_bytes"), std::string::npos);
}

}  // namespace
}  // namespace codecrew::engine
