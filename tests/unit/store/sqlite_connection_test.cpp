#include "store/sqlite/sqlite_connection.h"
#include "store/sql/query_support.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

namespace codecrew::store::sqlite {
namespace {

using sql::execute;
using sql::sqlJson;

class SqliteConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = SqliteConnection::open((dir_.path() / "c.db").string(), {});
    ASSERT_TRUE(c.ok());
    conn_ = std::move(c).value();
    ASSERT_TRUE(conn_
                    ->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, doc TEXT, "
                           "CHECK (length(name) > 0))")
                    .ok());
  }
  codecrew::testing::TempDir dir_;
  std::unique_ptr<SqliteConnection> conn_;
};

TEST_F(SqliteConnectionTest, CachesStatementsAndPreparesFreshOnesWhenBusy) {
  const std::string sql = "SELECT count(*) FROM t";
  {
    auto a = conn_->prepare(sql);
    ASSERT_TRUE(a.ok());
    auto b = conn_->prepare(sql);  // a is still in use
    ASSERT_TRUE(b.ok());
    ASSERT_TRUE(a->step().ok());
    ASSERT_TRUE(b->step().ok());
  }
  EXPECT_EQ(conn_->cachedStatements(), 1u);
  auto again = conn_->prepare(sql);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(conn_->cachedStatements(), 1u);
}

TEST_F(SqliteConnectionTest, RoundTripsValuesAndJson) {
  auto ins = sql::insertReturningId(*conn_, "INSERT INTO t (name, doc) VALUES (?, ?)",
                                    {std::string("a"), sqlJson(boost::json::object{{"k", 1}})});
  ASSERT_TRUE(ins.ok());
  EXPECT_EQ(conn_->changes(), 1);
  auto st = conn_->prepare("SELECT id, name, doc, NULL FROM t");
  ASSERT_TRUE(st.ok());
  auto row = st->step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(st->i64(0), *ins);
  EXPECT_EQ(st->text(1), "a");
  EXPECT_EQ(st->json(2).at("k").as_int64(), 1);
  EXPECT_TRUE(st->json(3).is_null());
  EXPECT_FALSE(st->optI64(3).has_value());
}

TEST_F(SqliteConnectionTest, MapsConstraintErrorsToCodes) {
  ASSERT_TRUE(execute(*conn_, "INSERT INTO t (name) VALUES ('x')", {}).ok());
  auto dup = execute(*conn_, "INSERT INTO t (name) VALUES ('x')", {});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, core::ErrorCode::kAlreadyExists);
  auto check = execute(*conn_, "INSERT INTO t (name) VALUES ('')", {});
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.error().code, core::ErrorCode::kInvalidArgument);
  auto bad_sql = conn_->prepare("SELEC nonsense");
  ASSERT_FALSE(bad_sql.ok());
  EXPECT_EQ(bad_sql.error().code, core::ErrorCode::kInternal);
}

TEST(SqliteConnectionOpen, MissingDirectoryIsUnavailable) {
  auto c = SqliteConnection::open("/nonexistent-dir-for-codecrew/x.db", {});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, core::ErrorCode::kUnavailable);
  EXPECT_NE(c.error().message.find("/nonexistent-dir-for-codecrew/x.db"), std::string::npos);
}

}  // namespace
}  // namespace codecrew::store::sqlite
