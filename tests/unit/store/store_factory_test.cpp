#include "store_fixture.h"

#include <filesystem>

namespace codecrew::store::testing {
namespace {

TEST(StoreFactory, OpensSqliteUnderANewDataDirectoryAndMigrates) {
  codecrew::testing::TempDir dir;
  core::Config config;
  config.storage.data_dir = (dir.path() / "nested" / "var").string();
  auto store = openStore(config, std::make_shared<core::FakeClock>());
  ASSERT_OK(store);
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "nested" / "var" / "codecrew.db"));
  auto version = (*store)->schemaVersion();
  ASSERT_OK(version);
  EXPECT_GE(*version, 1);
  ASSERT_OK((*store)->ping());
}

TEST(StoreFactory, HonoursASqliteUrl) {
  codecrew::testing::TempDir dir;
  core::Config config;
  config.storage.database_url = "sqlite:///" + (dir.path() / "db" / "x.db").string();
  auto store = openStore(config, std::make_shared<core::FakeClock>());
  ASSERT_OK(store);
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "db" / "x.db"));
}

TEST(StoreFactory, AnUnreachablePostgresIsUnavailableWithoutItsPassword) {
  // Nothing listens on port 9 of loopback: refused at once.
  for (const char* url : {"postgresql://u:secret@127.0.0.1:9/codecrew", "postgres://u:secret@127.0.0.1:9/codecrew"}) {
    core::Config config;
    config.storage.database_url = url;
    auto store = openStore(config, std::make_shared<core::FakeClock>());
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
    EXPECT_NE(store.error().message.find("PostgreSQL"), std::string::npos) << store.error().message;
    EXPECT_EQ(store.error().message.find("secret"), std::string::npos) << store.error().message;
  }
}

TEST(StoreFactory, RejectsOtherSchemes) {
  core::Config config;
  config.storage.database_url = "mysql://db/codecrew";
  EXPECT_CODE(openStore(config, std::make_shared<core::FakeClock>()), ErrorCode::kInvalidArgument);
}

TEST(StoreFactory, UnwritableDirectoryIsAClearError) {
  codecrew::testing::TempDir dir;
  auto blocker = dir.write("file", "not a directory");
  auto store = openSqliteStore((blocker / "sub" / "x.db").string(), std::make_shared<core::FakeClock>());
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("data directory"), std::string::npos) << store.error().message;
}

TEST(StoreFactory, InMemoryDatabaseWorksOnOneConnection) {
  auto store = openSqliteStore(":memory:", std::make_shared<core::FakeClock>());
  ASSERT_OK(store);
  auto t = (*store)->ensureTenant("mem");
  ASSERT_OK(t);
  auto found = (*store)->getTenant(t->id);
  ASSERT_OK(found);
  EXPECT_EQ(found->name, "mem");
}

}  // namespace
}  // namespace codecrew::store::testing
