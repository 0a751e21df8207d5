#include "core/config_schema.h"
#include "core/config.h"
#include "core/nearest_name.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace codecrew::core {
namespace {

std::string readSourceFile(const std::string& relative) {
  std::ifstream in(std::string(CODECREW_SOURCE_DIR) + "/" + relative);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(NearestNameTest, EditDistanceCountsInsertionsDeletionsSubstitutionsAndTranspositions) {
  EXPECT_EQ(editDistance("", ""), 0u);
  EXPECT_EQ(editDistance("port", "prot"), 1u);
  EXPECT_EQ(editDistance("port", "torp"), 2u);
  EXPECT_EQ(editDistance("sever", "server"), 1u);
  EXPECT_EQ(editDistance("default_modle", "default_model"), 1u);
  EXPECT_EQ(editDistance("abc", ""), 3u);
}

TEST(NearestNameTest, SuggestsOnlyNamesNearEnough) {
  const std::vector<std::string> names = {"server", "storage", "serve", "log"};
  EXPECT_EQ(nearestName("sever", names), "server");
  EXPECT_EQ(nearestName("lgo", names), "log");
  EXPECT_EQ(nearestName("providers", names), std::nullopt);
}

TEST(ConfigSchemaTest, AnUnknownTableIsAnErrorNamingItAndTheNearestTable) {
  auto c = parseConfig("[sever]\nport = 1\n", {});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(c.error().message.find("unknown table [sever]"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("did you mean [server]?"), std::string::npos) << c.error().message;
}

TEST(ConfigSchemaTest, AnUnknownKeyIsAnErrorNamingItAndTheNearestKey) {
  auto port = parseConfig("[server]\nprot = 9000\n", {});
  ASSERT_FALSE(port.ok());
  EXPECT_NE(port.error().message.find("unknown key server.prot"), std::string::npos) << port.error().message;
  EXPECT_NE(port.error().message.find("did you mean server.port?"), std::string::npos) << port.error().message;
  auto model = parseConfig("[engine]\ndefault_modle = \"gpt-4o\"\n", {});
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.error().message.find("did you mean engine.default_model?"), std::string::npos)
      << model.error().message;
}

TEST(ConfigSchemaTest, KeysOfNamedTablesAreCheckedAgainstTheirKind) {
  auto ok = parseConfig(
      "[providers.local]\nkind = \"ollama\"\nbase_url = \"http://127.0.0.1:11434\"\n"
      "[models.llama]\nprovider = \"local\"\ninput_per_mtok = 0.0\n"
      "[roles.developer]\nprimary = \"llama\"\nfallbacks = []\n"
      "[gateway]\nrpm = 10\n[gateway.keys.cc_12345678]\nrpm = 5\n",
      {});
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  auto bad = parseConfig("[providers.local]\nkind = \"ollama\"\nbase_ulr = \"http://x\"\n", {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("unknown key providers.local.base_ulr"), std::string::npos) << bad.error().message;
  EXPECT_NE(bad.error().message.find("did you mean providers.local.base_url?"), std::string::npos);
  auto nested = parseConfig("[gateway.keys.cc_12345678]\nrmp = 5\n", {});
  ASSERT_FALSE(nested.ok());
  EXPECT_NE(nested.error().message.find("unknown key gateway.keys.cc_12345678.rmp"), std::string::npos)
      << nested.error().message;
}

TEST(ConfigSchemaTest, ATableGivenAsAValueIsRefused) {
  auto c = parseConfig("server = 1\n", {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("server must be a table"), std::string::npos) << c.error().message;
}

TEST(ConfigSchemaTest, SqliteUrlsReadAsSqlAlchemyReadsThem) {
  auto relative = parseConfig("", {{"DATABASE_URL", "sqlite:///other.db"}});
  ASSERT_TRUE(relative.ok());
  EXPECT_EQ(relative->sqlitePath(), "other.db");
  auto absolute = parseConfig("", {{"DATABASE_URL", "sqlite:////srv/codecrew/other.db"}});
  ASSERT_TRUE(absolute.ok());
  EXPECT_EQ(absolute->sqlitePath(), "/srv/codecrew/other.db");
}

TEST(ConfigSchemaTest, EveryKeyBelongsToADeclaredTable) {
  std::set<std::string_view> tables;
  for (const auto& t : configTables()) tables.insert(t.name);
  for (const auto& k : configKeys()) EXPECT_TRUE(tables.count(k.table)) << k.table << "." << k.key;
}

TEST(ConfigSchemaTest, TheCommittedExampleIsTheSchemasAndParsesOnceUncommented) {
  const std::string committed = readSourceFile("codecrew.toml.example");
  EXPECT_EQ(committed, renderExampleConfig())
      << "codecrew.toml.example is stale: regenerate it with `codecrew config example > codecrew.toml.example`";
  // Every key line, uncommented, is accepted: the example is a valid file.
  std::istringstream lines(renderExampleConfig());
  std::string text, line;
  while (std::getline(lines, line)) {
    if (line.rfind("# [", 0) == 0) text += line.substr(2) + "\n";
    else if (line.rfind("# ", 0) == 0 && line.find(" = ") != std::string::npos && line.rfind("#   ", 0) != 0)
      text += line.substr(2) + "\n";
  }
  auto parsed = parseConfig(text, {});
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message) << "\n" << text;
}

TEST(ConfigSchemaTest, TheReadmeDocumentsEveryKeyOfTheNamedTables) {
  const std::string readme = readSourceFile("README.md");
  for (const auto& k : configKeys()) {
    if (k.table.find(".*") == std::string_view::npos) continue;
    EXPECT_NE(readme.find("`" + std::string(k.key) + "`"), std::string::npos)
        << "README.md's configuration tables do not mention " << k.table << " " << k.key;
  }
}

}  // namespace
}  // namespace codecrew::core
