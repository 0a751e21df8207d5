// The CLI as a new user meets it, with the real binary: an unknown command
// names itself, --version says which build it is, an unknown configuration
// key stops the start with the nearest known one and exit code 2, a refused
// database URL is a configuration error (2), `config example` prints the
// committed example file and `config check` reads a file as serve does.
#include "api_fixture.h"

#include <fstream>
#include <regex>
#include <sstream>

#include <unistd.h>

namespace codecrew::testing {
namespace {

std::string writeFile(const TempDir& dir, const std::string& name, const std::string& text) {
  const auto path = (dir.path() / name).string();
  std::ofstream(path) << text;
  return path;
}

TEST(CliMessages, AnUnknownCommandNamesItselfAndPointsAtHelp) {
  auto r = runCommand(binary(), {"bogus"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command 'bogus'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("codecrew --help"), std::string::npos) << r.err;
  auto typo = runCommand(binary(), {"serv"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("did you mean 'serve'?"), std::string::npos) << typo.err;
}

TEST(CliMessages, VersionSaysTheVersionCommitAndBuildDate) {
  auto r = runCommand(binary(), {"--version"});
  EXPECT_EQ(r.exit_code, 0);
  static const std::regex kLine(
      R"(codecrew \d+\.\d+\.\d+ \(commit [0-9a-f]{7,}(-dirty)?, built \d{4}-\d{2}-\d{2}\)\n)");
  EXPECT_TRUE(std::regex_match(r.out, kLine)) << r.out;
}

TEST(CliMessages, HelpTextsAreCurrent) {
  auto top = runCommand(binary(), {"--help"});
  EXPECT_EQ(top.out.find("later"), std::string::npos) << top.out;
  EXPECT_NE(top.out.find("config"), std::string::npos) << top.out;
  auto serve = runCommand(binary(), {"serve", "--help"});
  EXPECT_NE(serve.out.find("--crews-dir"), std::string::npos) << serve.out;
}

TEST(CliMessages, AnUnknownConfigurationKeyStopsTheStartWithTheNearestKnownOne) {
  TempDir dir;
  const auto config = writeFile(dir, "codecrew.toml", "[server]\nprot = 9000\n");
  auto serve = runCommand(binary(), {"serve", "--config", config, "--data-dir", dir.str()});
  EXPECT_EQ(serve.exit_code, 2);
  EXPECT_NE(serve.err.find("unknown key server.prot"), std::string::npos) << serve.err;
  EXPECT_NE(serve.err.find("did you mean server.port?"), std::string::npos) << serve.err;
  const auto table = writeFile(dir, "table.toml", "[sever]\nport = 9000\n");
  auto check = runCommand(binary(), {"config", "check", "--config", table});
  EXPECT_EQ(check.exit_code, 2);
  EXPECT_NE(check.err.find("unknown table [sever]"), std::string::npos) << check.err;
  EXPECT_NE(check.err.find("did you mean [server]?"), std::string::npos) << check.err;
}

TEST(CliMessages, ConfigCheckAcceptsAValidFile) {
  TempDir dir;
  const auto config = writeFile(dir, "ok.toml", "[server]\nport = 9000\n[storage]\ndata_dir = \"" + dir.str() + "\"\n");
  auto check = runCommand(binary(), {"config", "check", "--config", config});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(check.out.find("configuration is valid: " + config), std::string::npos) << check.out;
  EXPECT_NE(check.out.find(":9000"), std::string::npos) << check.out;
}

TEST(CliMessages, ARefusedDatabaseUrlIsAConfigurationErrorAndAnUnreachableOneAFailure) {
  TempDir dir;
  // Nothing listens on port 1: a runtime failure (1) that names the database.
  auto serve = runCommand(binary(), {"serve", "--data-dir", dir.str()},
                          {{"DATABASE_URL", "postgresql://codecrew:secret@127.0.0.1:1/none"}});
  EXPECT_EQ(serve.exit_code, 1) << serve.err;
  EXPECT_NE(serve.err.find("cannot connect to PostgreSQL"), std::string::npos) << serve.err;
  EXPECT_EQ(serve.err.find("secret"), std::string::npos) << serve.err;
  auto migrate = runCommand(binary(), {"migrate", "--data-dir", dir.str()}, {{"DATABASE_URL", "mysql://x"}});
  EXPECT_EQ(migrate.exit_code, 2) << migrate.err;
}

TEST(CliMessages, SqliteUrlsAreRelativeWithThreeSlashesAndAbsoluteWithFour) {
  TempDir dir;
  auto absolute = runCommand(binary(), {"migrate"},
                             {{"DATABASE_URL", "sqlite:///" + (dir.path() / "abs.db").string()}});
  ASSERT_EQ(absolute.exit_code, 0) << absolute.err;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "abs.db"));
  // runCommand runs in the test's working directory.
  const std::string relative = "cli-messages-" + std::to_string(::getpid()) + ".db";
  auto rel = runCommand(binary(), {"migrate"}, {{"DATABASE_URL", "sqlite:///" + relative}});
  const bool made_here = std::filesystem::exists(std::filesystem::current_path() / relative);
  std::filesystem::remove(std::filesystem::current_path() / relative);
  ASSERT_EQ(rel.exit_code, 0) << rel.err;
  EXPECT_TRUE(made_here) << rel.out;
  EXPECT_FALSE(std::filesystem::exists("/" + relative)) << "not at the filesystem root";
}

TEST(CliMessages, ConfigExamplePrintsTheCommittedExampleFile) {
  auto r = runCommand(binary(), {"config", "example"});
  EXPECT_EQ(r.exit_code, 0);
  std::ifstream in(std::string(CODECREW_SOURCE_DIR) + "/codecrew.toml.example");
  std::stringstream committed;
  committed << in.rdbuf();
  EXPECT_EQ(r.out, committed.str());
}

}  // namespace
}  // namespace codecrew::testing
