#include "core/config.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/result.h"
#include "core/time_format.h"

#include <gtest/gtest.h>

namespace codecrew::core {
namespace {

TEST(IdsTest, OnlyPlainPositiveIntegers) {
  EXPECT_EQ(parseId("12"), 12);
  EXPECT_EQ(parseId("9223372036854775807"), INT64_MAX);
  for (const char* bad : {"", "0", "012", "-1", "1e3", "abc", "1.5", " 1", "99999999999999999999"})
    EXPECT_FALSE(parseId(bad).has_value()) << bad;
}

TEST(TimeFormatTest, RoundTripsAndParsesVariants) {
  EXPECT_EQ(formatIso8601(0), "1970-01-01T00:00:00.000Z");
  auto t = parseIso8601("2026-11-21T13:45:07.123Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(formatIso8601(*t), "2026-11-21T13:45:07.123Z");
  EXPECT_EQ(parseIso8601("2026-11-21"), parseIso8601("2026-11-21T00:00:00Z"));
  EXPECT_EQ(parseIso8601("2026-11-21T02:00:00+02:00"), parseIso8601("2026-11-21T00:00:00Z"));
  for (const char* bad :
       {"2026-13-01", "2026-02-30", "yesterday", "2026-11-21T25:00:00", "2026-11-21Tx", "2026-11-21T00:00:00Q"})
    EXPECT_FALSE(parseIso8601(bad).has_value()) << bad;
}

TEST(CryptoTest, KnownVectors) {
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hmacSha256Hex("key", "The quick brown fox jumps over the lazy dog"),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  EXPECT_EQ(randomHex(16).size(), 32u);
  EXPECT_NE(randomHex(16), randomHex(16));
  EXPECT_EQ(uniqueHex(12).size(), 24u);
  EXPECT_EQ(uniqueHex(3).find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(uniqueHex(8), uniqueHex(8));
  EXPECT_TRUE(constantTimeEquals("abc", "abc"));
  EXPECT_FALSE(constantTimeEquals("abc", "abd"));
  EXPECT_FALSE(constantTimeEquals("abc", "abcd"));
}

TEST(ConfigTest, DefaultsWithNothingConfigured) {
  auto c = parseConfig("", {});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->server.host, "127.0.0.1");
  EXPECT_EQ(c->server.port, 8080);
  EXPECT_EQ(c->storage.data_dir, "./var");
  EXPECT_EQ(c->sqlitePath(), "./var/codecrew.db");
  EXPECT_TRUE(c->redact_secrets);
}

TEST(ConfigTest, FileThenEnvironmentOverrides) {
  auto c = parseConfig(
      "[server]\nport = 9000\nhost = \"0.0.0.0\"\n[storage]\ndata_dir = \"/data\"\n[providers.openai]\nkind = \"openai\"\n",
      {{"CODECREW_PORT", "9100"}, {"DATABASE_URL", "sqlite:////tmp/x.db"}, {"HEARTBEAT_TIMEOUT_SECONDS", "30"}});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->server.port, 9100);
  EXPECT_EQ(c->server.host, "0.0.0.0");
  EXPECT_EQ(c->sqlitePath(), "/tmp/x.db");
  EXPECT_EQ(c->queue.heartbeat_timeout_seconds, 30);
  EXPECT_EQ(c->document.at("providers").at("openai").at("kind").as_string(), "openai");
}

TEST(ConfigTest, WebDirDefaultsToTheSourceTreesBuildThenFileThenEnvironment) {
  auto d = parseConfig("", {});
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->server.web_dir.ends_with("/web/dist")) << d->server.web_dir;
  auto f = parseConfig("[server]\nweb_dir = \"/srv/ui\"\n", {});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->server.web_dir, "/srv/ui");
  auto e = parseConfig("[server]\nweb_dir = \"/srv/ui\"\n", {{"CODECREW_WEB_DIR", "/opt/ui"}});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->server.web_dir, "/opt/ui");
  auto bad = parseConfig("[server]\nweb_dir = 3\n", {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("server.web_dir"), std::string::npos);
}

TEST(ConfigTest, AuthCacheSecondsDefaultsToTwoAndIsBounded) {
  auto d = parseConfig("", {});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->server.auth_cache_seconds, 2);
  auto off = parseConfig("[server]\nauth_cache_seconds = 0\n", {});
  ASSERT_TRUE(off.ok()) << off.error().message;
  EXPECT_EQ(off->server.auth_cache_seconds, 0);
  auto bad = parseConfig("[server]\nauth_cache_seconds = 301\n", {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("server.auth_cache_seconds"), std::string::npos) << bad.error().message;
}

TEST(ConfigTest, ConnectionCapAndRestRateAreReadAndBounded) {
  auto d = parseConfig("", {});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->server.max_connections, 0) << "0: derived from the open-file limit";
  EXPECT_EQ(d->server.rest_rate_per_minute, 6000);
  auto set = parseConfig("[server]\nmax_connections = 500\nrest_rate_per_minute = 0\n", {});
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->server.max_connections, 500);
  EXPECT_EQ(set->server.rest_rate_per_minute, 0);
  for (const char* bad : {"[server]\nmax_connections = -1\n", "[server]\nrest_rate_per_minute = \"fast\"\n"}) {
    auto r = parseConfig(bad, {});
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message.find("server."), std::string::npos) << r.error().message;
  }
}

TEST(ConfigTest, ErrorsNameTheProblem) {
  auto bad_toml = parseConfig("[server\nport = 1", {});
  ASSERT_FALSE(bad_toml.ok());
  EXPECT_NE(bad_toml.error().message.find("line 1"), std::string::npos) << bad_toml.error().message;
  auto bad_port = parseConfig("[server]\nport = 70000\n", {});
  ASSERT_FALSE(bad_port.ok());
  EXPECT_NE(bad_port.error().message.find("server.port"), std::string::npos);
  EXPECT_FALSE(parseConfig("", {{"CODECREW_PORT", "eighty"}}).ok());
  EXPECT_FALSE(parseConfig("[log]\nlevel = \"loud\"\n", {}).ok());
  EXPECT_FALSE(parseConfig("", {{"DATABASE_URL", "mysql://x"}}).ok());
  EXPECT_FALSE(loadConfig(std::string("/nonexistent/codecrew.toml"), {}).ok());
}

TEST(ResultTest, CarriesValueOrError) {
  Result<int> ok = 3;
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 3);
  Result<int> bad = Error::notFound("gone");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kNotFound);
  Status st = Error::conflict("x");
  EXPECT_FALSE(st.ok());
  EXPECT_TRUE(okStatus().ok());
}

}  // namespace
}  // namespace codecrew::core
