// CrewCode sessions in the SQLite store: files written, replaced and removed
// in one call with the expiry pushed forward, sizes computed on read, the
// expired sweep across tenants, deletion with the files, and another
// tenant's session reported as not found.
#include "store_fixture.h"

namespace codecrew::store::testing {
namespace {

class SessionsTest : public StoreTest {
 protected:
  CrewSession newSession(Id tenant, Millis expires_at, const std::string& name = "s") {
    CrewSession s;
    s.tenant_id = tenant;
    s.name = name;
    s.expires_at = expires_at;
    auto r = store_->createSession(s);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : CrewSession{};
  }
  static SessionFile file(const std::string& path, const std::string& content) {
    SessionFile f;
    f.path = path;
    f.content = content;
    return f;
  }
};

TEST_F(SessionsTest, CreatesEmptyAndReadsBack) {
  auto s = newSession(t1_, 5000, "demo");
  EXPECT_GT(s.id, 0);
  EXPECT_EQ(s.tenant_id, t1_);
  EXPECT_EQ(s.name, "demo");
  EXPECT_EQ(s.expires_at, 5000);
  EXPECT_EQ(s.file_count, 0);
  EXPECT_EQ(s.total_bytes, 0);
  EXPECT_FALSE(s.workflow_id.has_value());
  auto got = store_->getSession(t1_, s.id);
  ASSERT_OK(got);
  EXPECT_EQ(got->created_at, clock_->nowMillis());
}

TEST_F(SessionsTest, WritesReplacesAndRemovesFilesInOneCall) {
  auto s = newSession(t1_, 1000);
  auto w = store_->writeSessionFiles(t1_, s.id, {file("src/a.py", "print(1)\n"), file("b.txt", "héllo")}, {}, 2000);
  ASSERT_OK(w);
  EXPECT_EQ(w->file_count, 2);
  EXPECT_EQ(w->total_bytes, 9 + 6);  // bytes, not characters
  EXPECT_EQ(w->expires_at, 2000);

  clock_->advance(std::chrono::seconds(1));
  auto again = store_->writeSessionFiles(t1_, s.id, {file("src/a.py", "print(2)\n")}, {"b.txt", "absent.txt"}, 3000);
  ASSERT_OK(again);
  EXPECT_EQ(again->file_count, 1);
  EXPECT_EQ(again->expires_at, 3000);

  auto files = store_->listSessionFiles(t1_, s.id);
  ASSERT_OK(files);
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].path, "src/a.py");
  EXPECT_EQ((*files)[0].content, "print(2)\n");
  EXPECT_EQ((*files)[0].updated_at, clock_->nowMillis());

  auto one = store_->getSessionFile(t1_, s.id, "src/a.py");
  ASSERT_OK(one);
  EXPECT_EQ(one->content, "print(2)\n");
  auto gone = store_->getSessionFile(t1_, s.id, "b.txt");
  EXPECT_CODE(gone, ErrorCode::kNotFound);
  EXPECT_NE(gone.error().message.find("b.txt"), std::string::npos);
}

TEST_F(SessionsTest, UpdateKeepsFilesAndLinksAWorkflow) {
  auto s = newSession(t1_, 1000);
  ASSERT_OK(store_->writeSessionFiles(t1_, s.id, {file("a", "x")}, {}, 1000));
  Id wf = newWorkflow(t1_);
  s.workflow_id = wf;
  s.expires_at = 9000;
  s.name = "renamed";
  auto u = store_->updateSession(s);
  ASSERT_OK(u);
  EXPECT_EQ(u->workflow_id, wf);
  EXPECT_EQ(u->expires_at, 9000);
  EXPECT_EQ(u->name, "renamed");
  EXPECT_EQ(u->file_count, 1);
}

TEST_F(SessionsTest, AnotherTenantsSessionIsNotFound) {
  auto s = newSession(t1_, 1000);
  EXPECT_CODE(store_->getSession(t2_, s.id), ErrorCode::kNotFound);
  EXPECT_CODE(store_->listSessionFiles(t2_, s.id), ErrorCode::kNotFound);
  EXPECT_CODE(store_->getSessionFile(t2_, s.id, "a"), ErrorCode::kNotFound);
  EXPECT_CODE(store_->writeSessionFiles(t2_, s.id, {file("a", "x")}, {}, 1), ErrorCode::kNotFound);
  CrewSession other = s;
  other.tenant_id = t2_;
  EXPECT_CODE(store_->updateSession(other), ErrorCode::kNotFound);
  EXPECT_CODE(store_->deleteSession(t2_, s.id), ErrorCode::kNotFound);
  auto files = store_->listSessionFiles(t1_, s.id);
  ASSERT_OK(files);
  EXPECT_TRUE(files->empty());  // the refused write left nothing
}

TEST_F(SessionsTest, ExpiredSweepSpansTenantsOldestFirst) {
  auto a = newSession(t1_, 300);
  auto b = newSession(t2_, 100);
  newSession(t1_, 900);
  auto expired = store_->listExpiredSessions(300, 10);
  ASSERT_OK(expired);
  ASSERT_EQ(expired->size(), 2u);
  EXPECT_EQ((*expired)[0].id, b.id);
  EXPECT_EQ((*expired)[0].tenant_id, t2_);
  EXPECT_EQ((*expired)[1].id, a.id);
  auto limited = store_->listExpiredSessions(1000, 1);
  ASSERT_OK(limited);
  EXPECT_EQ(limited->size(), 1u);
  EXPECT_CODE(store_->listExpiredSessions(1000, 0), ErrorCode::kInvalidArgument);
}

TEST_F(SessionsTest, DeleteTakesTheFilesWithIt) {
  auto s = newSession(t1_, 1000);
  ASSERT_OK(store_->writeSessionFiles(t1_, s.id, {file("a", "x"), file("b", "y")}, {}, 1000));
  ASSERT_OK(store_->deleteSession(t1_, s.id));
  EXPECT_CODE(store_->getSession(t1_, s.id), ErrorCode::kNotFound);
  auto again = newSession(t1_, 1000);
  auto files = store_->listSessionFiles(t1_, again.id);
  ASSERT_OK(files);
  EXPECT_TRUE(files->empty());
}

}  // namespace
}  // namespace codecrew::store::testing
